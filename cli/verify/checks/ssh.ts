/** Port 22 on the app servers is open to SSH_INGRESS_CIDR and nothing else (DescribeSecurityGroupRules on the app group). */
import { DescribeSecurityGroupRulesCommand, SecurityGroupRule } from '@aws-sdk/client-ec2';
import { Check, verdict } from '../check';

const SSH_PORT = 22;

/** Whether `rule` lets traffic in on port 22: TCP over a range holding it, or every protocol. */
function opensSsh(rule: SecurityGroupRule): boolean {
  if (rule.IsEgress) return false;
  if (rule.IpProtocol === '-1') return true;
  return rule.IpProtocol === 'tcp' && (rule.FromPort ?? 0) <= SSH_PORT && SSH_PORT <= (rule.ToPort ?? 65535);
}

function source(rule: SecurityGroupRule): string {
  return rule.CidrIpv4 ?? rule.CidrIpv6 ?? rule.PrefixListId ?? rule.ReferencedGroupInfo?.GroupId ?? 'unknown source';
}

export const sshIngress: Check = {
  layer: 'network',
  name: 'port 22 open to SSH_INGRESS_CIDR only',
  needs: [['network', 'AppSecurityGroupId']],
  async run({ clients, config, output }) {
    const groupId = output('network', 'AppSecurityGroupId');
    const allowed = config.network.sshIngressCidr;
    const rules: SecurityGroupRule[] = [];
    let NextToken: string | undefined;
    do {
      const page = await clients.ec2.send(new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: 'group-id', Values: [groupId] }], NextToken, MaxResults: 100 }));
      rules.push(...page.SecurityGroupRules ?? []);
      NextToken = page.NextToken;
    } while (NextToken);
    const ssh = rules.filter(opensSsh);
    const problems = ssh.filter((rule) => rule.CidrIpv4 !== allowed).map((rule) => `${rule.SecurityGroupRuleId} opens port 22 to ${source(rule)}`);
    if (!ssh.some((rule) => rule.CidrIpv4 === allowed)) problems.push(`no rule of ${groupId} opens port 22 to ${allowed}`);
    return verdict(problems, `${groupId} opens port 22 to ${allowed} only`);
  },
};
