/**
 * Tags and names (seed fixes 8-10 and the checklist): every resource says which project and environment it
 * belongs to, including what Auto Scaling and launch templates create at run time.
 */
import type { Rule, RuleResult } from '../engine';
import { asObject, blocks, bool, couldNotDecide, isExpression, StackView } from '../terraform';

/** Attributes that name a resource, and so must carry the environment suffix. */
const NAME_ATTRIBUTES = ['name', 'name_prefix', 'bucket_prefix', 'identifier', 'identifier_prefix'];
/** Tags every Auto Scaling group must hand its instances (the provider's default_tags do not reach them). */
const PROPAGATED_TAGS = ['Environment', 'Project'];
/** What a launch template must tag at launch: default_tags reach neither. */
const LAUNCHED_RESOURCE_TYPES = ['instance', 'volume'];

/** The suffix as a whole part of a name (`app-dev`, `/logs/app-dev`), not just any substring. */
function hasSuffix(name: string, suffix: string): boolean {
  // Names AWS allows no hyphen in (AWS Backup restore testing plans) carry the suffix with underscores.
  return [suffix, suffix.replace(/-/g, '_')].some((form) => {
    const escaped = form.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    return new RegExp(`(^|[-/_.])${escaped}($|[-/_.])`).test(name);
  });
}

/** Judges a name that may hold expressions: decided when its literal text has the suffix or it is one reference into the stack. */
function nameFinding(stack: StackView, address: string, what: string, value: string, suffix: string): RuleResult[] {
  const literal = value.replace(/\$\{[^}]*\}/g, '/');
  if (hasSuffix(literal, suffix)) return [];
  if (isExpression(value)) {
    // A name copied from another resource of this stack is judged there.
    return stack.referenced(value) ? [] : [{ address, severity: 'undecided', message: couldNotDecide(what, value) }];
  }
  return [{ address, message: `${what} ${JSON.stringify(value)} lacks the environment suffix ${JSON.stringify(suffix)}` }];
}

export const TAG_RULES: readonly Rule[] = [
  {
    id: 'default-tags',
    family: 'tags',
    severity: 'error',
    title: "The AWS provider's default_tags carry every organisation tag",
    rationale: 'Cost allocation, ownership and environment must be readable off every resource (seed fix 8).',
    fix: 'Set default_tags on the aws provider with every required tag (Environment, Project, CostCenter, Owner, ManagedBy)',
    needs: ['requiredTags'],
    check: (stack, { requiredTags }) =>
      blocks(stack.json.provider?.aws).flatMap((provider, index) => {
        const tags = asObject(blocks(provider.default_tags)[0]?.tags);
        if (isExpression(blocks(provider.default_tags)[0]?.tags)) {
          return [{ address: `provider.aws[${index}]`, severity: 'undecided' as const, message: couldNotDecide('default_tags.tags', String(blocks(provider.default_tags)[0]?.tags)) }];
        }
        const missing = requiredTags!.filter((key) => !tags?.[key]);
        return missing.length === 0 ? [] : [{ address: `provider.aws[${index}]`, message: `default_tags lacks ${missing.join(', ')}` }];
      }),
  },
  {
    id: 'name-tag',
    family: 'tags',
    severity: 'error',
    title: 'Every taggable resource has a Name tag with the environment suffix',
    rationale: 'In the console and in bills, a resource must say what it is and which environment it belongs to (checklist).',
    fix: 'Add tags: naming.nameTag(component) (a Name of the form <project>-<component>-<suffix>)',
    needs: ['environmentSuffix', 'taggableTypes'],
    check: (stack, { environmentSuffix, taggableTypes }) =>
      stack.resources().filter(({ type }) => taggableTypes!.has(type)).flatMap(({ address, body }): RuleResult[] => {
        if (isExpression(body.tags)) return [{ address, severity: 'undecided', message: couldNotDecide('tags', body.tags) }];
        const name = asObject(body.tags)?.Name;
        if (name === undefined || name === '') return [{ address, message: 'taggable resource has no Name tag' }];
        return nameFinding(stack, address, 'Name tag', String(name), environmentSuffix!);
      }),
  },
  {
    id: 'name-suffix',
    family: 'tags',
    severity: 'error',
    title: 'Every resource name contains the environment suffix',
    rationale: 'Two environments in one account must never collide on a name (checklist).',
    fix: 'Build names with naming.name(component) or naming.globalName(component)',
    needs: ['environmentSuffix'],
    check: (stack, { environmentSuffix }) =>
      stack.resources().flatMap(({ address, body }) => NAME_ATTRIBUTES
        .filter((attribute) => typeof body[attribute] === 'string')
        .flatMap((attribute) => nameFinding(stack, address, attribute, body[attribute] as string, environmentSuffix!))),
  },
  {
    id: 'launch-template-tags',
    family: 'tags',
    severity: 'error',
    title: 'Launch templates tag the instances and volumes they launch',
    rationale: "The provider's default_tags stop at the launch template: without tag_specifications, instances and volumes are untagged (seed fix 9).",
    fix: 'Add tag_specifications for resource_type instance and volume, each with the full tag set',
    check: (stack) => stack.ofType('aws_launch_template').flatMap(({ address, body }): RuleResult[] => {
      if (isExpression(body.tag_specifications)) return [{ address, severity: 'undecided', message: couldNotDecide('tag_specifications', body.tag_specifications) }];
      const tagged = new Set(blocks(body.tag_specifications)
        .filter((spec) => isExpression(spec.tags) || Object.keys(asObject(spec.tags) ?? {}).length > 0)
        .map((spec) => spec.resource_type));
      const missing = LAUNCHED_RESOURCE_TYPES.filter((type) => !tagged.has(type));
      return missing.length === 0 ? [] : [{ address, message: `tag_specifications do not tag ${missing.join(' or ')}` }];
    }),
  },
  {
    id: 'asg-tag-propagation',
    family: 'tags',
    severity: 'error',
    title: 'Auto Scaling groups propagate their tags, Environment and Project among them, at launch',
    rationale: "default_tags never reach an Auto Scaling group's instances; only tag blocks with propagate_at_launch do (seed fix 10).",
    fix: 'Give the group a tag block per tag (Environment, Project, Name, ...) with propagate_at_launch = true',
    check: (stack) => stack.ofType('aws_autoscaling_group').flatMap(({ address, body }): RuleResult[] => {
      if (isExpression(body.tag)) return [{ address, severity: 'undecided', message: couldNotDecide('tag', body.tag) }];
      const tags = blocks(body.tag);
      const results: RuleResult[] = tags.flatMap((tag): RuleResult[] => {
        const propagates = bool(tag.propagate_at_launch);
        if (propagates === true) return [];
        if (typeof propagates === 'object') return [{ address, severity: 'undecided', message: couldNotDecide(`propagate_at_launch of tag ${String(tag.key)}`, propagates.expression) }];
        return [{ address, message: `tag ${JSON.stringify(tag.key)} does not propagate at launch` }];
      });
      const missing = PROPAGATED_TAGS.filter((key) => !tags.some((tag) => tag.key === key));
      if (missing.length > 0) results.push({ address, message: `no ${missing.join(' or ')} tag block to propagate to its instances` });
      return results;
    }),
  },
];
