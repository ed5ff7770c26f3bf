/**
 * Alarms on the RDS instance: CPU, free storage (relative to the storage allocated at creation), freeable
 * memory and connections (relative to the instance class's max_connections). There is no replica lag alarm:
 * the platform has no read replica (Multi-AZ's standby is synchronous and publishes no ReplicaLag).
 */
import { Construct } from 'constructs';
import { ConfigError } from '../core/config';
import { Naming } from '../core/naming';
import { MetricAlarm } from './metric-alarm';
import { databaseMetric } from './metrics';

const GIB = 1024 ** 3;
const MIB = 1024 ** 2;
/** RDS PostgreSQL's default: max_connections = LEAST({DBInstanceClassMemory/9531392}, 5000). */
const BYTES_PER_CONNECTION = 9531392;
const MAX_CONNECTIONS_CAP = 5000;
/** Memory of the burstable sizes, GiB. */
const BURSTABLE_MEMORY_GIB: Readonly<Record<string, number>> = { micro: 1, small: 2, medium: 4, large: 8, xlarge: 16, '2xlarge': 32 };
/** Memory per xlarge of the general-purpose (m) and memory-optimised (r) families, GiB; `large` is half an xlarge. */
const MEMORY_PER_XLARGE_GIB: Readonly<Record<string, number>> = { m: 16, r: 32 };

/** Memory of an RDS instance class, GiB, for the t, m and r families; undefined for any other. */
export function instanceClassMemoryGib(instanceClass: string): number | undefined {
  const [, family = '', size = ''] = instanceClass.split('.');
  if (/^t\d+g?$/.test(family)) return BURSTABLE_MEMORY_GIB[size];
  const perXlarge = MEMORY_PER_XLARGE_GIB[family[0]];
  if (!perXlarge || !/^[mr]\d+[a-z]*$/.test(family)) return undefined;
  if (size === 'large') return perXlarge / 2;
  const multiple = /^(\d*)xlarge$/.exec(size);
  return multiple ? perXlarge * Number(multiple[1] || 1) : undefined;
}

/**
 * The instance's max_connections: `override` (ALARM_DB_MAX_CONNECTIONS) when given, else RDS's default formula
 * over the class's nominal memory. RDS reserves part of the memory, so the derived value is somewhat above the
 * real one on small classes; the alarm's percentage absorbs that, and the setting makes it exact.
 */
export function databaseMaxConnections(instanceClass: string, override?: number): number {
  if (override !== undefined) return override;
  const memoryGib = instanceClassMemoryGib(instanceClass);
  if (memoryGib === undefined) {
    throw new ConfigError([`ALARM_DB_MAX_CONNECTIONS is needed for DB_INSTANCE_CLASS ${JSON.stringify(instanceClass)}: its memory, and so its max_connections, is known for the t, m and r families only; set it to the instance's max_connections (SHOW max_connections)`]);
  }
  return Math.min(Math.floor((memoryGib * GIB) / BYTES_PER_CONNECTION), MAX_CONNECTIONS_CAP);
}

export interface DatabaseAlarmsProps {
  readonly naming: Naming;
  /** The instance identifier, from the instance resource. */
  readonly instanceIdentifier: string;
  readonly topicArn: string;
  readonly cpuPercent: number;
  /** Storage allocated at creation, GiB: the free storage threshold is a share of it. */
  readonly allocatedStorageGib: number;
  readonly freeStoragePercent: number;
  readonly freeableMemoryMib: number;
  readonly maxConnections: number;
  readonly connectionsPercent: number;
}

export class DatabaseAlarms extends Construct {
  readonly cpu: MetricAlarm;
  readonly freeStorage: MetricAlarm;
  readonly freeableMemory: MetricAlarm;
  readonly connections: MetricAlarm;

  constructor(scope: Construct, id: string, props: DatabaseAlarmsProps) {
    super(scope, id);
    const { naming, instanceIdentifier: instance, topicArn } = props;
    this.cpu = new MetricAlarm(this, 'cpu', {
      naming,
      component: 'postgres-cpu',
      description: `Database CPU above ${props.cpuPercent}% on average for 15 minutes`,
      metric: databaseMetric('CPUUtilization', instance),
      statistic: 'Average',
      comparison: 'GreaterThanThreshold',
      threshold: props.cpuPercent,
      periodSeconds: 300,
      evaluationPeriods: 3,
      // RDS reports every minute while the instance runs: a gap says nothing about load, so the alarm keeps its state.
      treatMissingData: 'missing',
      topicArn,
    });
    const freeStorageBytes = Math.floor((props.allocatedStorageGib * GIB * props.freeStoragePercent) / 100);
    this.freeStorage = new MetricAlarm(this, 'free-storage', {
      naming,
      component: 'postgres-free-storage',
      description: `Database free storage below ${props.freeStoragePercent}% of the ${props.allocatedStorageGib} GiB allocated (${freeStorageBytes} bytes): storage autoscaling has reached its maximum or cannot keep up`,
      metric: databaseMetric('FreeStorageSpace', instance),
      statistic: 'Minimum',
      comparison: 'LessThanThreshold',
      threshold: freeStorageBytes,
      periodSeconds: 300,
      evaluationPeriods: 1,
      // A gap is not free space running out; the alarm keeps its state until RDS reports again.
      treatMissingData: 'missing',
      topicArn,
    });
    this.freeableMemory = new MetricAlarm(this, 'freeable-memory', {
      naming,
      component: 'postgres-freeable-memory',
      description: `Database freeable memory below ${props.freeableMemoryMib} MiB on average for 15 minutes`,
      metric: databaseMetric('FreeableMemory', instance),
      statistic: 'Average',
      comparison: 'LessThanThreshold',
      threshold: props.freeableMemoryMib * MIB,
      periodSeconds: 300,
      evaluationPeriods: 3,
      // As for CPU: a gap is not memory pressure.
      treatMissingData: 'missing',
      topicArn,
    });
    const connections = Math.floor((props.maxConnections * props.connectionsPercent) / 100);
    this.connections = new MetricAlarm(this, 'connections', {
      naming,
      component: 'postgres-connections',
      description: `Database connections above ${connections} (${props.connectionsPercent}% of max_connections ${props.maxConnections}) for 10 minutes: new logins will soon be refused`,
      metric: databaseMetric('DatabaseConnections', instance),
      statistic: 'Maximum',
      comparison: 'GreaterThanThreshold',
      threshold: connections,
      periodSeconds: 300,
      evaluationPeriods: 2,
      // As for CPU: a gap is not a connection count.
      treatMissingData: 'missing',
      topicArn,
    });
  }

  /** The alarms that mean users are (about to be) affected: writes fail without storage, logins without connections. */
  get userImpactAlarmNames(): string[] {
    return [this.freeStorage.alarm.alarmName, this.connections.alarm.alarmName];
  }
}
