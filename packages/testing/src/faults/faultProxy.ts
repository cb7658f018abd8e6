import net from 'node:net';

export type ProxyMode =
  | { readonly kind: 'pass' }
  /** Every chunk, both ways, is held this long before it is forwarded. */
  | { readonly kind: 'latency'; readonly ms: number }
  /**
   * Connections stay open and new ones are accepted, but no byte gets through either way until the mode changes:
   * what TCP makes of a link that silently drops every packet (the bytes are retransmitted, late, if the peers
   * have not given up meanwhile). The worst kind of outage: nothing fails, everything waits.
   */
  | { readonly kind: 'blackhole' };

/**
 * A TCP proxy that injects faults between clients and a server (here: the services and Kafka, which advertises the
 * proxy's port so that every connection goes through it): added latency, a blackhole, and connection resets.
 */
export class FaultProxy {
  private mode: ProxyMode = { kind: 'pass' };
  private readonly sockets = new Set<net.Socket>();
  private release: () => void = () => undefined;
  private released: Promise<void> = Promise.resolve();

  private constructor(private readonly server: net.Server) {}

  /** `targetPort` is read at each connection: the server behind may be placed after the proxy starts. */
  static async start(listenPort: number, targetPort: () => number, host = '127.0.0.1'): Promise<FaultProxy> {
    const server = net.createServer();
    const proxy = new FaultProxy(server);
    server.on('connection', (client) => proxy.bridge(client, targetPort(), host));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(listenPort, host, () => resolve());
    });
    return proxy;
  }

  set(mode: ProxyMode): void {
    if (mode.kind === 'blackhole' && this.mode.kind !== 'blackhole')
      this.released = new Promise((resolve) => (this.release = resolve));
    if (mode.kind !== 'blackhole') this.release();
    this.mode = mode;
  }

  /** Resets every open connection (RST), as a crashed middlebox or a flapping link would. */
  resetAll(): number {
    const count = this.sockets.size;
    for (const socket of this.sockets) socket.resetAndDestroy();
    this.sockets.clear();
    return count;
  }

  get connections(): number {
    return this.sockets.size;
  }

  private bridge(client: net.Socket, targetPort: number, host: string): void {
    const upstream = net.connect(targetPort, host);
    for (const socket of [client, upstream]) {
      this.sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => {
        this.sockets.delete(socket);
        client.destroy();
        upstream.destroy();
      });
    }
    this.pipe(client, upstream);
    this.pipe(upstream, client);
  }

  /** Forwards in order: a chunk held back by latency is never overtaken by a later one. */
  private pipe(from: net.Socket, to: net.Socket): void {
    let queue = Promise.resolve();
    from.on('data', (chunk: Buffer) => {
      queue = queue.then(async () => {
        await this.released;
        const mode = this.mode;
        if (mode.kind === 'latency') await new Promise((resolve) => setTimeout(resolve, mode.ms));
        await this.released;
        if (!to.destroyed) to.write(chunk);
      });
    });
  }

  async stop(): Promise<void> {
    this.release();
    this.resetAll();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
