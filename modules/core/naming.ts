/**
 * Resource names: `<project>-<component>-<suffix>`, so two environments never collide and every
 * name says which environment it belongs to (seed fixes 8-10).
 */
import { ConfigError } from './config';

/** Name length limits AWS enforces, for the names this platform creates. */
export const NAME_LIMITS = {
  loadBalancer: 32,
  targetGroup: 32,
  iamRole: 64,
  securityGroup: 255,
  logGroup: 512,
  /** Terraform's limit for bucket_prefix; it appends 26 unique characters to reach S3's 63. */
  s3BucketPrefix: 37,
} as const;

export class Naming {
  constructor(
    readonly project: string,
    readonly environmentSuffix: string,
    readonly region: string,
  ) {}

  /** `<project>-<component>-<suffix>`; throws at synth time when AWS would reject its length. */
  name(component: string, maxLength: number = NAME_LIMITS.securityGroup): string {
    const name = `${this.project}-${component}-${this.environmentSuffix}`;
    if (name.length > maxLength) {
      throw new ConfigError([
        `PROJECT_NAME ${JSON.stringify(this.project)} and ENVIRONMENT_SUFFIX ${JSON.stringify(this.environmentSuffix)} make the name ${JSON.stringify(name)} ${name.length} characters long, but AWS allows ${maxLength}; use shorter values`,
      ]);
    }
    return name;
  }

  /**
   * `<project>-<component>-<region>-<suffix>`, for names AWS keeps account-wide across regions (IAM roles
   * and policies): the same environment deployed to a second region must not collide with the first.
   */
  globalName(component: string, maxLength: number = NAME_LIMITS.iamRole): string {
    return this.name(`${component}-${this.region}`, maxLength);
  }

  /** The explicit `Name` tag; every other tag comes from the provider's default_tags. */
  nameTag(component: string): { Name: string } {
    return { Name: this.name(component) };
  }
}
