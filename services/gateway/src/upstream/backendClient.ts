import { Pool } from 'undici';
import { retry } from '@eventfold/core';
import type { Backend } from '../operations/operations';
import { isStaleConnection, UpstreamFailure, upstreamFailureOf } from './upstreamFailure';

export interface BackendRequest {
  readonly method: string;
  /** Path and query, as the document has them (`/v1/users/…`); the backend's base path is put in front. */
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
}

export interface BackendResponse {
  readonly status: number;
  /** Lower-case names; repeated headers joined with ", ". */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
}

export interface BackendClientOptions {
  /** Kept-alive connections to the backend, at most. */
  readonly connections: number;
  /** A larger answer is not relayed (502): the API's largest page is far smaller. */
  readonly maxResponseBytes: number;
  /** Sent with every request (the internal token of backends that answer the gateway only). */
  readonly headers?: Readonly<Record<string, string>>;
}

/** A GET whose kept-alive connection broke is sent once more, at once (a fresh connection will take it). */
const ONCE_MORE_AT_ONCE = { maxAttempts: 2, initialDelayMs: 0, maxDelayMs: 0 };

/**
 * HTTP to one backend over a pool of kept-alive connections (undici). Every request has a deadline covering
 * connecting, waiting and reading, so a slow or silent backend never holds a caller longer than that.
 */
export class BackendClient {
  private readonly pool: Pool;
  private readonly basePath: string;

  constructor(
    readonly name: Backend,
    baseUrl: string,
    private readonly options: BackendClientOptions,
  ) {
    const url = new URL(baseUrl);
    this.basePath = url.pathname.replace(/\/+$/, '');
    this.pool = new Pool(url.origin, { connections: options.connections, pipelining: 1 });
  }

  /**
   * Sends a request and reads the whole answer, within `timeoutMs` and until `cancel` aborts (the client left).
   * A GET whose kept-alive connection broke is sent once more. Throws only {@link UpstreamFailure}.
   */
  async send(request: BackendRequest, timeoutMs: number, cancel?: AbortSignal): Promise<BackendResponse> {
    // One controller per request, aborted by the deadline or by the caller's signal: AbortSignal.any cost more
    // than the rest of the request's bookkeeping (profile, issue 23). A timer cleared on return, rather than
    // AbortSignal.timeout, whose timer outlives every request by timeoutMs.
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort(new UpstreamFailure('timeout', 'DEADLINE'));
    }, timeoutMs);
    const onCancel = () => controller.abort(cancel!.reason);
    if (cancel?.aborted) onCancel();
    else cancel?.addEventListener('abort', onCancel, { once: true });
    const { signal } = controller;
    try {
      return await retry(
        () =>
          this.once(request, timeoutMs, signal).catch((error: unknown) => {
            throw upstreamFailureOf(error, timedOut);
          }),
        {
          ...ONCE_MORE_AT_ONCE,
          signal,
          retryIf: (failure) => request.method === 'GET' && isStaleConnection(failure as UpstreamFailure),
        },
      );
    } finally {
      clearTimeout(timer);
      cancel?.removeEventListener('abort', onCancel);
    }
  }

  private async once(
    request: BackendRequest,
    timeoutMs: number,
    signal: AbortSignal,
  ): Promise<BackendResponse> {
    const response = await this.pool.request({
      method: request.method,
      path: `${this.basePath}${request.path}`,
      headers: this.options.headers ? { ...request.headers, ...this.options.headers } : request.headers,
      body: request.body,
      signal,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of response.body) {
      size += (chunk as Buffer).length;
      if (size > this.options.maxResponseBytes) {
        response.body.destroy();
        throw new UpstreamFailure('too-large', 'RESPONSE_TOO_LARGE');
      }
      chunks.push(chunk as Buffer);
    }
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(response.headers)) {
      if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
    }
    return { status: response.statusCode, headers, body: Buffer.concat(chunks) };
  }

  /** The backend's own /readyz: `ready`, `not ready (503)`, `unreachable` or `timeout` (no addresses: it is public). */
  async readiness(timeoutMs: number): Promise<string> {
    try {
      const { status } = await this.send({ method: 'GET', path: '/readyz', headers: {} }, timeoutMs);
      return status === 200 ? 'ready' : `not ready (${status})`;
    } catch (error) {
      return (error as UpstreamFailure).kind === 'timeout' ? 'timeout' : 'unreachable';
    }
  }

  /** Lets requests in flight finish for `graceMs`, then drops them. */
  async close(graceMs: number): Promise<void> {
    const grace = setTimeout(() => void this.pool.destroy().catch(() => undefined), graceMs);
    try {
      await this.pool.close();
    } catch {
      // Already destroyed by the grace timer.
    } finally {
      clearTimeout(grace);
    }
  }
}
