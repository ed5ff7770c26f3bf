/**
 * The launch template of one colour (seed fixes 2 and 9): the latest Amazon Linux 2023, IMDSv2 only with a
 * hop limit of 1 (no container on the host can reach the instance's credentials), an encrypted gp3 root
 * volume, detailed monitoring, the app security group, the instance profile, and the colour's boot script.
 * Instances, volumes and network interfaces get the full tag set and the colour: the provider's default_tags
 * do not reach what a launch template creates.
 */
import { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';
import { Construct } from 'constructs';
import { AppColor } from '../core/config';
import { Naming } from '../core/naming';
import { BootSettings } from './boot-script';
import { BootUserData } from './user-data';

/** AL2023 AMIs boot from an 8 GiB snapshot; EBS allows gp3 volumes up to 16 TiB. */
const ROOT_VOLUME_GIB = { min: 8, max: 16384 } as const;
/** Longest launch template name EC2 accepts. */
const NAME_LIMIT = 128;

export interface ColorLaunchTemplateProps {
  readonly naming: Naming;
  readonly color: AppColor;
  readonly imageId: string;
  readonly instanceType: string;
  readonly instanceProfileArn: string;
  readonly securityGroupIds: string[];
  /** What the boot script needs; its colour must be this template's. */
  readonly boot: BootSettings;
  /** Tags of the instances, volumes and network interfaces launched, besides Name and Color: the organisation's. */
  readonly tags: Readonly<Record<string, string>>;
  /** Size of the root volume. @default 20 */
  readonly rootVolumeGiB?: number;
}

export class ColorLaunchTemplate extends Construct {
  readonly launchTemplate: LaunchTemplate;

  constructor(scope: Construct, id: string, props: ColorLaunchTemplateProps) {
    super(scope, id);
    const { naming, color } = props;
    const rootVolumeGiB = props.rootVolumeGiB ?? 20;
    if (!Number.isInteger(rootVolumeGiB) || rootVolumeGiB < ROOT_VOLUME_GIB.min || rootVolumeGiB > ROOT_VOLUME_GIB.max) {
      throw new Error(`rootVolumeGiB ${rootVolumeGiB} of the ${color} launch template is not allowed: use a whole number from ${ROOT_VOLUME_GIB.min} to ${ROOT_VOLUME_GIB.max}`);
    }
    if (props.boot.color !== color) throw new Error(`the ${color} launch template was given the ${props.boot.color} boot script`);

    const userData = new BootUserData(this, 'user-data', { settings: props.boot });
    const launchedTags = { ...props.tags, Name: naming.name(`${color}-app`), Color: color };
    const name = naming.name(`${color}-app`, NAME_LIMIT);
    this.launchTemplate = new LaunchTemplate(this, 'launch-template', {
      name,
      description: `App servers of the ${color} fleet`,
      imageId: props.imageId,
      instanceType: props.instanceType,
      iamInstanceProfile: { arn: props.instanceProfileArn },
      vpcSecurityGroupIds: props.securityGroupIds,
      userData: userData.base64,
      metadataOptions: {
        httpEndpoint: 'enabled',
        httpTokens: 'required',
        httpPutResponseHopLimit: 1,
        instanceMetadataTags: 'disabled',
      },
      monitoring: { enabled: true },
      blockDeviceMappings: [{
        deviceName: '/dev/xvda',
        ebs: { volumeType: 'gp3', volumeSize: rootVolumeGiB, encrypted: 'true', deleteOnTermination: 'true' },
      }],
      tagSpecifications: ['instance', 'volume', 'network-interface'].map((resourceType) => ({ resourceType, tags: launchedTags })),
      // The fleet follows latest_version; the default version follows too, for whoever launches by hand.
      updateDefaultVersion: true,
      tags: { Name: name, Color: color },
      lifecycle: { precondition: userData.preconditions },
    });
  }
}
