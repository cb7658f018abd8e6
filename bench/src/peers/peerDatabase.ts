import { POSTGRES_SUPERUSER } from '@eventfold/infra';
import pg from 'pg';
import type { Durability } from './durability';
import type { PeerDatabase } from './peer';

const HOST = '127.0.0.1';

/**
 * A new, empty database for one peer and durability on the benchmark's PostgreSQL, with `synchronous_commit` set
 * on the database (so every session of the peer has it, whatever its driver does). Fresh per run, so that each
 * peer starts from empty tables.
 */
export async function createPeerDatabase(
  port: number,
  name: string,
  durability: Durability,
): Promise<PeerDatabase> {
  if (!/^[a-z][a-z0-9_]*$/.test(name)) throw new Error(`not a plain database name: ${name}`);
  const admin = new pg.Client({ host: HOST, port, user: POSTGRES_SUPERUSER, database: 'postgres' });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.query(`ALTER DATABASE ${name} SET synchronous_commit = ${durability.synchronousCommit}`);
  } finally {
    await admin.end();
  }
  return {
    host: HOST,
    port,
    user: POSTGRES_SUPERUSER,
    name,
    url: `postgresql://${POSTGRES_SUPERUSER}@${HOST}:${port}/${name}`,
  };
}
