import { readFileSync } from 'fs';
import { join } from 'path';
import { SETTINGS } from '../modules/core/config';
import { CONTRACT } from '../modules/core/contract';

const ROOT = join(__dirname, '..');
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');

describe('the README stays true', () => {
  const firstCommands = /^# [^\n]+\n\n```sh\n([^\n]+)\n([^\n]+)\n```/.exec(readme);

  it('opens with the two commands for a fresh machine: install and synthesize, then test', () => {
    expect(firstCommands?.[1]).toMatch(/^npm ci && npm run synth\s+#/);
    expect(firstCommands?.[2]).toMatch(/^npm test\s+#/);
  });

  it('is what CI runs', () => {
    const ci = readFileSync(join(ROOT, '.ci/run'), 'utf8').split('\n');
    expect(ci).toContain('npm run synth');
    expect(ci).toContain('npm test');
  });

  it.each(Object.values(SETTINGS))('documents $env with its context key and default', (setting) => {
    const shownDefault = 'default' in setting ? `\`${setting.default}\`` : setting.defaultDoc;
    expect(readme).toContain(`| \`${setting.env}\` | \`${setting.context}\` | ${shownDefault} |`);
  });

  const outputs = Object.entries(CONTRACT).flatMap(([layer, specs]) =>
    Object.entries<{ type: string; description: string }>(specs).map(([name, spec]) => ({ layer, name, ...spec })));
  it.each(outputs)('documents the $layer output $name as the contract declares it', ({ layer, name, type, description }) => {
    expect(readme).toContain(`\n| ${layer} | \`${name}\` | ${type} | ${description} |\n`);
  });
});
