/**
 * Tagging audit through the Resource Groups Tagging API, per layer:
 * - everything tagged with this Project and Environment carries the full tag set (the configured organisation
 *   tags with their values, Layer, Name), so nothing is half-tagged;
 * - the layer's resources known from its outputs are among them, so nothing of the environment is untagged.
 *   (Only types the Tagging API lists: VPC, subnets, security groups, load balancer, target groups, database,
 *   secret, function, key. IAM roles and Auto Scaling groups are not among them.)
 */
import { GetResourcesCommand, ResourceTagMapping } from '@aws-sdk/client-resource-groups-tagging-api';
import { Layer } from '../../../modules/core/config';
import { Check, CheckContext, OutputRef, verdict } from '../check';

const MAX_PAGES = 50;

async function taggedResources(context: CheckContext): Promise<ResourceTagMapping[]> {
  const { config, clients } = context;
  return context.shared('tagged-resources', async () => {
    const mappings: ResourceTagMapping[] = [];
    let PaginationToken: string | undefined;
    let pages = 0;
    do {
      const page = await clients.tagging.send(new GetResourcesCommand({
        TagFilters: [{ Key: 'Project', Values: [config.project] }, { Key: 'Environment', Values: [config.environmentSuffix] }],
        ResourcesPerPage: 100,
        PaginationToken,
      }));
      mappings.push(...page.ResourceTagMappingList ?? []);
      PaginationToken = page.PaginationToken || undefined;
    } while (PaginationToken && ++pages < MAX_PAGES);
    return mappings;
  });
}

/** `arn:<partition>:<service>:<region>:<account>:` of an ARN the layers published. */
function arnPrefix(arn: string, service: string): string {
  const [, partition, , region, account] = arn.split(':');
  return `arn:${partition}:${service}:${region}:${account}:`;
}

/** ARNs of the layer's resources, from its outputs; EC2 and RDS outputs are ids, made ARNs with the account of an ARN output. */
const KNOWN_RESOURCES: Record<Layer, { needs: readonly OutputRef[]; arns: (context: CheckContext) => string[] }> = {
  network: {
    needs: [['network', 'AlbArn'], ['network', 'VpcId'], ['network', 'PublicSubnetIds'], ['network', 'PrivateSubnetIds'], ['network', 'DatabaseSubnetIds'],
      ['network', 'AlbSecurityGroupId'], ['network', 'AppSecurityGroupId'], ['network', 'DatabaseSecurityGroupId'], ['network', 'RotationSecurityGroupId'],
      ['network', 'EndpointSecurityGroupId'], ['network', 'BlueTargetGroupArn'], ['network', 'GreenTargetGroupArn']],
    arns: ({ output, list }) => {
      const ec2 = arnPrefix(output('network', 'AlbArn'), 'ec2');
      return [
        output('network', 'AlbArn'), output('network', 'BlueTargetGroupArn'), output('network', 'GreenTargetGroupArn'),
        `${ec2}vpc/${output('network', 'VpcId')}`,
        ...[...list('network', 'PublicSubnetIds'), ...list('network', 'PrivateSubnetIds'), ...list('network', 'DatabaseSubnetIds')].map((id) => `${ec2}subnet/${id}`),
        ...(['AlbSecurityGroupId', 'AppSecurityGroupId', 'DatabaseSecurityGroupId', 'RotationSecurityGroupId', 'EndpointSecurityGroupId'] as const)
          .map((name) => `${ec2}security-group/${output('network', name)}`),
      ];
    },
  },
  data: {
    needs: [['data', 'DBSecretArn'], ['data', 'DBInstanceIdentifier'], ['data', 'RotationFunctionArn'], ['data', 'DataKmsKeyArn']],
    arns: ({ output }) => [
      output('data', 'DBSecretArn'), output('data', 'RotationFunctionArn'), output('data', 'DataKmsKeyArn'),
      `${arnPrefix(output('data', 'DBSecretArn'), 'rds')}db:${output('data', 'DBInstanceIdentifier')}`,
    ],
  },
  app: { needs: [], arns: () => [] },
};

export const tagAudit: Check[] = (['network', 'data', 'app'] as const).map((layer): Check => ({
  layer,
  name: 'resources carry the full tag set',
  needs: KNOWN_RESOURCES[layer].needs,
  async run(context) {
    const { config } = context;
    const all = await taggedResources(context);
    // Resources without a Layer tag belong to no layer: each layer's audit reports them.
    const mine = all.filter((mapping) => { const tag = mapping.Tags?.find((t) => t.Key === 'Layer'); return !tag || tag.Value === layer; });
    const expected: Record<string, string | undefined> = { ...config.tags, Layer: layer, Name: undefined };
    const problems: string[] = [];
    for (const mapping of mine) {
      const tags = new Map((mapping.Tags ?? []).map((tag) => [tag.Key, tag.Value]));
      const wrong = Object.entries(expected)
        .filter(([key, value]) => !tags.has(key) || (value !== undefined && tags.get(key) !== value))
        .map(([key, value]) => (tags.has(key) ? `${key}=${tags.get(key)} (expected ${value})` : `no ${key}`));
      if (wrong.length > 0) problems.push(`${mapping.ResourceARN}: ${wrong.join(', ')}`);
    }
    const tagged = new Set(all.map((mapping) => mapping.ResourceARN));
    for (const arn of KNOWN_RESOURCES[layer].arns(context)) {
      if (!tagged.has(arn)) problems.push(`${arn} is not tagged Project=${config.project}, Environment=${config.environmentSuffix}`);
    }
    return verdict(problems, `${mine.length} resources tagged ${Object.keys(expected).join(', ')}`);
  },
}));
