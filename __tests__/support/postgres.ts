// A real, throwaway PostgreSQL server for component tests: TLS with a certificate made for the test, logins over
// TCP only with TLS and SCRAM, and a trusted local socket for the superuser that sets up roles.

import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, DatabaseError, escapeIdentifier, escapeLiteral } from 'pg';

export interface PostgresServer {
  /** Host name the server certificate is issued for. */
  host: string;
  port: number;
  /** PEM file of the CA that issued the server certificate. */
  caFile: string;
  /** PEM file of a CA with the same name but another key: it must not verify the server. */
  impostorCaFile: string;
  /** Runs SQL as the superuser, over the local socket; the rows of its (last) result. */
  query(sql: string): Promise<Record<string, unknown>[]>;
  /** A superuser session over the local socket, kept open until the caller ends it (to hold locks). */
  superuserSession(): Promise<Client>;
  /** The server's log so far: statements that change roles are logged (log_statement = ddl), as RDS may log them. */
  log(): string;
  createUser(username: string, password: string): Promise<void>;
  /** Tries a TLS login; throws on anything but success or a refused password, so a test cannot pass by accident. */
  login(username: string, password: string): Promise<'accepted' | 'refused'>;
  stop(): void;
}

const SERVER_OS_USER = 'postgres';
const SUPERUSER = 'postgres';
const HOST = 'localhost';
const PORT_ATTEMPTS = 3;
export const PLAIN_TCP_ROLE = 'plain_tcp_logins';

export async function startPostgres(): Promise<PostgresServer> {
  const bin = findServerBinaries();
  const user = serverUser();
  const dir = mkdtempSync(join(tmpdir(), 'rotation-pg-'));
  const dataDir = join(dir, 'data');
  const logFile = join(dir, 'server.log');
  const pgCtl = (...args: string[]) => user.run(join(bin, 'pg_ctl'), ['-D', dataDir, ...args]);
  let running = false;
  const stop = () => {
    try {
      if (running) pgCtl('stop', '-m', 'immediate', '-w');
    } finally {
      running = false;
      rmSync(dir, { recursive: true, force: true });
    }
  };

  try {
    makeCertificates(dir);
    user.own(dir);
    user.run(join(bin, 'initdb'), ['-D', dataDir, '-U', SUPERUSER, '--auth=trust', '--no-sync', '-E', 'UTF8']);
    writeFileSync(
      join(dataDir, 'pg_hba.conf'),
      [
        'local all all trust',
        `hostssl all all 127.0.0.1/32 scram-sha-256`,
        // Members of this role may also log in without TLS, for tests of what TLS would hide (a server's goodbye).
        `host all +${PLAIN_TCP_ROLE} 127.0.0.1/32 scram-sha-256`,
        '',
      ].join('\n'),
    );
    writeFileSync(
      join(dataDir, 'postgresql.auto.conf'),
      [
        `listen_addresses = '127.0.0.1'`,
        `unix_socket_directories = '${dir}'`,
        `ssl = on`,
        `ssl_cert_file = '${join(dir, 'server.crt')}'`,
        `ssl_key_file = '${join(dir, 'server.key')}'`,
        `password_encryption = 'scram-sha-256'`,
        `log_statement = 'ddl'`,
        // A test server: durability only costs time.
        `fsync = off`,
        `full_page_writes = off`,
        `synchronous_commit = off`,
        '',
      ].join('\n'),
    );
    user.own(dir);

    // A port found free can be taken before the server binds it, so a failed start is retried on a new one.
    let port = 0;
    for (let attempt = 1; !running; attempt++) {
      port = await freePort();
      try {
        pgCtl('start', '-w', '-t', '30', '-l', logFile, '-o', `-p ${port}`);
        running = true;
      } catch (error) {
        if (attempt === PORT_ATTEMPTS) throw error;
      }
    }

    const server: PostgresServer = {
      host: HOST,
      port,
      caFile: join(dir, 'ca.crt'),
      impostorCaFile: join(dir, 'impostor-ca.crt'),
      stop,
      async query(sql) {
        const client = await this.superuserSession();
        try {
          const result = await client.query(sql);
          return (Array.isArray(result) ? result[result.length - 1] : result).rows;
        } finally {
          await client.end();
        }
      },
      async superuserSession() {
        const client = new Client({ host: dir, port, user: SUPERUSER, database: 'postgres' });
        await client.connect();
        return client;
      },
      log() {
        return readFileSync(logFile, 'utf8');
      },
      async createUser(username, password) {
        await this.query(`CREATE ROLE ${escapeIdentifier(username)} LOGIN PASSWORD ${escapeLiteral(password)}`);
      },
      async login(username, password) {
        const client = new Client({
          host: HOST,
          port,
          user: username,
          password,
          database: 'postgres',
          ssl: { ca: readFileSync(join(dir, 'ca.crt'), 'utf8'), rejectUnauthorized: true },
        });
        try {
          await client.connect();
        } catch (error) {
          if (error instanceof DatabaseError && error.code === '28P01') return 'refused';
          throw error;
        }
        await client.end();
        return 'accepted';
      },
    };
    await server.query(`CREATE ROLE ${PLAIN_TCP_ROLE} NOLOGIN`);
    return server;
  } catch (error) {
    const log = existsSync(logFile) ? readFileSync(logFile, 'utf8').split('\n').slice(-20).join('\n') : '';
    stop();
    throw new Error(`Could not start the test PostgreSQL server: ${(error as Error).message}\n${log}`);
  }
}

function findServerBinaries(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'initdb'))) : [];
  const newest = versions.sort((a, b) => Number(b) - Number(a))[0];
  if (!newest) {
    throw new Error(
      `The rotation tests need a PostgreSQL server, but ${root}/<version>/bin/initdb does not exist. ` +
        `Install Debian's postgresql package (apt-get install postgresql).`,
    );
  }
  return join(root, newest, 'bin');
}

interface ServerUser {
  run(command: string, args: string[]): void;
  /** Gives the directory and everything in it to the server's OS user. */
  own(dir: string): void;
}

/** PostgreSQL refuses to run as root, so under root the server runs as the postgres OS user. */
function serverUser(): ServerUser {
  const run = (command: string, args: string[]) => {
    execFileSync(command, args, { stdio: 'pipe' });
  };
  if (process.getuid?.() !== 0) return { run, own: () => undefined };

  let uid: number;
  let gid: number;
  try {
    uid = Number(execFileSync('id', ['-u', SERVER_OS_USER], { encoding: 'utf8' }));
    gid = Number(execFileSync('id', ['-g', SERVER_OS_USER], { encoding: 'utf8' }));
  } catch {
    throw new Error(
      `Running as root, the tests start PostgreSQL as the OS user ${SERVER_OS_USER}, who does not exist. ` +
        `Install Debian's postgresql package (apt-get install postgresql).`,
    );
  }
  return {
    run: (command, args) => run('runuser', ['-u', SERVER_OS_USER, '--', command, ...args]),
    own: (dir) => {
      chownSync(dir, uid, gid);
      for (const entry of readdirSync(dir, { recursive: true, encoding: 'utf8' }))
        chownSync(join(dir, entry), uid, gid);
    },
  };
}

function makeCertificates(dir: string): void {
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const newKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-noenc'];
  const ca = (name: string) =>
    openssl(
      'req',
      '-x509',
      ...newKey,
      '-keyout',
      `${name}.key`,
      '-out',
      `${name}.crt`,
      '-days',
      '2',
      '-subj',
      '/CN=Rotation test CA',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    );
  ca('ca');
  ca('impostor-ca');
  openssl(
    'req',
    '-x509',
    '-CA',
    'ca.crt',
    '-CAkey',
    'ca.key',
    ...newKey,
    '-keyout',
    'server.key',
    '-out',
    'server.crt',
    '-days',
    '2',
    '-subj',
    `/CN=${HOST}`,
    '-addext',
    `subjectAltName=DNS:${HOST},IP:127.0.0.1`,
    '-addext',
    'basicConstraints=critical,CA:FALSE',
    '-addext',
    'extendedKeyUsage=serverAuth',
  );
  // PostgreSQL refuses a key that others can read.
  chmodSync(join(dir, 'server.key'), 0o600);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
