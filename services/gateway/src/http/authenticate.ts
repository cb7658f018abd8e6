import type { RequestHandler } from 'express';
import { problem, sendProblem } from '@eventfold/http';
import type { KeyRing } from '../auth/keyRing';
import { allows, type Scope } from '../auth/scopes';
import type { GatewayMetrics } from '../gatewayMetrics';

const REALM = 'Bearer realm="eventfold"';

/**
 * 401 without a valid API key, 403 when the key lacks every scope the operation accepts (RFC 6750 challenges in
 * WWW-Authenticate). On success the key's public id is in `res.locals.keyId`.
 */
export function authenticate(
  keyRing: KeyRing,
  accepted: readonly Scope[],
  metrics: GatewayMetrics,
): RequestHandler {
  return (req, res, next) => {
    const result = keyRing.authenticate(req.header('authorization'));
    if (!result.ok) {
      metrics.refusalsTotal.inc({ reason: `${result.failure}-key` });
      const missing = result.failure === 'missing';
      res.setHeader('WWW-Authenticate', missing ? REALM : `${REALM}, error="invalid_token"`);
      sendProblem(
        res,
        problem(
          401,
          'UNAUTHENTICATED',
          missing ? 'Send an API key: Authorization: Bearer <key>' : 'The API key is not valid',
        ),
      );
      return;
    }
    res.locals.keyId = result.key.id;
    if (!allows(result.key.scopes, accepted)) {
      metrics.refusalsTotal.inc({ reason: 'scope' });
      res.setHeader(
        'WWW-Authenticate',
        `${REALM}, error="insufficient_scope", scope="${accepted.join(' ')}"`,
      );
      sendProblem(
        res,
        problem(403, 'INSUFFICIENT_SCOPE', `This operation needs an API key with ${accepted.join(' or ')}`),
      );
      return;
    }
    next();
  };
}
