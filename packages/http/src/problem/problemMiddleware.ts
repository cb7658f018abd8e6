import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import type { Logger } from '@eventfold/observability';
import { problem, problemOf, type Problem } from './problem';

/** Answers a problem; no cache keeps it (its `instance` is the request's URL, query included). */
export function sendProblem(res: Response, body: Problem): void {
  res
    .status(body.status)
    .setHeader('Cache-Control', 'no-store')
    .type('application/problem+json')
    .json({ ...body, instance: res.req.originalUrl });
}

/** express's own errors (body parsing) carry `type` and `status`: map them to problems of ours. */
function expressProblem(error: unknown): Problem | null {
  if (typeof error !== 'object' || error === null) return null;
  const { type, message } = error as { type?: unknown; message?: unknown };
  switch (type) {
    case 'entity.too.large':
      return problem(413, 'BODY_TOO_LARGE', 'The request body is larger than allowed');
    case 'entity.parse.failed':
      return problem(400, 'MALFORMED_JSON', 'The request body is not valid JSON');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return problem(
        415,
        'UNSUPPORTED_ENCODING',
        typeof message === 'string' ? message : 'Unsupported body encoding',
      );
    default:
      return null;
  }
}

/** The last middleware: every error becomes problem+json, without stack traces; unexpected ones are logged. */
export function problemMiddleware(logger: Logger): ErrorRequestHandler {
  return (error, req, res, _next) => {
    const known = expressProblem(error) ?? problemOf(error);
    if (known.status >= 500)
      logger.error({ err: error, method: req.method, path: req.path }, 'request failed');
    if (res.headersSent) return;
    if (known.status === 503) res.setHeader('Retry-After', '1');
    sendProblem(res, known);
  };
}

/** Answers 404 problem+json for any route nobody handled. */
export const notFoundRoute: RequestHandler = (req, res) => {
  sendProblem(res, problem(404, 'ROUTE_NOT_FOUND', `No route for ${req.method} ${req.path}`));
};
