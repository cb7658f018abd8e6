import fs from 'node:fs';
import path from 'node:path';
import { output } from '@eventfold/infra';
import type { Peer, PeerDatabase } from './peer';
import { startPeerProcess } from './peerProcess';
import { PYTHON_PEER_DIR, pythonPeerInterpreter } from './pythonVenv';

/**
 * gunicorn's gthread workers and threads per worker. Two cores, shared with PostgreSQL and the load tool, and the
 * Python side is CPU-bound (about 2 ms of CPU per request): one worker per core lets both cores run Python despite
 * the GIL, and threads cover the time a request waits on PostgreSQL (eventsourcing takes an EXCLUSIVE lock on its
 * events table for each insert, so waits are long). gunicorn's usual start (2 × cores + 1 = 5 workers) and 1, 3 and
 * 4 workers of 2 to 16 threads, measured alternately at 32 and 128 connections on the shared development machine,
 * were all within its run-to-run noise (±30 %); 5 workers had the longest p99.
 */
export const GUNICORN_WORKERS = 2;
export const GUNICORN_THREADS = 8;

const pin = (name: string): string =>
  new RegExp(`^${name}(?:\\[[^\\]]*\\])?==(\\S+)`, 'im').exec(
    fs.readFileSync(path.join(PYTHON_PEER_DIR, 'requirements.txt'), 'utf8'),
  )?.[1] ?? '?';

let python: string | null = null;

/** eventsourcing's settings, from the environment as the library reads them (docs: persistence, PostgreSQL). */
function eventsourcingEnv(database: PeerDatabase): Record<string, string> {
  return {
    PERSISTENCE_MODULE: 'eventsourcing.postgres',
    POSTGRES_DBNAME: database.name,
    POSTGRES_HOST: database.host,
    POSTGRES_PORT: String(database.port),
    POSTGRES_USER: database.user,
    // Required to be set; trust authentication ignores it.
    POSTGRES_PASSWORD: '',
    // One connection per thread of a worker, none opened and closed on demand.
    POSTGRES_POOL_SIZE: String(GUNICORN_THREADS),
    POSTGRES_MAX_OVERFLOW: '0',
    // No __pycache__ beside the sources in the repository.
    PYTHONDONTWRITEBYTECODE: '1',
  };
}

/**
 * Python's eventsourcing on PostgreSQL (src/peers/python): a declarative Aggregate and an Application, Flask as in
 * eventsourcing's example-flask, served by gunicorn with gthread workers.
 */
export const eventsourcingPeer: Peer = {
  name: 'eventsourcing',
  title: 'eventsourcing (Python)',
  settings:
    `eventsourcing ${pin('eventsourcing')} with its PostgreSQL module (psycopg ${pin('psycopg')}, C implementation), ` +
    `Flask ${pin('Flask')} served by gunicorn ${pin('gunicorn')}: ${GUNICORN_WORKERS} gthread workers of ` +
    `${GUNICORN_THREADS} threads, a pool of ${GUNICORN_THREADS} connections per worker (POSTGRES_POOL_SIZE, no ` +
    `overflow), keep-alive 75 s, no access log`,
  async install({ cacheDir, say }) {
    python = await pythonPeerInterpreter(cacheDir, say);
  },
  async start(database) {
    if (python === null) throw new Error('eventsourcingPeer.install() must run before start()');
    const env = eventsourcingEnv(database);
    // Tables first, in one process: each gunicorn worker would otherwise race to create them.
    await output(python, ['-c', 'from users import Users; Users().close()'], { cwd: PYTHON_PEER_DIR, env });
    return startPeerProcess({
      name: 'eventsourcing',
      command: python,
      args: ['-m', 'gunicorn', '--config', 'gunicorn.conf.py', 'wsgi:app'],
      cwd: PYTHON_PEER_DIR,
      env: {
        ...env,
        CREATE_TABLE: 'false',
        PEER_WORKERS: String(GUNICORN_WORKERS),
        PEER_THREADS: String(GUNICORN_THREADS),
      },
    });
  },
};
