import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import { traceparentFrom } from '@eventfold/observability';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Per-request ids: X-Request-Id (kept when well-formed, else new) and a W3C traceparent; echoed on the response. */
export const requestContext: RequestHandler = (req, res, next) => {
  const incoming = req.header('x-request-id');
  const requestId = incoming && REQUEST_ID.test(incoming) ? incoming : randomUUID();
  const traceparent = traceparentFrom(req.header('traceparent'));
  res.locals.requestId = requestId;
  res.locals.traceparent = traceparent;
  res.setHeader('X-Request-Id', requestId);
  next();
};
