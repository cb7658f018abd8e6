import { problem, type Problem } from '@eventfold/http';
import { usersOpenApi } from '@eventfold/users-api';
import { contractViolation, mediaTypeOf } from '../operations/responseContract';
import type { GatewayOperation } from '../operations/operations';
import type { BackendResponse } from './backendClient';

/** What to do when a backend answer breaks the document: nothing, log and count it, or refuse it (502). */
export type ResponseValidation = 'off' | 'warn' | 'enforce';
export const RESPONSE_VALIDATION_MODES: readonly ResponseValidation[] = Object.freeze([
  'off',
  'warn',
  'enforce',
]);

/** The headers of a backend answer that reach the client (besides X-Request-Id, which the gateway sets). */
export const RELAYED_HEADERS = Object.freeze(['etag', 'location', 'x-consistency-token', 'retry-after']);

export type Reply =
  | {
      readonly kind: 'relay';
      readonly status: number;
      readonly headers: Readonly<Record<string, string>>;
      readonly body: Buffer;
    }
  | {
      readonly kind: 'problem';
      readonly problem: Problem;
      readonly headers: Readonly<Record<string, string>>;
    };

export interface RelayDecision {
  readonly reply: Reply;
  /** How the backend's answer broke the document, if it did. */
  readonly violation: string | null;
  /** A backend failure hidden behind a 502: its status and problem code, for the log. */
  readonly backendFailure: { readonly status: number; readonly code: string | undefined } | null;
}

/**
 * The members of a backend's problem that reach the client: those the document's Problem schema states (the
 * standard ones and documented extensions such as `commandId`), as strings. Anything else a backend puts there
 * (a stack, a host name, the query it ran) is dropped; `status` is the real one and `instance` the gateway's URL.
 */
export const RELAYED_PROBLEM_MEMBERS: readonly string[] = Object.freeze(
  Object.keys(usersOpenApi.components.schemas.Problem.properties).filter(
    (member) => member !== 'status' && member !== 'instance',
  ),
);

/** A backend's problem, rebuilt from the members the document states (an allowlist), with the real status. */
export function sanitisedProblem(status: number, body: unknown, backend: string): Problem {
  const source =
    typeof body === 'object' && body !== null && !Array.isArray(body)
      ? (body as Record<string, unknown>)
      : {};
  const text = (key: string) => (typeof source[key] === 'string' ? source[key] : undefined);
  const base = problem(
    status,
    text('code') ?? 'REQUEST_FAILED',
    text('detail') ?? `The ${backend} service answered ${status}`,
  );
  const relayed = Object.fromEntries(
    RELAYED_PROBLEM_MEMBERS.flatMap((member) => {
      const value = text(member);
      return value === undefined ? [] : [[member, value]];
    }),
  );
  return { ...base, ...relayed };
}

function pick(headers: Readonly<Record<string, string>>, names: readonly string[]): Record<string, string> {
  return Object.fromEntries(
    names.flatMap((name) => (headers[name] === undefined ? [] : [[name, headers[name]]])),
  );
}

function parsedBody(response: BackendResponse): { ok: boolean; body: unknown } {
  if (response.body.length === 0) return { ok: true, body: undefined };
  const mediaType = mediaTypeOf(response.headers['content-type']);
  if (mediaType !== 'application/json' && !mediaType?.endsWith('+json'))
    return { ok: false, body: undefined };
  try {
    return { ok: true, body: JSON.parse(response.body.toString('utf8')) as unknown };
  } catch {
    return { ok: false, body: undefined };
  }
}

/**
 * Decides the client's answer to a backend's answer. Successes are relayed byte for byte with their documented
 * headers; problems are rebuilt without internals; a backend that fails (5xx other than 503) or answers
 * something that is not JSON becomes a 502; an answer outside the document is reported, and refused only in
 * `enforce` mode.
 */
export function relayOf(
  operation: GatewayOperation,
  response: BackendResponse,
  validation: ResponseValidation,
): RelayDecision {
  const { status } = response;
  const { ok, body } = parsedBody(response);
  const headers = pick(response.headers, RELAYED_HEADERS);
  const failed = (code: string, detail: string, violation: string | null): RelayDecision => ({
    reply: { kind: 'problem', problem: problem(502, code, detail), headers: {} },
    violation,
    backendFailure: { status, code: (body as { code?: string } | undefined)?.code },
  });
  if (!ok || (status >= 500 && status !== 503)) {
    return failed(
      'BACKEND_ERROR',
      `The ${operation.backend} service failed; the failure has been logged`,
      null,
    );
  }
  const violation =
    validation === 'off'
      ? null
      : contractViolation(operation, { status, contentType: response.headers['content-type'], body });
  if (violation && validation === 'enforce') {
    return failed(
      'BACKEND_CONTRACT_VIOLATION',
      `The ${operation.backend} service answered outside the API contract; the answer has been logged`,
      violation,
    );
  }
  if (status >= 400) {
    return {
      reply: { kind: 'problem', problem: sanitisedProblem(status, body, operation.backend), headers },
      violation,
      backendFailure: null,
    };
  }
  const contentType = response.headers['content-type'];
  return {
    reply: {
      kind: 'relay',
      status,
      headers: contentType ? { ...headers, 'content-type': contentType } : headers,
      body: response.body,
    },
    violation,
    backendFailure: null,
  };
}
