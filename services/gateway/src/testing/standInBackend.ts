import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import net from 'node:net';

/**
 * A tiny real HTTP server standing in for a backend, for the failure paths only (dead, slow, broken backends);
 * the happy paths run against the real services.
 */
export async function standInBackend(handler: (req: IncomingMessage, res: ServerResponse) => void) {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** The URL of a port on which nothing listens: connecting is refused at once. */
export async function deadBackendUrl(): Promise<string> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}

/** Answers JSON with a status, after reading the request. */
export function answer(status: number, body: unknown, headers: Record<string, string> = {}) {
  return (req: IncomingMessage, res: ServerResponse) => {
    req.resume();
    req.once('end', () => {
      const text = typeof body === 'string' ? body : JSON.stringify(body);
      res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(text);
    });
  };
}
