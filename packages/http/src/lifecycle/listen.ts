import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import { InfrastructureError } from '@eventfold/core';

export interface Listening {
  readonly port: number;
  readonly url: string;
  /** Stops accepting, drops idle keep-alive connections at once and busy ones after `graceMs`. */
  close(graceMs?: number): Promise<void>;
}

/** Slow clients get this long to send their headers, and their whole request (slowloris). */
const HEADERS_TIMEOUT_MS = 20_000;
const REQUEST_TIMEOUT_MS = 30_000;
/** Longer than the idle timeout of common load balancers (60 s), so that they close first. */
const KEEP_ALIVE_TIMEOUT_MS = 65_000;

/**
 * Listens on host:port (0 = any free port) and resolves once bound. A port that cannot be bound (in use, not
 * allowed) rejects with a non-retriable LISTEN_FAILED; a server error after that goes to `onError`.
 */
export async function listen(
  app: Express,
  host: string,
  port: number,
  onError: (error: unknown) => void = () => undefined,
): Promise<Listening> {
  const server = app.listen(port, host);
  // once() rejects when 'error' comes first: the port is in use, or not ours to bind.
  await once(server, 'listening').catch((cause: Error) => {
    const why = `Cannot listen on ${host}:${port}: ${cause.message}`;
    throw new InfrastructureError('LISTEN_FAILED', why, { cause, retriable: false });
  });
  server.on('error', onError);
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  server.headersTimeout = HEADERS_TIMEOUT_MS;
  server.requestTimeout = REQUEST_TIMEOUT_MS;
  const bound = (server.address() as AddressInfo).port;
  return {
    port: bound,
    url: `http://${host}:${bound}`,
    async close(graceMs = 2000) {
      // close() waits for keep-alive connections to end: without this it can take the keep-alive timeout.
      const closed = new Promise((resolve) => server.close(resolve));
      server.closeIdleConnections();
      const grace = setTimeout(() => server.closeAllConnections(), graceMs);
      await closed;
      clearTimeout(grace);
    },
  };
}
