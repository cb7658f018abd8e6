import { pipeline } from 'node:stream/promises';
import type { RequestHandler, Response } from 'express';
import { problem, sendProblem } from '@eventfold/http';
import type { Logger } from '@eventfold/observability';
import { failureProblem } from '../http/forward';
import { forwardedRequestOf } from '../operations/forwardedRequest';
import type { GatewayOperation } from '../operations/operations';
import { mediaTypeOf } from '../operations/responseContract';
import { relayOf, type ResponseValidation } from '../upstream/relay';
import { childTraceparent } from '../upstream/traceparent';
import { upstreamFailureOf } from '../upstream/upstreamFailure';
import type { FeedUpstream } from './feedUpstream';
import type { StreamAllowance } from './streamAllowance';

export interface FollowRouteOptions {
  readonly upstream: FeedUpstream;
  readonly allowance: StreamAllowance;
  /** The deadline for the query service's first answer (its headers); the stream itself has none. */
  readonly timeoutMs: number;
  readonly validation: ResponseValidation;
  readonly logger: Logger;
}

/** Bytes of a refusal from the query service that are read (a problem document is far smaller). */
const MAX_REFUSAL_BYTES = 64 * 1024;
/** Seconds a client over its stream limit is told to wait. */
const RETRY_AFTER_SECONDS = 5;

/**
 * `?follow=true` on the audit trail and on /v1/events: after the operation's authentication, scope and rate
 * limit, checks the request against the document, holds one of the key's stream slots (429 when it has none left)
 * and relays the query service's server-sent events as they come, with backpressure both ways: a client that does
 * not read stops the relay, and the query service cuts it off. Without follow=true: as any other read (next),
 * where the audit trail answers a page and /v1/events, whose follow is required, 400.
 */
export function followRoute(operation: GatewayOperation, options: FollowRouteOptions): RequestHandler {
  return (req, res, next) => {
    if (req.query.follow !== 'true') {
      next();
      return;
    }
    let path: string;
    let headers: Readonly<Record<string, string>>;
    try {
      ({ path, headers } = forwardedRequestOf(operation, req));
    } catch (error) {
      next(error);
      return;
    }
    const keyId = res.locals.keyId as string;
    const release = options.allowance.take(keyId);
    if (!release) {
      res.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
      sendProblem(
        res,
        problem(
          429,
          'TOO_MANY_STREAMS',
          'This API key holds as many follow streams as it may; close one first',
        ),
      );
      return;
    }
    res.once('close', release);
    relay(operation, options, res, path, {
      ...headers,
      accept: 'text/event-stream, application/problem+json',
      'x-request-id': res.locals.requestId as string,
      traceparent: childTraceparent(res.locals.traceparent as string),
      'x-eventfold-actor': `key:${keyId}`,
    }).catch((error: unknown) => {
      options.logger.warn({ err: error, route: operation.pathTemplate }, 'follow stream relay failed');
      if (!res.headersSent) next(error);
      else res.destroy();
    });
  };
}

async function relay(
  operation: GatewayOperation,
  options: FollowRouteOptions,
  res: Response,
  path: string,
  headers: Record<string, string>,
): Promise<void> {
  const cancel = new AbortController();
  res.once('close', () => cancel.abort());
  let upstream: Awaited<ReturnType<FeedUpstream['open']>>;
  let timedOut = false;
  const timer = setTimeout(() => (timedOut = true), options.timeoutMs);
  try {
    upstream = await options.upstream.open(path, headers, options.timeoutMs, cancel.signal);
  } catch (error) {
    if (cancel.signal.aborted) return;
    const failure = upstreamFailureOf(error, timedOut);
    if (failure.kind === 'unreachable') res.setHeader('Retry-After', '1');
    sendProblem(res, failureProblem(operation, failure, options.timeoutMs));
    return;
  } finally {
    clearTimeout(timer);
  }
  const contentType = String(upstream.headers['content-type'] ?? '');
  if (upstream.statusCode !== 200 || mediaTypeOf(contentType) !== 'text/event-stream') {
    // A refusal (404, 400, 503…): rebuilt from the document's members, as every relayed answer is.
    const body = Buffer.from(await upstream.body.arrayBuffer()).subarray(0, MAX_REFUSAL_BYTES);
    const decision = relayOf(
      operation,
      { status: upstream.statusCode, headers: { 'content-type': contentType }, body },
      options.validation,
    );
    const reply =
      decision.reply.kind === 'problem'
        ? decision.reply.problem
        : problem(502, 'BACKEND_ERROR', 'The query service answered a follow request without a stream');
    sendProblem(res, reply);
    return;
  }
  res.status(200);
  res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('X-Accel-Buffering', 'no');
  res.flushHeaders();
  // Ends when either side does: the client's leaving destroys the upstream request, the stream's end (a cut by the
  // query service, a restart) ends the client's, which then resumes with Last-Event-ID.
  await pipeline(upstream.body, res).catch(() => undefined);
}
