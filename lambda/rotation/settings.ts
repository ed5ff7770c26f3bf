import { readFileSync } from 'node:fs';
import { TRUSTED_CA_CERTIFICATES } from './certificates';
import type { DatabaseSettings } from './database';
import { DEFAULT_DB_TIMEOUT_MS } from './limits';

export interface PasswordSettings {
  length: number;
  excludeCharacters: string;
}

export interface Settings {
  password: PasswordSettings;
  database: DatabaseSettings;
}

// RDS refuses / ' " @ and space in master passwords; : and \ break connection strings.
const DEFAULT_EXCLUDE_CHARACTERS = ':/@"\'\\ ';
const DEFAULT_PASSWORD_LENGTH = 32;

/** Read on each invocation (it is cheap), so a bad value fails that invocation with a message naming it. */
export function readSettings(env: NodeJS.ProcessEnv): Settings {
  return {
    password: {
      length: positiveInteger(env, 'PASSWORD_LENGTH', DEFAULT_PASSWORD_LENGTH),
      excludeCharacters: env.EXCLUDE_CHARACTERS ?? DEFAULT_EXCLUDE_CHARACTERS,
    },
    database: {
      tlsCa: env.DB_TLS_CA_FILE ? readFileSync(env.DB_TLS_CA_FILE, 'utf8') : [...TRUSTED_CA_CERTIFICATES],
      timeoutMs: positiveInteger(env, 'DB_TIMEOUT_MS', DEFAULT_DB_TIMEOUT_MS),
    },
  };
}

function positiveInteger(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const text = env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer`);
  return value;
}
