/** Why a backend gave no usable answer: it could not be reached, or not in time, or answered too much. */
export type UpstreamFailureKind = 'unreachable' | 'timeout' | 'too-large';

/** The one error the backend client throws; `code` is the underlying socket or undici code, for logs. */
export class UpstreamFailure extends Error {
  constructor(
    readonly kind: UpstreamFailureKind,
    readonly code: string,
    options: { cause?: unknown } = {},
  ) {
    super(`backend ${kind} (${code})`, options);
    this.name = 'UpstreamFailure';
  }
}

const TIMEOUT_CODES = new Set([
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'ETIMEDOUT',
]);

/** Codes of a connection that broke before an answer came: a kept-alive socket the backend had just closed. */
const STALE_CONNECTION_CODES = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET']);

function codeOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string') return code;
  const cause = (error as { cause?: unknown } | null)?.cause;
  return cause && cause !== error ? codeOf(cause) : 'UNKNOWN';
}

/**
 * Classifies what a request to a backend threw. `timedOut` says the gateway's own deadline fired (undici then
 * rejects with the abort reason, which carries no code of its own).
 */
export function upstreamFailureOf(error: unknown, timedOut: boolean): UpstreamFailure {
  if (error instanceof UpstreamFailure) return error;
  const code = timedOut ? 'DEADLINE' : codeOf(error);
  return new UpstreamFailure(timedOut || TIMEOUT_CODES.has(code) ? 'timeout' : 'unreachable', code, {
    cause: error,
  });
}

/** Whether a GET may be sent again at once: the connection broke, but the backend was reached before. */
export function isStaleConnection(failure: UpstreamFailure): boolean {
  return failure.kind === 'unreachable' && STALE_CONNECTION_CODES.has(failure.code);
}
