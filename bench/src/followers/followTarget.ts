import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ServiceProcess } from '@eventfold/testing';
import type { MeteredProcess } from '../measure/cpuMeter';
import { infraProcesses } from '../measure/infraProcesses';
import { removeCreated } from '../stack/cleanup';
import { spawnBackend, spawnEmbedded, stopService } from '../stack/services';
import { newSystem } from '../stack/system';

/** Where the followers benchmark writes and follows, and which processes pay for it. */
export interface FollowTarget {
  readonly name: 'stack' | 'embedded';
  /** Commands go here. */
  readonly writeUrl: string;
  /** The follow feeds are read here. */
  readonly followUrl: string;
  /** Sent with every request (the embedded mode's gateway wants a key). */
  readonly headers: Record<string, string>;
  /** The process that holds the followers' streams: its memory is what a follower that stops reading costs. */
  readonly memory: { readonly name: string; readonly service: ServiceProcess };
  /** Whose CPU is measured. */
  readonly processes: readonly MeteredProcess[];
  /** How many times that process logged a follow stream cut for not reading (null: it does not log them). */
  cutsLogged(): number | null;
  stop(): Promise<void>;
}

/** Streams a process writes a log line for when it cuts them (services/query/src/feed/eventStream.ts). */
const cutsIn = (logFile: string) =>
  fs.readFileSync(logFile, 'utf8').split('follow stream cut: the client does not read').length - 1;

/**
 * The stack: command, projector and query services as their own processes on a fresh system of the shared
 * servers. Followers go straight to the query service (the gateway's per-key cap on streams is out of the way, and
 * the query service is where their memory and reads are).
 */
export async function startStack(): Promise<FollowTarget> {
  const env = await newSystem();
  const started: ServiceProcess[] = [];
  const stop = async () => {
    await Promise.allSettled(started.map((s) => stopService(s)));
    await removeCreated({ prefix: env.prefix, databases: [env.readDb] });
  };
  try {
    const command = await spawnBackend('command', env);
    started.push(command);
    const projector = await spawnBackend('projector', env);
    started.push(projector);
    const query = await spawnBackend('query', env);
    started.push(query);
    return {
      name: 'stack',
      writeUrl: command.url,
      followUrl: query.url,
      headers: {},
      memory: { name: 'query', service: query },
      processes: [
        { name: 'bench', pid: 'self' },
        { name: 'command', pid: command.child.pid! },
        { name: 'projector', pid: projector.child.pid! },
        { name: 'query', pid: query.child.pid! },
        ...infraProcesses(),
      ],
      cutsLogged: () => cutsIn(query.logFile),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * The embedded mode, one process on its own SQLite file; writes and follows go through its gateway (the only port
 * it opens to users), with a key whose stream cap (FEED_STREAMS_PER_KEY) admits every follower.
 */
export async function startEmbedded(streams: number): Promise<FollowTarget> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'eventfold-bench-embedded-'));
  const key = `bench-${randomBytes(12).toString('base64url')}`;
  try {
    const system = await spawnEmbedded(path.join(root, 'data'), {
      API_KEYS: `${key}=users:read+users:write+admin`,
      RATE_LIMIT_PER_SECOND: '1000000',
      RATE_LIMIT_BURST: '1000000',
      ADDRESS_RATE_LIMIT_PER_SECOND: '1000000',
      ADDRESS_RATE_LIMIT_BURST: '1000000',
      FEED_STREAMS_PER_KEY: String(streams),
    });
    return {
      name: 'embedded',
      writeUrl: system.url,
      followUrl: system.url,
      headers: { authorization: `Bearer ${key}` },
      memory: { name: 'embedded', service: system },
      processes: [
        { name: 'bench', pid: 'self' },
        { name: 'embedded', pid: system.child.pid! },
      ],
      cutsLogged: () => null,
      async stop() {
        await stopService(system);
        fs.rmSync(root, { recursive: true, force: true });
      },
    };
  } catch (error) {
    fs.rmSync(root, { recursive: true, force: true });
    throw error;
  }
}
