/**
 * One colour's boot script as EC2 user data. It is rendered at synth time (boot-script.ts); the values only
 * known at apply time (the data layer's secret ARN and database endpoint) go in as Terraform references,
 * each single-quoted, with a plan-time precondition that it holds nothing a single-quoted shell word would
 * have to escape. The script's own `${` and `%{` are escaped, so Terraform leaves the shell's alone.
 */
import { Fn, Precondition, TerraformLocal, Token, Tokenization } from 'cdktf';
import { Construct } from 'constructs';
import { BootSettings, renderBootScript, shellQuote } from './boot-script';

/** EC2 refuses user data larger than 16 KiB (before base64). */
export const USER_DATA_MAX_BYTES = 16 * 1024;
/** Room each apply-time reference may take once Terraform fills it in (an ARN or host name is far shorter). */
const REFERENCE_ALLOWANCE_BYTES = 256;
/** ARNs, host names and ports: characters that need no escaping inside single quotes. */
const SAFE_APPLY_TIME_VALUE = '^[-A-Za-z0-9:/_+=.@]+$';

/** Escapes text for a Terraform template string: `${` and `%{` would start an interpolation or a directive. */
export function escapeTerraformTemplate(text: string): string {
  return text.replace(/\$\{/g, () => '$${').replace(/%\{/g, () => '%%{');
}

export interface BootUserDataProps {
  readonly settings: BootSettings;
}

export class BootUserData extends Construct {
  /** The script, base64-encoded by Terraform, for a launch template's `user_data`. */
  readonly base64: string;
  /** Checks that every apply-time value fits the quoting; for the launch template's lifecycle. */
  readonly preconditions: Precondition[];

  constructor(scope: Construct, id: string, props: BootUserDataProps) {
    super(scope, id);
    const references = Object.entries(props.settings).filter(([, value]) => typeof value === 'string' && Token.isUnresolved(value));
    for (const [name, value] of references) {
      const fragments = Tokenization.reverseString(value);
      if (fragments.length !== 1 || fragments.firstToken === undefined) {
        throw new Error(`boot setting ${name} mixes text and a Terraform reference; pass the reference alone`);
      }
    }
    const script = renderBootScript(props.settings, {
      literal: escapeTerraformTemplate,
      quote: (value) => (Token.isUnresolved(value) ? `'${value}'` : escapeTerraformTemplate(shellQuote(value))),
    });
    const bytes = Buffer.byteLength(script) + references.length * REFERENCE_ALLOWANCE_BYTES;
    if (bytes > USER_DATA_MAX_BYTES) {
      throw new Error(`the ${props.settings.color} boot script takes up to ${bytes} bytes, above the ${USER_DATA_MAX_BYTES} bytes EC2 accepts as user data`);
    }
    this.base64 = Fn.base64encode(new TerraformLocal(this, 'script', script).asString);
    this.preconditions = references.map(([name, value]) => ({
      condition: Fn.can(Fn.regex(SAFE_APPLY_TIME_VALUE, value)),
      errorMessage: `The boot script takes ${name} as a single-quoted shell word, so it may hold letters, digits and - : / _ + = . @ only.`,
    }));
  }
}
