import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';

export interface Listening {
  readonly port: number;
  readonly url: string;
  /** Stops accepting, drops idle keep-alive connections at once and busy ones after `graceMs`. */
  close(graceMs?: number): Promise<void>;
}

/** Listens on host:port (0 = any free port) and resolves once bound. */
export async function listen(app: Express, host: string, port: number): Promise<Listening> {
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(port, host, () => resolve(s));
  });
  server.keepAliveTimeout = 65_000;
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
