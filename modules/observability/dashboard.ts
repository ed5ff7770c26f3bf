/**
 * One CloudWatch dashboard per environment: the load balancer's golden signals (traffic, errors, latency,
 * saturation), the blue and green fleets on the same graphs (a traffic shift shows as one line handing over to
 * the other), the database and the rotation function. Every metric comes from metrics.ts and the 5xx rate from
 * the alarm's own expression, so the dashboard shows exactly what the alarms watch.
 * For the app layer: AlbArnSuffix, BlueTargetGroupArnSuffix, GreenTargetGroupArnSuffix (network);
 * DBInstanceIdentifier, RotationFunctionName (data); the two Auto Scaling group names (app, with group metrics
 * collection on, or the in-service graph stays empty).
 */
import { CloudwatchDashboard } from '@cdktf/provider-aws/lib/cloudwatch-dashboard';
import { Construct } from 'constructs';
import { APP_COLORS, AppColor } from '../core/config';
import { Naming } from '../core/naming';
import { ERROR_RATE_EXPRESSION } from './load-balancer-alarms';
import { autoScalingGroupMetric, databaseMetric, lambdaMetric, loadBalancerMetric, Metric, targetGroupMetric } from './metrics';

/** Line colours of the fleets on every graph. */
const FLEET_LINE_COLORS: Readonly<Record<AppColor, string>> = { blue: '#1f77b4', green: '#2ca02c' };
/** The dashboard grid is 24 units wide; four graphs a row. */
const WIDGET_WIDTH = 6;
const WIDGET_HEIGHT = 6;

export interface DashboardProps {
  readonly naming: Naming;
  readonly region: string;
  readonly albArnSuffix: string;
  readonly targetGroupArnSuffixes: Readonly<Record<AppColor, string>>;
  readonly autoScalingGroupNames: Readonly<Record<AppColor, string>>;
  readonly databaseInstanceIdentifier: string;
  readonly rotationFunctionName: string;
}

/** One line of a graph: `[namespace, metric, dimension, value, …, options]`. */
type MetricLine = Array<string | Record<string, unknown>>;
interface Graph {
  readonly title: string;
  readonly metrics: MetricLine[];
  /** @default 'Sum' */
  readonly stat?: string;
}

function line(metric: Metric, options: Record<string, unknown>): MetricLine {
  return [metric.namespace, metric.metricName, ...Object.entries(metric.dimensions).flat(), options];
}

export class Dashboard extends Construct {
  readonly dashboard: CloudwatchDashboard;
  /** The graphs, row by row, as the dashboard shows them. */
  readonly rows: ReadonlyArray<{ readonly title: string; readonly graphs: readonly Graph[] }>;

  constructor(scope: Construct, id: string, props: DashboardProps) {
    super(scope, id);
    const { albArnSuffix: alb, targetGroupArnSuffixes: groups, autoScalingGroupNames: fleets } = props;
    const db = props.databaseInstanceIdentifier;
    const fn = props.rotationFunctionName;
    const perColor = (metricName: string, stat: string, what = ''): MetricLine[] =>
      APP_COLORS.map((color) => line(targetGroupMetric(metricName, alb, groups[color]), { stat, label: `${color}${what}`, color: FLEET_LINE_COLORS[color] }));

    this.rows = [
      {
        title: 'Load balancer: golden signals',
        graphs: [
          { title: 'Requests (traffic)', metrics: [line(loadBalancerMetric('RequestCount', alb), { label: 'requests' })] },
          {
            title: '5xx responses, % of requests (errors; the alarm\'s expression)',
            metrics: [
              [{ id: 'rate', expression: ERROR_RATE_EXPRESSION, label: '5xx %' }],
              line(loadBalancerMetric('HTTPCode_ELB_5XX_Count', alb), { id: 'elb5xx', visible: false }),
              line(loadBalancerMetric('HTTPCode_Target_5XX_Count', alb), { id: 'target5xx', visible: false }),
              line(loadBalancerMetric('RequestCount', alb), { id: 'requests', visible: false }),
            ],
          },
          {
            title: 'Target response time, seconds (latency)',
            metrics: ['p50', 'p99'].map((stat) => line(loadBalancerMetric('TargetResponseTime', alb), { stat, label: stat })),
          },
          { title: 'Active connections (saturation)', metrics: [line(loadBalancerMetric('ActiveConnectionCount', alb), { label: 'connections' })] },
        ],
      },
      {
        title: 'Fleets: blue and green side by side',
        graphs: [
          { title: 'Requests per colour', metrics: perColor('RequestCount', 'Sum') },
          {
            title: 'Healthy and unhealthy hosts per colour',
            stat: 'Minimum',
            metrics: [...perColor('HealthyHostCount', 'Minimum'), ...perColor('UnHealthyHostCount', 'Maximum', ' unhealthy')],
          },
          { title: 'p99 response time per colour, seconds', metrics: perColor('TargetResponseTime', 'p99'), stat: 'p99' },
          {
            title: 'In-service instances per colour',
            stat: 'Average',
            metrics: APP_COLORS.map((color) => line(autoScalingGroupMetric('GroupInServiceInstances', fleets[color]), { stat: 'Average', label: color, color: FLEET_LINE_COLORS[color] })),
          },
        ],
      },
      {
        title: 'Database',
        graphs: [
          { title: 'CPU, %', stat: 'Average', metrics: [line(databaseMetric('CPUUtilization', db), { stat: 'Average', label: 'CPU' })] },
          { title: 'Connections', stat: 'Maximum', metrics: [line(databaseMetric('DatabaseConnections', db), { stat: 'Maximum', label: 'connections' })] },
          {
            title: 'Free storage and freeable memory, bytes',
            stat: 'Minimum',
            metrics: ['FreeStorageSpace', 'FreeableMemory'].map((name) => line(databaseMetric(name, db), { stat: 'Minimum', label: name })),
          },
          {
            title: 'Read and write latency, seconds',
            stat: 'Average',
            metrics: ['ReadLatency', 'WriteLatency'].map((name) => line(databaseMetric(name, db), { stat: 'Average', label: name })),
          },
        ],
      },
      {
        title: 'Secret rotation function',
        graphs: [
          { title: 'Invocations and errors', metrics: ['Invocations', 'Errors'].map((name) => line(lambdaMetric(name, fn), { label: name })) },
          { title: 'Longest run, ms', stat: 'Maximum', metrics: [line(lambdaMetric('Duration', fn), { stat: 'Maximum', label: 'duration' })] },
        ],
      },
    ];

    const widgets = this.rows.flatMap((row, rowIndex) => {
      const top = rowIndex * (WIDGET_HEIGHT + 1);
      return [
        { type: 'text', x: 0, y: top, width: 24, height: 1, properties: { markdown: `## ${row.title}` } },
        ...row.graphs.map((graph, index) => ({
          type: 'metric',
          x: index * WIDGET_WIDTH,
          y: top + 1,
          width: WIDGET_WIDTH,
          height: WIDGET_HEIGHT,
          properties: { title: graph.title, region: props.region, view: 'timeSeries', period: 60, stat: graph.stat ?? 'Sum', metrics: graph.metrics },
        })),
      ];
    });
    this.dashboard = new CloudwatchDashboard(this, 'dashboard', {
      dashboardName: props.naming.name('platform'),
      // Dimension values are Terraform references inside the JSON text; Terraform fills them in.
      dashboardBody: JSON.stringify({ widgets }),
    });
  }
}
