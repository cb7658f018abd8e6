import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import {
  notFoundRoute,
  serviceApp,
  problem,
  problemMiddleware,
  sendProblem,
  type ReadinessCheck,
} from '@eventfold/http';
import type { Counter, Logger, Registry } from '@eventfold/observability';
import { ValidationError } from '@eventfold/core';
import { normaliseEmail } from '@eventfold/users-domain';
import { usersOpenApi, validateParameter } from '@eventfold/users-api';
import type { CommandBus, SendOutcome } from '../bus/commandBus';
import type { IncomingCommand } from '../processing/streamCommands';
import type { ClientIds } from './clientIds';
import { commandFromRequest, type CommandRoute } from './commandRequests';
import { commandStatusBody, sendAccepted, sendResult } from './commandResponses';
import { adoptEmail } from '../emailClaims/adoptEmail';
import { claimEmail, claimsEmail } from '../emailClaims/claimEmail';
import { importFromRequest } from '../imports/importRequest';
import type { EmailStreamOf } from '../emailClaims/emailStreamIds';

export interface CommandAppOptions {
  /** Throws SERVICE_STARTING (503) until the service has connected to Kafka and the registry. */
  readonly bus: () => CommandBus;
  /** The reservation stream of an address: registrations and address changes claim it first (decision 0016). */
  readonly emailStreamOf: EmailStreamOf;
  /** False only in the benchmark's variant that measures what the address claim costs (CommandServiceDeps). */
  readonly claimAddresses: boolean;
  readonly logger: Logger;
  readonly metrics: Registry;
  readonly readiness: ReadinessCheck;
  readonly commandsTotal: Counter<'route' | 'outcome'>;
  readonly waitMs: number;
  readonly bodyLimitBytes: number;
  readonly clock: () => number;
  /** Keyed hashes of the ids callers supply: command ids are scoped to their caller. */
  readonly ids: ClientIds;
  /** Only requests that carry it are answered (the probes aside): see serviceApp. */
  readonly internalToken?: string | null;
}

const routes: readonly [method: 'post' | 'put' | 'delete', path: string, route: CommandRoute][] = [
  ['post', '/v1/users', 'registerUser'],
  ['put', '/v1/users/:id/name', 'changeUserName'],
  ['post', '/v1/users/:id/name-corrections', 'correctUserName'],
  ['put', '/v1/users/:id/email', 'changeUserEmail'],
  ['delete', '/v1/users/:id', 'deactivateUser'],
  ['post', '/v1/users/:id/reactivation', 'reactivateUser'],
  ['delete', '/v1/users/:id/personal-data', 'forgetUser'],
];

/** A body is JSON or absent: anything else is refused before it is parsed. */
function jsonOnly(req: Request, res: Response, next: NextFunction): void {
  const hasBody =
    Number(req.header('content-length') ?? 0) > 0 || req.header('transfer-encoding') !== undefined;
  if (hasBody && !req.is('application/json')) {
    sendProblem(res, problem(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the body as application/json'));
    return;
  }
  next();
}

/** Who sends the request, as the gateway names the API key (only the gateway reaches this service). */
const actorOf = (req: Request): string => req.header('x-eventfold-actor') ?? 'anonymous';

/** The write half of the API: commands in, results (or 202) out. No auth of its own: only the gateway reaches it. */
export function commandApp(options: CommandAppOptions): Express {
  const app = serviceApp({
    readiness: options.readiness,
    metrics: options.metrics,
    openApi: usersOpenApi,
    internalToken: options.internalToken,
  });
  app.use(jsonOnly, express.json({ limit: options.bodyLimitBytes, strict: true, type: 'application/json' }));

  /** A user command onto the command path: through the address claim when it names an address (decision 0016). */
  const dispatch = (
    incoming: Omit<IncomingCommand, 'homePartition'>,
    waitMs: number,
    headers: Record<string, string>,
  ): Promise<SendOutcome> => {
    const bus = options.bus();
    return options.claimAddresses && claimsEmail(incoming)
      ? claimEmail((c, w, h) => bus.send(c, w, h), incoming, {
          emailStreamOf: options.emailStreamOf,
          reserveWaitMs: options.waitMs,
          waitMs,
          headers,
        })
      : bus.send(incoming, waitMs, headers);
  };

  for (const [method, path, route] of routes) {
    app[method](path, async (req, res) => {
      const { incoming, publicId, async } = commandFromRequest(route, req, {
        actor: actorOf(req),
        requestId: res.locals.requestId as string,
        now: options.clock(),
        ids: options.ids,
      });
      const headers = {
        traceparent: res.locals.traceparent as string,
        'x-request-id': res.locals.requestId as string,
      };
      const outcome = await dispatch(incoming, async ? 0 : options.waitMs, headers);
      if (outcome.status === 'accepted') {
        options.commandsTotal.inc({ route, outcome: 'accepted' });
        sendAccepted(res, publicId);
        return;
      }
      options.commandsTotal.inc({ route, outcome: outcome.result.error?.code ?? outcome.result.outcome });
      sendResult(res, outcome.result, route === 'registerUser', publicId);
    });
  }

  // Not in the public API (the gateway has no such route): the operator's `eventfold migrate import` brings in one
  // legacy row (docs/decisions/0020-importing-a-crud-table.md), on the command path like any command: its address
  // claimed, then ImportUser decided by the partition owner of the stream its legacy id names.
  app.post('/v1/user-imports', async (req, res) => {
    const receivedAt = options.clock();
    const { incoming, publicId } = importFromRequest(req.body, {
      actor: actorOf(req),
      requestId: res.locals.requestId as string,
      now: receivedAt,
      ids: options.ids,
    });
    const headers = {
      traceparent: res.locals.traceparent as string,
      'x-request-id': res.locals.requestId as string,
    };
    const outcome = await dispatch(incoming, options.waitMs, headers);
    if (outcome.status === 'accepted') {
      options.commandsTotal.inc({ route: 'importUser', outcome: 'accepted' });
      sendAccepted(res, publicId);
      return;
    }
    options.commandsTotal.inc({
      route: 'importUser',
      outcome: outcome.result.error?.code ?? outcome.result.outcome,
    });
    // Decided before this request came: the answer of an earlier run's command, from the idempotency window (as
    // Stripe says it), so that a rerun can count the row as already present.
    if (outcome.result.completedAt < receivedAt) res.setHeader('Idempotent-Replayed', 'true');
    sendResult(res, outcome.result, true, publicId);
  });

  // Not in the public API (the gateway has no such route): the operator's `eventfold emails backfill` reserves the
  // address of a user registered before reservations existed (decision 0016).
  app.put('/v1/email-reservations/:id', async (req, res) => {
    const userId = validateParameter('UserId', req.params.id)!;
    const email = (req.body as { email?: unknown } | undefined)?.email;
    if (typeof email !== 'string')
      throw new ValidationError('INVALID_BODY', 'The body must be {"email": "<the address the user holds>"}');
    normaliseEmail(email);
    const outcome = await adoptEmail(
      (c, w, h) => options.bus().send(c, w, h),
      { userId, email },
      {
        emailStreamOf: options.emailStreamOf,
        waitMs: options.waitMs,
        now: options.clock(),
        actor: actorOf(req),
        headers: {
          traceparent: res.locals.traceparent as string,
          'x-request-id': res.locals.requestId as string,
        },
      },
    );
    // Not decided in time: a second run carries on from where this one stopped (the same ids).
    if (outcome.status === 'accepted') {
      res.status(202).json({ id: userId, reservation: 'pending' });
      return;
    }
    if (outcome.result.outcome === 'rejected') {
      sendResult(res, outcome.result, false, outcome.result.commandId);
      return;
    }
    res.status(200).json({ id: userId, reservation: 'settled' });
  });

  app.get('/v1/commands/:commandId', (req, res) => {
    const commandId = validateParameter('CommandId', req.params.commandId)!;
    // Another caller's id hashes to another command: theirs is never found, whatever id is asked for.
    const known = options.bus().status(options.ids.commandId(actorOf(req), commandId));
    if (known === null) {
      sendProblem(
        res,
        problem(
          404,
          'COMMAND_NOT_FOUND',
          `No command ${commandId} is known to this service (results are kept 24 hours)`,
        ),
      );
      return;
    }
    res.json(commandStatusBody(commandId, known));
  });

  app.use(notFoundRoute);
  app.use(problemMiddleware(options.logger));
  return app;
}
