// The boot files are imported as text: esbuild's text loader in the bundle (package.json, build:app),
// __tests__/support/text-file-transform.js under jest.
declare module '*.sh' { const text: string; export default text; }
declare module '*.service' { const text: string; export default text; }
declare module '*.timer' { const text: string; export default text; }
declare module '*.conf' { const text: string; export default text; }
