/**
 * Observability rules (the seed's closing improvements): an alarm that tells nobody, and an event rule that
 * delivers nowhere, are the same as none.
 */
import type { Rule, RuleResult } from '../engine';
import { bool, couldNotDecide, isExpression, list, refersTo } from '../terraform';

const ALARM_TYPES = ['aws_cloudwatch_metric_alarm', 'aws_cloudwatch_composite_alarm'];

export const OBSERVABILITY_RULES: readonly Rule[] = [
  {
    id: 'alarm-actions',
    family: 'observability',
    severity: 'error',
    title: 'Every CloudWatch alarm notifies someone when it fires',
    rationale: 'An alarm without an action changes colour on a console nobody watches at 3 a.m.',
    fix: 'Send alarm_actions (and ok_actions) to the alerts topic (network output AlertTopicArn)',
    check: (stack) => ALARM_TYPES.flatMap((type) => stack.ofType(type)).flatMap(({ address, body }): RuleResult[] => {
      const enabled = bool(body.actions_enabled);
      if (typeof enabled === 'object') return [{ address, severity: 'undecided', message: couldNotDecide('actions_enabled', enabled.expression) }];
      if (enabled === false) return [{ address, message: 'the alarm has its actions turned off (actions_enabled = false)' }];
      if (isExpression(body.alarm_actions)) return [{ address, severity: 'undecided', message: couldNotDecide('alarm_actions', body.alarm_actions) }];
      return list(body.alarm_actions).length > 0 ? [] : [{ address, message: 'the alarm has no alarm_actions: nobody hears it fire' }];
    }),
  },
  {
    id: 'event-rule-target',
    family: 'observability',
    severity: 'error',
    title: 'Every EventBridge rule has a target',
    rationale: 'A rule without a target matches events and drops them: the alert it stands for never arrives.',
    fix: 'Add an aws_cloudwatch_event_target for the rule (the alerts topic, with an input transformer)',
    check: (stack) => {
      const targets = stack.ofType('aws_cloudwatch_event_target');
      return stack.ofType('aws_cloudwatch_event_rule').flatMap(({ address, body }): RuleResult[] => {
        const named = (rule: unknown) => refersTo(rule, address) || (typeof body.name === 'string' && rule === body.name);
        if (targets.some((target) => named(target.body.rule))) return [];
        // A target naming its rule through an expression this stack cannot resolve may be this rule's.
        const unresolved = targets.find((target) => isExpression(target.body.rule) && !stack.referenced(target.body.rule));
        if (unresolved) return [{ address, severity: 'undecided', message: couldNotDecide('rule of ' + unresolved.address, String(unresolved.body.rule)) }];
        return [{ address, message: 'no aws_cloudwatch_event_target delivers what the rule matches' }];
      });
    },
  },
];
