/**
 * The Lambda function that rotates the database secret (lambda/rotation, single-user scheme), packaged
 * as a deterministic zip so an unchanged build never changes the plan. It runs on arm64 in the network
 * layer's private subnets with the rotation security group, logs to its own log group with retention,
 * and its role may touch this one secret, and the layer's key only through Secrets Manager.
 */
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { AssetType, TerraformAsset } from 'cdktf';
import { Construct } from 'constructs';
import { DEFAULT_DB_TIMEOUT_MS, rotationWorstCaseMs } from '../../lambda/rotation/limits';
import { ownDnsSuffix } from '../core/account';
import { ServiceRole } from '../core/iam';
import { lambdaPackage } from '../core/lambda-package';
import { Naming } from '../core/naming';

/** The runtime the function is built for (scripts/build.mjs targets node24): nodejs22.x reaches its end of support on 2027-04-30. */
export const ROTATION_RUNTIME = 'nodejs24.x';
/** Beyond the function's own worst case: a cold start (loading a 1.5 MiB bundle) and clock skew. */
const TIMEOUT_ALLOWANCE_SECONDS = 30;

/**
 * The function's timeout: its worst case for one step (lambda/rotation/limits.ts: three database sessions of up to
 * three DB_TIMEOUT_MS each, and four Secrets Manager calls with their retries), plus a cold start, so Lambda never
 * stops it while it may still be talking to the database.
 */
export function rotationTimeoutSeconds(databaseTimeoutMs: number): number {
  return Math.ceil(rotationWorstCaseMs(databaseTimeoutMs) / 1000) + TIMEOUT_ALLOWANCE_SECONDS;
}

export interface RotationFunctionProps {
  readonly naming: Naming;
  readonly region: string;
  /** Full function name; also names its log group (see `logGroupName`). */
  readonly functionName: string;
  /** The esbuild bundle, `dist/rotation/index.js`, exporting `handler`. */
  readonly bundlePath: string;
  /** The one secret the function rotates. */
  readonly secretArn: string;
  /** The key the secret is encrypted with. */
  readonly kmsKeyArn: string;
  readonly subnetIds: string[];
  readonly securityGroupIds: string[];
  readonly logRetentionDays: number;
  /** Length and excluded characters of new passwords, as for the first one. */
  readonly password: { readonly length: number; readonly excludeCharacters: string };
  /** Limit for connecting, for each query and for closing (the function's DB_TIMEOUT_MS); the function's timeout follows from it. @default 5000 */
  readonly databaseTimeoutMs?: number;
  /** @default 256 */
  readonly memoryMb?: number;
}

export class RotationFunction extends Construct {
  readonly function: LambdaFunction;
  readonly role: ServiceRole;
  readonly logGroup: CloudwatchLogGroup;

  constructor(scope: Construct, id: string, props: RotationFunctionProps) {
    super(scope, id);
    const { naming } = props;
    this.logGroup = new CloudwatchLogGroup(this, 'log-group', {
      name: RotationFunction.logGroupName(props.functionName),
      retentionInDays: props.logRetentionDays,
      kmsKeyId: props.kmsKeyArn,
      tags: naming.nameTag('secret-rotation-log'),
    });
    this.role = new ServiceRole(this, 'role', {
      name: naming.globalName('secret-rotation'),
      description: 'Rotates the database credentials secret',
      servicePrincipal: 'lambda.amazonaws.com',
      // An execution role handed over with iam:PassRole: Lambda sends no aws:SourceAccount when it assumes it.
      sourceAccountCondition: false,
      // Network interfaces in the VPC, and the function's logs.
      awsManagedPolicies: ['service-role/AWSLambdaVPCAccessExecutionRole'],
      statements: [
        {
          sid: 'RotateTheDatabaseSecret',
          actions: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue', 'secretsmanager:PutSecretValue', 'secretsmanager:UpdateSecretVersionStage'],
          resources: [props.secretArn],
        },
        {
          sid: 'GeneratePasswords',
          actions: ['secretsmanager:GetRandomPassword'],
          // GetRandomPassword acts on no resource: AWS offers nothing narrower than "*".
          resources: ['*'],
        },
        {
          sid: 'UseTheSecretKeyThroughSecretsManager',
          actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
          resources: [props.kmsKeyArn],
          conditions: [{ test: 'StringEquals', variable: 'kms:ViaService', values: [`secretsmanager.${props.region}.${ownDnsSuffix(this)}`] }],
        },
      ],
    });

    const code = lambdaPackage(props.bundlePath, 'rotation function');
    const databaseTimeoutMs = props.databaseTimeoutMs ?? DEFAULT_DB_TIMEOUT_MS;
    const asset = new TerraformAsset(this, 'package', { path: code.path, type: AssetType.FILE });
    this.function = new LambdaFunction(this, 'function', {
      functionName: props.functionName,
      description: 'Rotates the database credentials secret (single user)',
      role: this.role.role.arn,
      runtime: ROTATION_RUNTIME,
      architectures: ['arm64'],
      handler: 'index.handler',
      filename: asset.path,
      sourceCodeHash: code.sourceCodeHash,
      timeout: rotationTimeoutSeconds(databaseTimeoutMs),
      memorySize: props.memoryMb ?? 256,
      vpcConfig: { subnetIds: props.subnetIds, securityGroupIds: props.securityGroupIds },
      environment: {
        variables: {
          PASSWORD_LENGTH: String(props.password.length),
          EXCLUDE_CHARACTERS: props.password.excludeCharacters,
          DB_TIMEOUT_MS: String(databaseTimeoutMs),
        },
      },
      // Lambda checks at creation that the role may create network interfaces, and logs from the first call.
      dependsOn: [this.logGroup, ...this.role.permissions],
      tags: naming.nameTag('secret-rotation'),
    });
  }

  /** The function's name in an environment: `<project>-secret-rotation-<suffix>`. */
  static functionName(naming: Naming): string {
    return naming.name('secret-rotation', 64);
  }

  /** `/aws/lambda/<function name>`, where Lambda writes the function's logs. */
  static logGroupName(functionName: string): string {
    return `/aws/lambda/${functionName}`;
  }
}
