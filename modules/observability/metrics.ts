/**
 * The CloudWatch metrics the platform watches, each with its namespace and dimensions in one place: the
 * alarms and the dashboard both build on these, so a dimension can never differ between the two.
 */

export interface Metric {
  readonly namespace: string;
  readonly metricName: string;
  /** Dimension name to value; values are usually Terraform references (ARN suffixes, names). */
  readonly dimensions: Readonly<Record<string, string>>;
}

/** A load balancer metric; `albArnSuffix` is `app/<name>/<id>`, the `LoadBalancer` dimension. */
export function loadBalancerMetric(metricName: string, albArnSuffix: string): Metric {
  return { namespace: 'AWS/ApplicationELB', metricName, dimensions: { LoadBalancer: albArnSuffix } };
}

/** A target group metric, which CloudWatch keys by both the target group and its load balancer. */
export function targetGroupMetric(metricName: string, albArnSuffix: string, targetGroupArnSuffix: string): Metric {
  return { namespace: 'AWS/ApplicationELB', metricName, dimensions: { TargetGroup: targetGroupArnSuffix, LoadBalancer: albArnSuffix } };
}

export function databaseMetric(metricName: string, instanceIdentifier: string): Metric {
  return { namespace: 'AWS/RDS', metricName, dimensions: { DBInstanceIdentifier: instanceIdentifier } };
}

export function lambdaMetric(metricName: string, functionName: string): Metric {
  return { namespace: 'AWS/Lambda', metricName, dimensions: { FunctionName: functionName } };
}

/** Auto Scaling group metrics (GroupInServiceInstances and the like); published once group metrics collection is on. */
export function autoScalingGroupMetric(metricName: string, groupName: string): Metric {
  return { namespace: 'AWS/AutoScaling', metricName, dimensions: { AutoScalingGroupName: groupName } };
}
