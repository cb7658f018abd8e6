/**
 * What went wrong, by kind. The kind decides the HTTP status at the edge (in one middleware); the code is stable
 * and machine-readable, for clients and dashboards.
 */
export const ErrorKind = Object.freeze({
  /** The input is malformed or breaks a rule of form (400). */
  Validation: 'validation',
  /** The thing addressed does not exist (404). */
  NotFound: 'not-found',
  /** The thing already exists, or another change got there first (409). */
  Conflict: 'conflict',
  /** The caller's expected version does not match (412). */
  PreconditionFailed: 'precondition-failed',
  /** A domain rule forbids the command in the current state (422). */
  IllegalState: 'illegal-state',
  /** A dependency failed: a broker, a database, a registry (usually retriable; 503). */
  Infrastructure: 'infrastructure',
  /**
   * The server itself is at fault (a master key that does not open the key store, a tampered key record): 500,
   * logged; the answer says nothing of it (its message may name a database or a file).
   */
  Internal: 'internal',
} as const);

export type ErrorKind = (typeof ErrorKind)[keyof typeof ErrorKind];

export interface ErrorOptions {
  readonly cause?: unknown;
  readonly details?: Readonly<Record<string, unknown>>;
}

/** The root of every error eventfold raises on purpose. */
export abstract class EventfoldError extends Error {
  abstract readonly kind: ErrorKind;
  /** Whether trying the same thing again may succeed. */
  readonly retriable: boolean = false;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(
    readonly code: string,
    message: string,
    options: ErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.details = options.details ?? {};
  }
}

export class ValidationError extends EventfoldError {
  readonly kind = ErrorKind.Validation;
}

export class NotFoundError extends EventfoldError {
  readonly kind = ErrorKind.NotFound;
}

export class ConflictError extends EventfoldError {
  readonly kind = ErrorKind.Conflict;
}

export class PreconditionFailedError extends EventfoldError {
  readonly kind = ErrorKind.PreconditionFailed;
}

export class IllegalStateError extends EventfoldError {
  readonly kind = ErrorKind.IllegalState;
}

export class InfrastructureError extends EventfoldError {
  readonly kind = ErrorKind.Infrastructure;
  override readonly retriable: boolean;

  constructor(code: string, message: string, options: ErrorOptions & { retriable?: boolean } = {}) {
    super(code, message, options);
    this.retriable = options.retriable ?? true;
  }
}

export function isEventfoldError(error: unknown): error is EventfoldError {
  return error instanceof EventfoldError;
}

/**
 * Whether trying the same thing again may succeed. The one rule, for every retry (`retry`, `connectWithRetry`):
 * an error is retriable unless it says it is not (`retriable: false`). Ours say so when retrying cannot help (bad
 * configuration, a wrong master key, a domain refusal: every EventfoldError but a retriable InfrastructureError);
 * kafkajs's errors carry the same flag. An error that carries no flag (a driver's connection error, a socket's) is
 * presumed to be a dependency that is not there yet: waiting is what helps, and a wait shows in /readyz.
 */
export function isRetriable(error: unknown): boolean {
  return (error as { retriable?: unknown } | null | undefined)?.retriable !== false;
}
