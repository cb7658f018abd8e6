import { ErrorKind, isEventfoldError } from '@eventfold/core';

/** An RFC 9457 problem details document. */
export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail?: string;
  readonly instance?: string;
  readonly code?: string;
  readonly [extension: string]: unknown;
}

/** The one place where error kinds become HTTP statuses. */
export const statusOfKind: Readonly<Record<ErrorKind, number>> = Object.freeze({
  [ErrorKind.Validation]: 400,
  [ErrorKind.NotFound]: 404,
  [ErrorKind.Conflict]: 409,
  [ErrorKind.PreconditionFailed]: 412,
  [ErrorKind.IllegalState]: 422,
  [ErrorKind.Infrastructure]: 503,
  [ErrorKind.Internal]: 500,
});

const titles: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  428: 'Precondition Required',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

export const PROBLEM_TYPE_BASE = 'https://eventfold.dev/problems/';

/** A problem for a status, a stable code and a human explanation. */
export function problem(
  status: number,
  code: string,
  detail: string,
  extensions: Record<string, unknown> = {},
): Problem {
  return {
    type: `${PROBLEM_TYPE_BASE}${code.toLowerCase().replace(/_/g, '-')}`,
    title: titles[status] ?? 'Error',
    status,
    detail,
    code,
    ...extensions,
  };
}

/** The problem for any error: typed errors by their kind, internal and unknown ones as a 500 that reveals nothing. */
export function problemOf(error: unknown): Problem {
  if (isEventfoldError(error) && error.kind !== ErrorKind.Internal)
    return problem(statusOfKind[error.kind], error.code, error.message);
  return problem(500, 'INTERNAL_ERROR', 'An unexpected error occurred; it has been logged');
}
