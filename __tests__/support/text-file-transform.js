// Jest transform for the files modules/app imports as text (the boot script and its systemd units), as
// esbuild's text loader does in the bundle.
module.exports = {
  process(source) {
    return { code: `module.exports = ${JSON.stringify(source)};` };
  },
};
