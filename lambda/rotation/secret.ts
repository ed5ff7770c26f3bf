// The secret's JSON: { engine: "postgres" or "aurora-postgresql", host, port?, username, password, dbname?, ssl? }.
// Errors name the version and the field, never a value: the text may hold a password.

export interface DatabaseSecret {
  host: string;
  port: number;
  username: string;
  password: string;
  dbname: string;
  /** TLS unless the secret says `"ssl": false` (or the string "false"). */
  ssl: boolean;
}

const DEFAULT_PORT = 5432;
const DEFAULT_DBNAME = 'postgres';
const ENGINES = ['postgres', 'aurora-postgresql'];

/** Reads and validates the secret string of one version; `label` (e.g. AWSCURRENT) names it in errors. */
export function parseDatabaseSecret(secretString: string, label: string): DatabaseSecret {
  const fields = parseJsonObject(secretString, label);
  const invalid = (field: string, expectation: string) => new Error(`${label} secret: "${field}" ${expectation}`);

  if (!ENGINES.includes(fields.engine as string)) throw invalid('engine', 'must be "postgres" or "aurora-postgresql"');
  const text = (field: string, fallback?: string): string => {
    const value = fields[field] ?? fallback;
    if (typeof value !== 'string' || value === '') throw invalid(field, 'must be a non-empty string');
    return value;
  };
  return {
    host: text('host'),
    port: readPort(fields.port, invalid),
    username: text('username'),
    password: text('password'),
    dbname: text('dbname', DEFAULT_DBNAME),
    ssl: readSsl(fields.ssl, invalid),
  };
}

/** The same secret string with only the password replaced, so fields this function does not know survive. */
export function withPassword(secretString: string, password: string, label: string): string {
  return JSON.stringify({ ...parseJsonObject(secretString, label), password });
}

function parseJsonObject(secretString: string, label: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(secretString);
  } catch {
    // JSON.parse quotes the text it failed on, so its message must not be passed on.
    throw new Error(`${label} secret: the secret string is not valid JSON`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error(`${label} secret: the secret string is not a JSON object`);
  }
  return parsed as Record<string, unknown>;
}

type InvalidField = (field: string, expectation: string) => Error;

function readPort(value: unknown, invalid: InvalidField): number {
  if (value === undefined) return DEFAULT_PORT;
  // Secrets written by hand often carry the port as a string.
  const port = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw invalid('port', 'must be an integer from 1 to 65535');
  }
  return port;
}

function readSsl(value: unknown, invalid: InvalidField): boolean {
  // Without "ssl", AWS's own rotation functions try TLS and fall back to plain TCP; this one never falls back.
  if (value === undefined) return true;
  if (typeof value === 'boolean') return value;
  // As AWS's functions read it: the strings "true" and "false" in any case. Anything else is refused rather than
  // guessed at (AWS's would fall back to plain TCP): turning TLS off must be explicit.
  const text = typeof value === 'string' ? value.toLowerCase() : undefined;
  if (text !== 'true' && text !== 'false') {
    throw invalid('ssl', 'must be true or false (a JSON boolean, or that string)');
  }
  return text === 'true';
}
