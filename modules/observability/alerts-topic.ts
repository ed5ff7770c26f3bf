/**
 * The platform's operational alerts: an SNS topic on its own customer-managed key, which CloudWatch alarms
 * and EventBridge rules of this account and environment publish to, and the email and HTTPS subscriptions
 * configured. It lives in the network layer, the first one, so every layer can alarm into it.
 */
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicPolicy } from '@cdktf/provider-aws/lib/sns-topic-policy';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import { Construct } from 'constructs';
import { createHash } from 'crypto';
import { ownAccountId, ownAccountRoot, ownPartition } from '../core/account';
import { addCustomerManagedKey } from '../core/kms-key';
import { Naming } from '../core/naming';

/** What a publishing service needs from the topic's key: a data key to encrypt the message with (SNS docs). */
export const TOPIC_KEY_PUBLISH_ACTIONS = ['kms:GenerateDataKey*', 'kms:Decrypt'];
/** The account's management of its own topic, as in SNS's default policy; publishing is left to the services below. */
export const TOPIC_MANAGEMENT_ACTIONS = [
  'sns:GetTopicAttributes', 'sns:SetTopicAttributes', 'sns:AddPermission', 'sns:RemovePermission', 'sns:DeleteTopic',
  'sns:Subscribe', 'sns:ListSubscriptionsByTopic',
];

export interface AlertsTopicProps {
  readonly naming: Naming;
  readonly region: string;
  /** Addresses that receive every alert by email (each confirms once). @default none */
  readonly emails?: string[];
  /** https:// URLs that receive every alert as an SNS HTTP notification (each confirms once). @default none */
  readonly httpsEndpoints?: string[];
  /** Days between the key's deletion request and its deletion. @default 30 */
  readonly keyDeletionWindowDays?: number;
}

export class AlertsTopic extends Construct {
  readonly topic: SnsTopic;
  readonly key: KmsKey;
  readonly subscriptions: SnsTopicSubscription[];

  constructor(scope: Construct, id: string, props: AlertsTopicProps) {
    super(scope, id);
    const { naming, region } = props;
    const account = ownAccountId(this);
    const partition = ownPartition(this);
    const accountRoot = ownAccountRoot(this);
    // Only this environment's alarms and rules are named `<project>-…-<suffix>`.
    const ownAlarms = `arn:${partition}:cloudwatch:${region}:${account}:alarm:${naming.name('*')}`;
    const ownRules = `arn:${partition}:events:${region}:${account}:rule/${naming.name('*')}`;

    this.key = addCustomerManagedKey(this, {
      naming,
      component: 'alerts',
      description: `Encrypts the ${naming.environmentSuffix} alerts topic`,
      deletionWindowDays: props.keyDeletionWindowDays,
      policyId: 'key-policy',
      statements: [
        {
          sid: 'UsedByCloudWatchAlarmsOfTheAccount',
          principals: [{ type: 'Service', identifiers: ['cloudwatch.amazonaws.com'] }],
          actions: TOPIC_KEY_PUBLISH_ACTIONS,
          resources: ['*'],
          condition: [{ test: 'StringEquals', variable: 'aws:SourceAccount', values: [account] }],
        },
        {
          sid: 'UsedByEventBridgeRules',
          principals: [{ type: 'Service', identifiers: ['events.amazonaws.com'] }],
          actions: TOPIC_KEY_PUBLISH_ACTIONS,
          resources: ['*'],
          // No aws:SourceAccount here: EventBridge's KMS requests for an encrypted SNS target do not carry it, so
          // the condition would drop every event silently. The topic policy limits EventBridge to this account's rules.
        },
      ],
    }).key;

    const name = naming.name('alerts', 256);
    this.topic = new SnsTopic(this, 'topic', {
      name,
      displayName: `${naming.project} ${naming.environmentSuffix} alerts`,
      kmsMasterKeyId: this.key.arn,
      tags: { Name: name },
    });
    const topicPolicy = new DataAwsIamPolicyDocument(this, 'topic-policy', {
      statement: [
        {
          sid: 'ManagedByTheAccount',
          principals: [{ type: 'AWS', identifiers: [accountRoot] }],
          actions: TOPIC_MANAGEMENT_ACTIONS,
          resources: [this.topic.arn],
        },
        {
          sid: 'PublishedByTheEnvironmentsAlarms',
          principals: [{ type: 'Service', identifiers: ['cloudwatch.amazonaws.com'] }],
          actions: ['sns:Publish'],
          resources: [this.topic.arn],
          condition: [
            { test: 'StringEquals', variable: 'aws:SourceAccount', values: [account] },
            { test: 'ArnLike', variable: 'aws:SourceArn', values: [ownAlarms] },
          ],
        },
        {
          sid: 'PublishedByTheEnvironmentsEventRules',
          principals: [{ type: 'Service', identifiers: ['events.amazonaws.com'] }],
          actions: ['sns:Publish'],
          resources: [this.topic.arn],
          condition: [
            { test: 'StringEquals', variable: 'aws:SourceAccount', values: [account] },
            { test: 'ArnLike', variable: 'aws:SourceArn', values: [ownRules] },
          ],
        },
      ],
    });
    new SnsTopicPolicy(this, 'policy', { arn: this.topic.arn, policy: topicPolicy.json });

    this.subscriptions = [
      ...(props.emails ?? []).map((email) => new SnsTopicSubscription(this, subscriptionId('email', email), {
        topicArn: this.topic.arn, protocol: 'email', endpoint: email,
      })),
      ...(props.httpsEndpoints ?? []).map((url) => new SnsTopicSubscription(this, subscriptionId('https', url), {
        topicArn: this.topic.arn, protocol: 'https', endpoint: url, endpointAutoConfirms: false,
      })),
    ];
  }
}

/** Keyed by the endpoint, not its position: reordering the setting must not re-create (and re-confirm) subscriptions. */
function subscriptionId(protocol: string, endpoint: string): string {
  return `${protocol}-${createHash('sha256').update(endpoint).digest('hex').slice(0, 12)}`;
}
