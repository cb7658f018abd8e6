import { listen, type Listening } from '@eventfold/http';
import { Counter, createLogger, createMetricsRegistry } from '@eventfold/observability';
import type { UserReadStore } from '@eventfold/users-domain';
import { queryApp } from '../http/queryApp';
import { CheckpointWatcher } from '../reading/checkpointWatcher';
import { LogEnds } from '../reading/logEnds';
import { UserReads } from '../reading/userReads';
import { CheckpointSignal } from '../feed/checkpointSignal';

/**
 * The query service's app over `store` (a fake of the read store), with short heartbeats and a 300 ms stall bound,
 * listening on a free port: what the follow feeds' unit specs serve their streams from. `DEBUG_FEED` logs.
 */
export function listenFeedTestApp(store: UserReadStore, maxBufferedBytes = 1024 * 1024): Promise<Listening> {
  const app = queryApp({
    reads: () => new UserReads(() => store),
    checkpoints: new CheckpointWatcher(() => store),
    logEnds: new LogEnds(async () => [1n], 1000),
    consistencyWaitMs: 100,
    logger: createLogger('query', process.env.DEBUG_FEED ? 'info' : 'silent'),
    metrics: createMetricsRegistry('query'),
    readiness: async () => ({ ready: true, checks: {} }),
    consistencyOutcomes: new Counter({ name: 'w', help: 'w', labelNames: ['outcome'], registers: [] }),
    feed: {
      checkpoints: new CheckpointSignal(
        () => store,
        5,
        () => undefined,
      ),
      heartbeatMs: 50,
      maxBufferedBytes,
      stallMs: 300,
    },
  });
  return listen(app, '127.0.0.1', 0);
}

/**
 * Reads a follow stream's text until `until` says stop, then cuts the connection: what a client that leaves
 * mid-stream does.
 */
export async function readStreamText(
  url: string,
  headers: Record<string, string>,
  until: (text: string) => boolean,
): Promise<{ status: number; type: string | null; text: string }> {
  const stop = new AbortController();
  const response = await fetch(url, { headers, signal: stop.signal });
  let text = '';
  const decoder = new TextDecoder();
  for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
    text += decoder.decode(chunk, { stream: true });
    if (until(text)) break;
  }
  stop.abort();
  return { status: response.status, type: response.headers.get('content-type'), text };
}

/**
 * A history document as the read store keeps it, at `offset` of `partition`: a registration first, renames after;
 * the event id is the position, so a test tells a repeat from a gap by id.
 */
export function storedEvent(partition: number, offset: number, streamId: string, version: number) {
  return {
    _id: `${partition}:${offset}`,
    eventId: `${partition}:${offset}`,
    streamId,
    version,
    type: offset === 0 ? 'UserRegistered' : 'UserNameChanged',
    occurredAt: new Date(offset),
    recordedAt: new Date(offset * 10 + partition),
    data: {},
    metadata: {},
    partition,
    offset: String(offset),
  };
}
