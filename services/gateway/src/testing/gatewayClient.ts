import type { Exchange } from './contract';

export interface CallOptions {
  /** Sent as `Authorization: Bearer <key>`. */
  readonly key?: string;
  /** JSON-encoded unless a string. */
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
}

export interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly body: Record<string, unknown> | undefined;
}

/** Calls the gateway over real HTTP and keeps every exchange, for the contract checks. */
export class GatewayClient {
  readonly exchanges: Exchange[] = [];

  constructor(readonly url: string) {}

  async call(method: string, path: string, options: CallOptions = {}): Promise<Answer> {
    const { key, body, headers = {} } = options;
    const response = await fetch(`${this.url}${path}`, {
      method,
      headers: {
        ...(key === undefined ? {} : { authorization: `Bearer ${key}` }),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = text;
    }
    const contentType = response.headers.get('content-type') ?? undefined;
    this.exchanges.push({ method, path, status: response.status, contentType, body: parsed });
    return { status: response.status, headers: response.headers, body: parsed as Answer['body'] };
  }
}
