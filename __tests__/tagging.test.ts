import { REQUIRED_TAGS } from '../modules/core/config';
import { Env, synthPlatform } from './support/synth';

/**
 * Whether the provider binding of a resource type has a `tags` argument, decided independently of
 * the code under test: load the binding by its deep path and look at its class.
 */
function bindingAcceptsTags(type: string): boolean {
  const [provider, ...resource] = type.split('_');
  const binding = require(`@cdktf/provider-${provider}/lib/${resource.join('-')}`);
  const resourceClass = Object.values(binding).find((value: any) => value?.tfResourceType === type) as { prototype: object } | undefined;
  if (!resourceClass) throw new Error(`no provider binding found for ${type}`);
  return 'tags' in resourceClass.prototype;
}

const CONFIGURATIONS: Array<[string, Env]> = [
  ['defaults', {}],
  ['production with HTTPS, three AZs and remote state', {
    ENVIRONMENT_SUFFIX: 'prod', AZ_COUNT: '3', STATE_BUCKET: 'acme-terraform-state', COST_CENTER: 'cc-42', OWNER: 'payments',
    CERTIFICATE_ARN: 'arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b',
  }],
];

describe.each(CONFIGURATIONS)('tags and names with %s', (_, env) => {
  const layers = synthPlatform(env);
  const suffix = env.ENVIRONMENT_SUFFIX ?? 'dev';

  it.each(Object.keys(layers))('gives every provider of the %s layer the organisation\'s default tags', (layer) => {
    const providers = layers[layer as keyof typeof layers].json.provider.aws;
    expect(providers).toHaveLength(1);
    const tags = providers[0].default_tags[0].tags;
    expect(Object.keys(tags)).toEqual(expect.arrayContaining([...REQUIRED_TAGS]));
    expect(tags).toMatchObject({
      Environment: suffix,
      Project: 'migration',
      CostCenter: env.COST_CENTER ?? 'migration',
      Owner: env.OWNER ?? 'platform-team',
      ManagedBy: 'cdktf',
      Layer: layer,
    });
  });

  it('gives every taggable resource of every layer a Name that includes the environment suffix', () => {
    const resources = Object.values(layers).flatMap(({ json }) =>
      Object.entries(json.resource ?? {}).flatMap(([type, byName]) =>
        Object.entries(byName as Record<string, any>).map(([name, body]) => ({ address: `${type}.${name}`, type, body }))));
    const taggable = resources.filter(({ type }) => bindingAcceptsTags(type));
    expect(taggable.length).toBeGreaterThan(30);
    const untagged = taggable
      .filter(({ body }) => !(typeof body.tags?.Name === 'string' && body.tags.Name.endsWith(`-${suffix}`)))
      .map(({ address }) => address);
    expect(untagged).toEqual([]);
  });

  it('puts the environment suffix in every name a resource is given', () => {
    const names = Object.values(layers).flatMap(({ json }) =>
      Object.entries(json.resource ?? {}).flatMap(([type, byName]) =>
        Object.entries(byName as Record<string, any>).flatMap(([name, body]) =>
          ['name', 'name_prefix', 'bucket_prefix'].filter((attribute) => typeof body[attribute] === 'string' && !body[attribute].includes('${'))
            .map((attribute) => ({ address: `${type}.${name}.${attribute}`, value: body[attribute] as string })))));
    expect(names.length).toBeGreaterThan(10);
    // A whole part of the name: `-dev`, then a hyphen, a slash (`/aws/rds/instance/<id>-dev/postgresql`) or the end.
    // AWS takes letters, digits and underscores only in restore testing names: there the suffix is `_<suffix>` at the end.
    const underscoreOnly = (address: string) => /^aws_backup_restore_testing_(plan|selection)\./.test(address);
    expect(names.filter(({ address, value }) => underscoreOnly(address)
      ? !value.endsWith(`_${suffix.replace(/-/g, '_')}`)
      : !new RegExp(`-${suffix}([-/]|$)`).test(value))).toEqual([]);
  });
});
