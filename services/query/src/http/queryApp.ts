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
import { usersOpenApi, validateParameter } from '@eventfold/users-api';
import type { CheckpointWatcher } from '../reading/checkpointWatcher';
import type { UserReads } from '../reading/userReads';

export interface QueryAppOptions {
  readonly reads: () => UserReads;
  readonly checkpoints: CheckpointWatcher;
  readonly consistencyWaitMs: number;
  readonly logger: Logger;
  readonly metrics: Registry;
  readonly readiness: ReadinessCheck;
  readonly consistencyOutcomes: Counter<'outcome'>;
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

/**
 * Read-your-writes: with X-Consistency-Token the read waits (bounded) until the projector has passed the token,
 * else answers 503 with Retry-After, or stale data under `Prefer: allow-stale`. Answers false when it answered.
 */
async function awaitConsistency(req: Request, res: Response, o: QueryAppOptions): Promise<boolean> {
  const token = validateParameter('ConsistencyToken', req.header('x-consistency-token'));
  if (token === undefined) return true;
  const [partition, offset] = token.split(':');
  if (await o.checkpoints.reached(Number(partition), BigInt(offset!), o.consistencyWaitMs)) {
    o.consistencyOutcomes.inc({ outcome: 'reached' });
    return true;
  }
  if (/\ballow-stale\b/i.test(req.header('prefer') ?? '')) {
    o.consistencyOutcomes.inc({ outcome: 'stale' });
    res.setHeader('Preference-Applied', 'allow-stale');
    return true;
  }
  o.consistencyOutcomes.inc({ outcome: 'timeout' });
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
export function queryApp(o: QueryAppOptions): Express {
  const app = serviceApp({ readiness: o.readiness, metrics: o.metrics, openApi: usersOpenApi });

  app.get('/v1/users', async (req, res) => {
    const name = validateParameter('NameQuery', req.query.name as string | undefined);
    const limit = limitOf(req);
    const cursor = validateParameter('Cursor', req.query.cursor as string | undefined);
    if (!(await awaitConsistency(req, res, o))) return;
    res.json(await o.reads().search(name, limit, cursor));
  });

  app.get('/v1/users/:id', async (req, res) => {
    const id = userIdOf(req);
    const asOf = validateParameter('AsOf', req.query.asOf as string | undefined);
    const atVersion = validateParameter('AtVersion', req.query.atVersion as string | undefined);
    if (asOf !== undefined && atVersion !== undefined)
      throw new ValidationError('INVALID_QUERY', 'Give asOf or atVersion, not both');
    if (!(await awaitConsistency(req, res, o))) return;
    const travel = asOf !== undefined || atVersion !== undefined;
    const asOfDate = asOf === undefined ? undefined : timeOf(asOf);
    const user = travel
      ? await o.reads().asOf(id, {
          asOf: asOfDate,
          atVersion: atVersion ? Number(atVersion) : undefined,
        })
      : await o.reads().byId(id);
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

  app.get('/v1/users/:id/events', async (req, res) => {
    const id = userIdOf(req);
    const limit = limitOf(req);
    const cursor = validateParameter('Cursor', req.query.cursor as string | undefined);
    if (!(await awaitConsistency(req, res, o))) return;
    const page = await o.reads().events(id, limit, cursor);
    if (!page) {
      sendProblem(res, problem(404, 'USER_NOT_FOUND', `User ${id} does not exist`));
      return;
    }
    res.json(page);
  });

  app.use(notFoundRoute);
  app.use(problemMiddleware(o.logger));
  return app;
}
