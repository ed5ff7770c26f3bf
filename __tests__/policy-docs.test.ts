/** The rules document themselves: the README's table is generated from them, and each carries what it must. */
import { readFileSync } from 'fs';
import { join } from 'path';
import { ALL_RULES } from '../modules/policy/policy';
import { README_MARKERS, rulesMarkdown, withRulesBlock } from '../modules/policy/readme';

const README = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');

describe('the rules', () => {
  it('are listed in the README exactly as they are (regenerate with `npx tsx modules/policy/readme.ts`)', () => {
    expect(withRulesBlock(README)).toBe(README);
    const block = README.slice(README.indexOf(README_MARKERS.start), README.indexOf(README_MARKERS.end));
    expect(block).toContain(rulesMarkdown());
    for (const rule of ALL_RULES) expect(block).toContain(`| \`${rule.id}\` | ${rule.severity} |`);
  });

  it('each have a unique id, a one-line title, rationale and fix, and well-formed scanner ids', () => {
    expect(new Set(ALL_RULES.map((rule) => rule.id)).size).toBe(ALL_RULES.length);
    for (const rule of ALL_RULES) {
      expect(rule.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      for (const text of [rule.title, rule.rationale, rule.fix]) expect(text).toMatch(/^[^\n]{10,}$/);
      for (const id of rule.references?.checkov ?? []) expect(id).toMatch(/^CKV2?_AWS_\d+$/);
      for (const id of rule.references?.cdkNag ?? []) expect(id).toMatch(/^AwsSolutions-[A-Z]+\d+$/);
      for (const id of rule.references?.trivy ?? []) expect(id).toMatch(/^AVD-AWS-\d{4}$/);
    }
  });
});
