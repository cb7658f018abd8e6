import type { RequestHandler, Response } from 'express';
import { problem, sendProblem, type Problem } from '@eventfold/http';
import type { Logger } from '@eventfold/observability';
import type { GatewayMetrics } from '../gatewayMetrics';
import { forwardedRequestOf } from '../operations/forwardedRequest';
import type { Backend, GatewayOperation } from '../operations/operations';
import type { BackendClient, BackendResponse } from '../upstream/backendClient';
import { relayOf, type Reply, type ResponseValidation } from '../upstream/relay';
import { childTraceparent } from '../upstream/traceparent';
import type { UpstreamFailure } from '../upstream/upstreamFailure';

export interface ForwardOptions {
  readonly backends: Readonly<Record<Backend, BackendClient>>;
  readonly timeoutMs: number;
  readonly validation: ResponseValidation;
  readonly metrics: GatewayMetrics;
  readonly logger: Logger;
  readonly clock: () => number;
}

/** The problem for a backend that gave no answer: 504 when it was too slow, 502 otherwise. */
export function failureProblem(
  operation: GatewayOperation,
  failure: UpstreamFailure,
  timeoutMs: number,
): Problem {
  const backend = operation.backend;
  if (failure.kind === 'timeout') {
    const write = operation.method !== 'get';
    return problem(
      504,
      'BACKEND_TIMEOUT',
      `The ${backend} service did not answer within ${timeoutMs} ms` +
        (write ? '; the command may still take effect: retry with the same Idempotency-Key' : ''),
    );
  }
  if (failure.kind === 'too-large')
    return problem(502, 'BACKEND_ERROR', `The ${backend} service answered more than the gateway relays`);
  return problem(502, 'BACKEND_UNREACHABLE', `The ${backend} service cannot be reached; retry shortly`);
}

function send(res: Response, reply: Reply): void {
  for (const [name, value] of Object.entries(reply.headers)) res.setHeader(name, value);
  if (reply.kind === 'problem') {
    sendProblem(res, reply.problem);
    return;
  }
  res.status(reply.status);
  if (reply.body.length === 0) res.end();
  else res.send(reply.body);
}

/**
 * Forwards a checked request to the operation's backend with the caller's identity (`X-Eventfold-Actor:
 * key:<id>`), request id and trace context, and relays the answer. Validation errors reach the problem middleware.
 */
export function forward(operation: GatewayOperation, options: ForwardOptions): RequestHandler {
  const client = options.backends[operation.backend];
  const method = operation.method.toUpperCase();
  return async (req, res) => {
    const request = forwardedRequestOf(operation, req);
    const requestId = res.locals.requestId as string;
    const cancel = new AbortController();
    res.once('close', () => {
      if (!res.writableFinished) cancel.abort();
    });
    const started = options.clock();
    const elapsed = () => (options.clock() - started) / 1000;
    let response: BackendResponse;
    try {
      response = await client.send(
        {
          method,
          path: request.path,
          headers: {
            ...request.headers,
            ...(request.body === undefined ? {} : { 'content-type': 'application/json' }),
            accept: 'application/json, application/problem+json',
            'x-request-id': requestId,
            traceparent: childTraceparent(res.locals.traceparent as string),
            'x-eventfold-actor': `key:${res.locals.keyId as string}`,
          },
          body: request.body,
        },
        options.timeoutMs,
        cancel.signal,
      );
    } catch (error) {
      const failure = error as UpstreamFailure;
      options.metrics.backendSeconds.observe(
        { backend: operation.backend, outcome: failure.kind },
        elapsed(),
      );
      if (cancel.signal.aborted) return;
      options.logger.warn(
        {
          requestId,
          backend: operation.backend,
          route: operation.pathTemplate,
          kind: failure.kind,
          code: failure.code,
        },
        'backend gave no answer',
      );
      if (failure.kind === 'unreachable') res.setHeader('Retry-After', '1');
      sendProblem(res, failureProblem(operation, failure, options.timeoutMs));
      return;
    }
    options.metrics.backendSeconds.observe(
      { backend: operation.backend, outcome: String(response.status) },
      elapsed(),
    );
    const decision = relayOf(operation, response, options.validation);
    if (decision.violation) {
      options.metrics.contractViolationsTotal.inc({
        operation: operation.id,
        status: String(response.status),
      });
      options.logger.warn(
        { requestId, backend: operation.backend, operation: operation.id, violation: decision.violation },
        'backend answer breaks the API document',
      );
    }
    if (decision.backendFailure) {
      options.logger.error(
        { requestId, backend: operation.backend, operation: operation.id, ...decision.backendFailure },
        'backend failed',
      );
    }
    send(res, decision.reply);
  };
}
