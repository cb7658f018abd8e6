import express, { type RequestHandler } from 'express';
import { problem, sendProblem } from '@eventfold/http';
import type { GatewayOperation } from '../operations/operations';

/**
 * Reads a request's body, JSON only and at most `limitBytes` (413 beyond, without reading it all). A GET has no
 * body (400), and any other media type is refused (415) before a byte is read.
 */
export function requestBody(operation: GatewayOperation, limitBytes: number): RequestHandler[] {
  const refuse: RequestHandler = (req, res, next) => {
    const hasBody =
      Number(req.header('content-length') ?? 0) > 0 || req.header('transfer-encoding') !== undefined;
    if (!hasBody) {
      next();
      return;
    }
    if (operation.method === 'get') {
      sendProblem(res, problem(400, 'BODY_NOT_ALLOWED', 'A read takes no body'));
      return;
    }
    if (!req.is('application/json')) {
      sendProblem(res, problem(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the body as application/json'));
      return;
    }
    next();
  };
  return [refuse, express.json({ limit: limitBytes, strict: true, type: 'application/json' })];
}
