import net from 'node:net';

/** Connects to host:port; `on` settles the answer, and an error or `timeoutMs` of silence settle it false. */
function probe(
  host: string,
  port: number,
  timeoutMs: number,
  on: (socket: net.Socket, done: (ok: boolean) => void) => void,
): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('error', () => done(false));
    on(socket, done);
  });
}

/** True when something accepts TCP connections on host:port within `timeoutMs`. */
export function tcpAccepts(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return probe(host, port, timeoutMs, (socket, done) => socket.once('connect', () => done(true)));
}

/** True when the first line the server sends starts with `prefix` (an SMTP banner: "220"). */
export function bannerStartsWith(
  host: string,
  port: number,
  prefix: string,
  timeoutMs = 2000,
): Promise<boolean> {
  return probe(host, port, timeoutMs, (socket, done) =>
    socket.once('data', (chunk) => done(chunk.toString('utf8').startsWith(prefix))),
  );
}

/** True when GET url answers 2xx within `timeoutMs`. */
export async function httpOk(url: string, timeoutMs = 2000): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    await response.arrayBuffer();
    return response.ok;
  } catch {
    return false;
  }
}
