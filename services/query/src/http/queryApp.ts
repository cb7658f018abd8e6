import type { Express, Request, Response } from 'express';
import { ValidationError } from '@eventfold/core';
import {
  notFoundRoute,
  serviceApp,
  problem,
  problemMiddleware,
  sendProblem,
  type ReadinessCheck,
} from '@eventfold/http';
import type { Counter, Logger, Registry } from '@eventfold/observability';
import { parseConsistencyToken, usersOpenApi, validateParameter } from '@eventfold/users-api';
import type { CheckpointSignal } from '../feed/checkpointSignal';
import { followAllEvents } from '../feed/followAllEvents';
import { followUserEvents } from '../feed/followUserEvents';
import type { CheckpointWatcher } from '../reading/checkpointWatcher';
import type { LogEnds } from '../reading/logEnds';
import type { UserReads } from '../reading/userReads';

export interface QueryAppOptions {
  readonly reads: () => UserReads;
  readonly checkpoints: CheckpointWatcher;
  /** Where the event log ends: a token it cannot reach is refused at once instead of waited for. */
  readonly logEnds: LogEnds;
  readonly consistencyWaitMs: number;
  readonly logger: Logger;
  readonly metrics: Registry;
  readonly readiness: ReadinessCheck;
  readonly consistencyOutcomes: Counter<'outcome'>;
  /** Only requests that carry it are answered (the probes aside): see serviceApp. */
  readonly internalToken?: string | null;
  /**
   * The follow feeds (`?follow=true` on the audit trail, and `/v1/events?follow=true`): without them, the audit
   * trail answers pages only and /v1/events is no route.
   */
  readonly feed?: {
    readonly checkpoints: CheckpointSignal;
    readonly heartbeatMs: number;
    readonly maxBufferedBytes: number;
    readonly stallMs: number;
  };
}

const limitOf = (req: Request) =>
  Number(validateParameter('Limit', req.query.limit as string | undefined) ?? 20);
const userIdOf = (req: Request) => validateParameter('UserId', req.params.id as string)!;

/** A time the document admits, as a Date; never an Invalid Date, which a store would compare as nothing. */
function timeOf(asOf: string): Date {
  const time = new Date(asOf);
  if (Number.isNaN(time.getTime()))
    throw new ValidationError('INVALID_QUERY', 'query asOf is not a valid time');
  return time;
}

type PositionOutcome = 'reached' | 'timeout' | 'no-such-partition' | 'past-the-end';

/**
 * Waits (bounded) for the projector to pass a position, while the log is asked whether it has that position at
 * all: whichever settles it first answers, so a real token waits no longer than before and one the log cannot
 * reach is refused as soon as the log says so. A position already passed (as last seen) does not ask the log.
 */
async function waitForPosition(
  partition: number,
  offset: bigint,
  options: QueryAppOptions,
): Promise<PositionOutcome> {
  if (await options.checkpoints.reached(partition, offset, 0)) return 'reached';
  const stop = new AbortController();
  const waited = options.checkpoints
    .reached(partition, offset, options.consistencyWaitMs, stop.signal)
    .then((reached): PositionOutcome => (reached ? 'reached' : 'timeout'));
  const judged = options.logEnds
    .reach(partition, offset)
    .then((reach) => (reach === 'reachable' || reach === 'unknown' ? waited : reach));
  try {
    return await Promise.race([waited, judged]);
  } finally {
    stop.abort();
  }
}

/**
 * Read-your-writes: with X-Consistency-Token the read waits (bounded) until the projector has passed the token,
 * else answers 503 with Retry-After, or stale data under `Prefer: allow-stale`. A token the log cannot reach (no
 * such partition, an offset at or past its end) is refused with 400 at once: no write answered it, and waiting
 * for it would only hold the request. Answers false when it answered.
 */
async function awaitConsistency(req: Request, res: Response, options: QueryAppOptions): Promise<boolean> {
  const token = validateParameter('ConsistencyToken', req.header('x-consistency-token'));
  if (token === undefined) return true;
  const { partition, offset } = parseConsistencyToken(token);
  const outcome = await waitForPosition(partition, offset, options);
  if (outcome === 'no-such-partition' || outcome === 'past-the-end') {
    options.consistencyOutcomes.inc({ outcome: 'unreachable' });
    throw new ValidationError(
      'CONSISTENCY_TOKEN_UNREACHABLE',
      outcome === 'no-such-partition'
        ? `The event log has no partition ${partition}: send a token a write answered`
        : `The event log has no offset ${offset} in partition ${partition} yet: send a token a write answered`,
    );
  }
  if (outcome === 'reached') {
    options.consistencyOutcomes.inc({ outcome: 'reached' });
    return true;
  }
  if (/\ballow-stale\b/i.test(req.header('prefer') ?? '')) {
    options.consistencyOutcomes.inc({ outcome: 'stale' });
    res.setHeader('Preference-Applied', 'allow-stale');
    return true;
  }
  options.consistencyOutcomes.inc({ outcome: 'timeout' });
  res.setHeader('Retry-After', '1');
  sendProblem(
    res,
    problem(
      503,
      'CONSISTENCY_TIMEOUT',
      `The read model has not reached ${token} yet; retry, or send Prefer: allow-stale`,
    ),
  );
  return false;
}

/** The read half of the API. No auth of its own: only the gateway reaches it. */
export function queryApp(options: QueryAppOptions): Express {
  const app = serviceApp({
    readiness: options.readiness,
    metrics: options.metrics,
    openApi: usersOpenApi,
    internalToken: options.internalToken,
  });

  app.get('/v1/users', async (req, res) => {
    const name = validateParameter('NameQuery', req.query.name as string | undefined);
    const limit = limitOf(req);
    const cursor = validateParameter('UserCursor', req.query.cursor as string | undefined);
    if (!(await awaitConsistency(req, res, options))) return;
    res.json(await options.reads().search(name, limit, cursor));
  });

  app.get('/v1/users/:id', async (req, res) => {
    const id = userIdOf(req);
    const asOf = validateParameter('AsOf', req.query.asOf as string | undefined);
    const atVersion = validateParameter('AtVersion', req.query.atVersion as string | undefined);
    if (!(await awaitConsistency(req, res, options))) return;
    const travel = asOf !== undefined || atVersion !== undefined;
    const asOfDate = asOf === undefined ? undefined : timeOf(asOf);
    const user = travel
      ? await options.reads().asOf(id, {
          asOf: asOfDate,
          atVersion: atVersion ? Number(atVersion) : undefined,
        })
      : await options.reads().byId(id);
    if (!user) {
      sendProblem(
        res,
        problem(
          404,
          'USER_NOT_FOUND',
          travel ? `User ${id} did not exist then` : `User ${id} does not exist`,
        ),
      );
      return;
    }
    res.setHeader('ETag', `"${user.version}"`);
    res.json(user);
  });

  if (options.feed) {
    app.get(
      '/v1/users/:id/events',
      followUserEvents({ reads: options.reads, logger: options.logger, ...options.feed }),
    );
    app.get('/v1/events', followAllEvents({ reads: options.reads, logger: options.logger, ...options.feed }));
  }

  app.get('/v1/users/:id/events', async (req, res) => {
    const id = userIdOf(req);
    const limit = limitOf(req);
    const cursor = validateParameter('EventCursor', req.query.cursor as string | undefined);
    if (!(await awaitConsistency(req, res, options))) return;
    const page = await options.reads().events(id, limit, cursor);
    if (!page) {
      sendProblem(res, problem(404, 'USER_NOT_FOUND', `User ${id} does not exist`));
      return;
    }
    res.json(page);
  });

  app.use(notFoundRoute);
  app.use(problemMiddleware(options.logger));
  return app;
}
