/**
 * Reports as SARIF 2.1.0, the format GitHub code scanning reads: one run, every rule in the driver (id, short
 * description, help with the fix, default level, and the matching checkov / cdk-nag / trivy ids), one result per
 * finding with a logical location (the stack and Terraform address) and a physical one (the cdk.tf.json file
 * and the line the element starts on). Suppressed findings are results with their justification.
 */
import type { Finding, Rule, Severity, StackReport, SuppressedFinding } from './engine';

export interface CheckedFile {
  readonly report: StackReport;
  /** Path of the cdk.tf.json, relative to where the scan runs (the repository root in CI). */
  readonly file: string;
  /** The file's text, to point at the line an element starts on. */
  readonly text: string;
}

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', undecided: 'note' };
const TOOL_NAME = 'cdktf-platform-policy';

/** The 1-based line where `"type": { ... "name": {` first appears (for `data.` addresses, under `"data"`). */
function lineOf(text: string, address: string): number | undefined {
  const parts = address.split('.');
  const keys = parts[0] === 'data' ? ['data', parts[1], parts[2]] : parts[0] === 'output' ? ['output', parts[1]] : ['resource', parts[0], parts[1]];
  let at = 0;
  for (const key of keys) {
    if (key === undefined) break;
    const found = text.indexOf(`${JSON.stringify(key)}: {`, at);
    if (found < 0) return undefined;
    at = found;
  }
  return text.slice(0, at).split('\n').length;
}

export function toSarif(files: readonly CheckedFile[], rules: readonly Rule[]): Record<string, unknown> {
  const ruleIndex = new Map(rules.map((rule, index) => [rule.id, index]));
  const result = ({ report, file, text }: CheckedFile, finding: Finding | SuppressedFinding) => {
    const line = lineOf(text, finding.address);
    return {
      ruleId: finding.rule,
      ruleIndex: ruleIndex.get(finding.rule),
      level: LEVEL[finding.severity],
      message: { text: `${finding.severity === 'undecided' ? 'Undecided: ' : ''}${finding.message}. Fix: ${finding.fix}` },
      locations: [{
        physicalLocation: { artifactLocation: { uri: file }, ...(line ? { region: { startLine: line } } : {}) },
        logicalLocations: [{ name: finding.address, fullyQualifiedName: `${report.stack}.${finding.address}`, kind: 'resource' }],
      }],
      ...('reason' in finding ? { suppressions: [{ kind: 'inSource', justification: `${finding.reason} (suppressed on ${finding.scope})` }] } : {}),
    };
  };
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: TOOL_NAME,
          rules: rules.map((rule) => ({
            id: rule.id,
            name: rule.id.replace(/(^|-)([a-z0-9])/g, (_, _dash, letter: string) => letter.toUpperCase()),
            shortDescription: { text: rule.title },
            fullDescription: { text: rule.rationale },
            help: { text: `${rule.rationale} Fix: ${rule.fix}.` },
            defaultConfiguration: { level: rule.severity },
            properties: { family: rule.family, checkov: rule.references?.checkov ?? [], cdkNag: rule.references?.cdkNag ?? [], trivy: rule.references?.trivy ?? [] },
          })),
        },
      },
      results: files.flatMap((file) => [...file.report.findings, ...file.report.suppressed].map((finding) => result(file, finding))),
    }],
  };
}
