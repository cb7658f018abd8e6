// The legacy system of issue 20: a CRUD `users` table in a PostgreSQL of the test's own, and the application that
// keeps writing to it during a migration (docs/decisions/0020-importing-a-crud-table.md).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { down, freePort, infraPaths, POSTGRES_SUPERUSER, postgresServer, up } from '@eventfold/infra';
import { serverSource } from '@eventfold/testing';
import pg from 'pg';

/** The legacy table, as the talk's CRUD application has it: soft deletes by `status`, no constraint on emails. */
export const LEGACY_USERS_DDL = `
CREATE TABLE IF NOT EXISTS users (
  id bigserial PRIMARY KEY,
  name text,
  email text,
  status text NOT NULL DEFAULT 'active',
  created_at timestamptz DEFAULT now(),
  updated_at timestamptz DEFAULT now()
)`;

/** A PostgreSQL of one test file: its own port, data directory and database; `stop()` deletes it all. */
export interface LegacyDatabase {
  /** `postgres://eventfold@127.0.0.1:<port>/<database>`: what `eventfold migrate … --from` takes. */
  readonly url: string;
  readonly port: number;
  /** A client on the database, for the test's own queries (the writer has its own). */
  connect(): Promise<pg.Client>;
  stop(): Promise<void>;
}

/** A running PostgreSQL server with superuser {@link POSTGRES_SUPERUSER} (no password), `wal_level=logical`. */
interface LegacyServer {
  readonly host: string;
  readonly port: number;
  stop(): Promise<void>;
}

/** The PostgreSQL image of the containers: the major version of Debian's package, which the local path runs. */
export const LEGACY_POSTGRES_IMAGE = 'postgres:15';

/**
 * testcontainers' PostgreSQL: the same superuser, trusted without a password as the local server trusts it, and
 * `wal_level=logical` on the command line. Loaded only where a Docker engine answers.
 */
async function containerServer(): Promise<LegacyServer> {
  const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
  const container = await new PostgreSqlContainer(LEGACY_POSTGRES_IMAGE)
    .withUsername(POSTGRES_SUPERUSER)
    .withEnvironment({ POSTGRES_HOST_AUTH_METHOD: 'trust' })
    .withCommand(['postgres', '-c', 'wal_level=logical'])
    .start();
  return {
    host: container.getHost(),
    port: container.getPort(),
    stop: async () => void (await container.stop()),
  };
}

/**
 * packages/infra's server definition (pg_ctl) on a temporary infra home and a free port, never the shared one of
 * `infra:up --with postgres`.
 */
async function localServer(): Promise<LegacyServer> {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'eventfold-legacy-'));
  // As root, PostgreSQL runs as the OS user postgres, which must reach its data directory below this one.
  fs.chmodSync(home, 0o755);
  const paths = infraPaths({ ...process.env, EVENTFOLD_INFRA_HOME: home });
  const server = postgresServer(await freePort());
  const stop = async () => {
    await down([server], { paths, purge: true });
    fs.rmSync(home, { recursive: true, force: true });
  };
  try {
    await up([server], { paths });
  } catch (error) {
    await stop();
    throw error;
  }
  return { host: '127.0.0.1', port: server.ports[0]!, stop };
}

/**
 * Starts a private PostgreSQL (testcontainers' where a Docker engine answers, else a local pg_ctl server: the
 * harness's own rule, `serverSource`), creates `database` with the legacy `users` table in it.
 */
export async function startLegacyDatabase(database = 'legacy'): Promise<LegacyDatabase> {
  const server =
    serverSource(process.env) === 'testcontainers' ? await containerServer() : await localServer();
  const { host, port } = server;
  const clientOf = (db: string) => new pg.Client({ host, port, user: POSTGRES_SUPERUSER, database: db });
  try {
    const admin = clientOf('postgres');
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(database)}`);
    } finally {
      await admin.end();
    }
    const client = clientOf(database);
    await client.connect();
    try {
      await client.query(LEGACY_USERS_DDL);
    } finally {
      await client.end();
    }
  } catch (error) {
    await server.stop();
    throw error;
  }
  return {
    url: `postgres://${POSTGRES_SUPERUSER}@${host}:${port}/${database}`,
    port,
    async connect() {
      const client = clientOf(database);
      await client.connect();
      return client;
    },
    stop: () => server.stop(),
  };
}

/** One change the legacy application committed, as it would tell it: what `migrate verify` and follow compare with. */
export type LegacyChange =
  | {
      readonly kind: 'insert';
      readonly id: string;
      readonly name: string | null;
      readonly email: string | null;
    }
  | { readonly kind: 'rename'; readonly id: string; readonly name: string }
  | { readonly kind: 'changeEmail'; readonly id: string; readonly email: string }
  | { readonly kind: 'deactivate'; readonly id: string }
  | { readonly kind: 'reactivate'; readonly id: string };

/** A row as a legacy application writes it: anything goes, even what the domain refuses. */
export interface LegacyRow {
  readonly name: string | null;
  readonly email: string | null;
  readonly status?: 'active' | 'deactivated';
}

/**
 * The legacy application: plain SQL on `users`, each change its own committed transaction, recorded in `changes` in
 * commit order once committed (a failed statement records nothing).
 */
export class LegacyWriter {
  readonly changes: LegacyChange[] = [];

  private constructor(private readonly client: pg.Client) {}

  static async open(database: LegacyDatabase): Promise<LegacyWriter> {
    return new LegacyWriter(await database.connect());
  }

  /** Inserts rows in one multi-row statement (ids in order); returns their ids. */
  async insert(rows: readonly LegacyRow[]): Promise<string[]> {
    if (rows.length === 0) return [];
    const values = rows.map((_, i) => `($${i * 3 + 1}, $${i * 3 + 2}, $${i * 3 + 3})`).join(', ');
    const params = rows.flatMap((row) => [row.name, row.email, row.status ?? 'active']);
    const result = await this.client.query<{ id: string }>(
      `INSERT INTO users (name, email, status) VALUES ${values} RETURNING id`,
      params,
    );
    const ids = result.rows.map((row) => String(row.id));
    ids.forEach((id, i) => {
      this.changes.push({ kind: 'insert', id, name: rows[i]!.name, email: rows[i]!.email });
      if (rows[i]!.status === 'deactivated') this.changes.push({ kind: 'deactivate', id });
    });
    return ids;
  }

  async rename(id: string, name: string): Promise<void> {
    await this.update(id, 'name = $2', [name]);
    this.changes.push({ kind: 'rename', id, name });
  }

  async changeEmail(id: string, email: string): Promise<void> {
    await this.update(id, 'email = $2', [email]);
    this.changes.push({ kind: 'changeEmail', id, email });
  }

  /** The legacy application's delete: a soft one. */
  async deactivate(id: string): Promise<void> {
    await this.update(id, `status = 'deactivated'`, []);
    this.changes.push({ kind: 'deactivate', id });
  }

  async reactivate(id: string): Promise<void> {
    await this.update(id, `status = 'active'`, []);
    this.changes.push({ kind: 'reactivate', id });
  }

  async close(): Promise<void> {
    await this.client.end();
  }

  private async update(id: string, assignment: string, params: unknown[]): Promise<void> {
    const result = await this.client.query(
      `UPDATE users SET ${assignment}, updated_at = now() WHERE id = $1`,
      [id, ...params],
    );
    if (result.rowCount !== 1) throw new Error(`legacy users has no row ${id}`);
  }
}

/** `count` well-formed legacy rows with unique addresses under `tag` (a test's own, so runs never collide). */
export function legacyRows(count: number, tag: string): LegacyRow[] {
  return Array.from({ length: count }, (_, i) => ({
    name: `Legacy User ${i}`,
    email: `legacy-${tag}-${i}@example.com`,
  }));
}
