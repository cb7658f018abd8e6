import autocannon from 'autocannon';

export interface LoadResult {
  /** 2xx answers per second over the run. */
  readonly perSecond: number;
  readonly ok: number;
  readonly failed: number;
  readonly latencyP50Ms: number;
  readonly latencyP99Ms: number;
}

/** Closed-loop HTTP load with autocannon: `connections` clients, each sending its next request on the answer. */
export async function httpLoad(options: {
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  /** A fresh body per request (each command must be a new one). */
  body?: () => string;
  connections: number;
  seconds: number;
}): Promise<LoadResult> {
  const result = await autocannon({
    url: options.url,
    method: options.method ?? 'GET',
    headers: options.headers,
    connections: options.connections,
    duration: options.seconds,
    requests: options.body
      ? [
          {
            method: options.method ?? 'POST',
            setupRequest: (request) => ({ ...request, body: options.body!() }),
          },
        ]
      : undefined,
  });
  const ok = result['2xx'];
  const failed = result.non2xx + result.errors + result.timeouts;
  return {
    perSecond: ok / result.duration,
    ok,
    failed,
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
  };
}
