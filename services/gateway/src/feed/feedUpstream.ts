import { Pool, type Dispatcher } from 'undici';

/**
 * The query service, for follow streams only: a pool of its own, so that long-lived streams never take the
 * connections the other reads share (BackendClient's pool is bounded). Every stream holds one connection while it
 * is open; how many are open is bounded by the StreamAllowance in front of it.
 */
export class FeedUpstream {
  private readonly pool: Pool;
  private readonly basePath: string;

  constructor(
    baseUrl: string,
    private readonly headers: Readonly<Record<string, string>>,
  ) {
    const url = new URL(baseUrl);
    this.basePath = url.pathname.replace(/\/+$/, '');
    this.pool = new Pool(url.origin, { pipelining: 1 });
  }

  /**
   * Opens a GET whose answer may stream for ever: the headers within `timeoutMs`, the body without a deadline
   * (heartbeats keep it alive); `cancel` ends it (the client left).
   */
  open(
    path: string,
    headers: Readonly<Record<string, string>>,
    timeoutMs: number,
    cancel: AbortSignal,
  ): Promise<Dispatcher.ResponseData> {
    return this.pool.request({
      method: 'GET',
      path: `${this.basePath}${path}`,
      headers: { ...headers, ...this.headers },
      signal: cancel,
      headersTimeout: timeoutMs,
      bodyTimeout: 0,
    });
  }

  /** Ends every open stream: their clients reconnect to another gateway, or to this one after its restart. */
  async close(): Promise<void> {
    await this.pool.destroy().catch(() => undefined);
  }
}
