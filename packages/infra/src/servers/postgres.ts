import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { run } from '../run';
import { HOST, type ServerSpec } from './serverSpec';

/** The database superuser initdb creates: fixed, so that every client's connection string is the same. */
export const POSTGRES_SUPERUSER = 'eventfold';

/** The operating-system user the server runs as when infra runs as root: PostgreSQL refuses to run as root. */
const SERVER_OS_USER = 'postgres';

/** Linux's limit on a unix socket path (sun_path), terminating zero included. */
const MAX_SOCKET_PATH = 107;

/**
 * The directory of PostgreSQL's binaries (initdb, postgres, pg_isready): `EVENTFOLD_POSTGRES_BIN`, else the newest
 * major version Debian installed under /usr/lib/postgresql. Nothing is downloaded: the distribution's packages are
 * the ones a user has (`apt-get install postgresql`).
 */
export function postgresBinDir(env: NodeJS.ProcessEnv = process.env): string {
  const wanted = env.EVENTFOLD_POSTGRES_BIN;
  if (wanted) {
    if (!fs.existsSync(path.join(wanted, 'postgres')))
      throw new Error(`EVENTFOLD_POSTGRES_BIN=${wanted} holds no postgres binary`);
    return wanted;
  }
  const root = '/usr/lib/postgresql';
  const majors = fs.existsSync(root)
    ? fs
        .readdirSync(root)
        .filter((major) => fs.existsSync(path.join(root, major, 'bin', 'postgres')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (majors.length === 0)
    throw new Error(
      `no PostgreSQL under ${root}: install Debian's (apt-get install postgresql) or set EVENTFOLD_POSTGRES_BIN`,
    );
  return path.join(root, majors[0]!, 'bin');
}

const isRoot = () => process.getuid?.() === 0;

/** `command args` as the server's OS user when we are root (setpriv execs: the pid infra records is the server's). */
function asServerUser(command: string, args: readonly string[]): { command: string; args: string[] } {
  if (!isRoot()) return { command, args: [...args] };
  return {
    command: 'setpriv',
    args: [`--reuid=${SERVER_OS_USER}`, `--regid=${SERVER_OS_USER}`, '--init-groups', command, ...args],
  };
}

/** Hands `dataDir` to the server's OS user, and fails with the reason when that user cannot reach it. */
async function handOver(dataDir: string): Promise<void> {
  if (!isRoot()) return;
  try {
    await run('id', ['-u', SERVER_OS_USER]);
  } catch {
    throw new Error(
      `PostgreSQL refuses to run as root, and there is no OS user ${SERVER_OS_USER} to run it as (Debian's package creates it)`,
    );
  }
  await run('chown', ['-R', `${SERVER_OS_USER}:${SERVER_OS_USER}`, dataDir]);
  const probe = asServerUser('test', ['-w', dataDir]);
  try {
    await run(probe.command, probe.args);
  } catch {
    throw new Error(
      `the OS user ${SERVER_OS_USER} cannot write ${dataDir}: a directory above it is not searchable by others (chmod o+x)`,
    );
  }
}

/** initdb into `pgdata` unless it holds a cluster already; into a scratch folder first, so a half-made one never counts. */
async function initOnce(bin: string, dataDir: string, pgdata: string): Promise<void> {
  if (fs.existsSync(path.join(pgdata, 'PG_VERSION'))) return;
  const scratch = `${pgdata}.partial`;
  fs.rmSync(scratch, { recursive: true, force: true });
  await handOver(dataDir);
  const initdb = asServerUser(path.join(bin, 'initdb'), [
    `--pgdata=${scratch}`,
    `--username=${POSTGRES_SUPERUSER}`,
    // Only loopback clients can reach it (listen_addresses below), so no passwords.
    '--auth-local=trust',
    '--auth-host=trust',
    '--encoding=UTF8',
    '--no-locale',
  ]);
  await run(initdb.command, initdb.args);
  fs.renameSync(scratch, pgdata);
}

/** True when pg_isready says the server accepts connections (not merely that its port is open). Never throws. */
function acceptsConnections(bin: string, port: number): Promise<boolean> {
  return new Promise((resolve) =>
    execFile(
      path.join(bin, 'pg_isready'),
      ['--host', HOST, '--port', String(port), '--username', POSTGRES_SUPERUSER, '--dbname', 'postgres'],
      { timeout: 3000 },
      (error) => resolve(error === null),
    ),
  );
}

/**
 * PostgreSQL from the distribution's packages, one cluster in its own data directory: created with initdb on the
 * first start (superuser {@link POSTGRES_SUPERUSER}, trust authentication, loopback only), listening on
 * 127.0.0.1:`port` with its unix socket in its own directory (not /var/run/postgresql, which another cluster may
 * hold), and `wal_level=logical` so that a logical replication slot can be created on it. Everything else is
 * PostgreSQL's default: durable commits (`synchronous_commit=on`, fsync of the WAL at each commit). `settings` adds
 * server settings (`-c name=value`), which take precedence over the configuration files. As root (PostgreSQL
 * refuses to run as root), it runs as the OS user `postgres`, which then owns its data directory. Not part of
 * `localServers()`: the peers benchmark starts it on a private infra home.
 */
export function postgresServer(port = 5432, options: { settings?: Record<string, string> } = {}): ServerSpec {
  const name = 'postgres';
  return {
    name,
    address: `postgresql://${POSTGRES_SUPERUSER}@${HOST}:${port}/postgres`,
    ports: [port],
    readyTimeoutMs: 60_000,
    async install() {
      postgresBinDir();
    },
    async prepare(paths) {
      const bin = postgresBinDir();
      const dataDir = paths.dataDir(name);
      const pgdata = path.join(dataDir, 'pgdata');
      const socketDir = path.join(dataDir, 'socket');
      const socketPath = path.join(socketDir, `.s.PGSQL.${port}`);
      if (socketPath.length > MAX_SOCKET_PATH)
        throw new Error(`its unix socket path ${socketPath} is longer than ${MAX_SOCKET_PATH} bytes`);
      fs.mkdirSync(socketDir, { recursive: true });
      await initOnce(bin, dataDir, pgdata);
      await handOver(dataDir);
      const settings: Record<string, string> = {
        listen_addresses: HOST,
        port: String(port),
        unix_socket_directories: socketDir,
        wal_level: 'logical',
        ...options.settings,
      };
      return asServerUser(path.join(bin, 'postgres'), [
        '-D',
        pgdata,
        ...Object.entries(settings).flatMap(([key, value]) => ['-c', `${key}=${value}`]),
      ]);
    },
    isReady: () => acceptsConnections(postgresBinDir(), port),
  };
}
