import { randomUUID } from 'node:crypto';
import {
  DeciderCommandHandler,
  STREAM_DOES_NOT_EXIST,
  assertNotEmptyString,
  assertUnsignedBigInt,
  type EventStore,
} from '@event-driven-io/emmett';
import {
  Created,
  NoContent,
  getETagValueFromIfMatch,
  on,
  toWeakETag,
  type HttpHandler,
  type WebApiSetup,
} from '@event-driven-io/emmett-expressjs';
import type { NextFunction, Request, Response, Router } from 'express';
import { decider } from './decider';

// As Emmett's decider sample API (emmett-expressjs/src/e2e/decider/api.ts): one DeciderCommandHandler, the
// expected version from If-Match (a weak ETag), the next one back as ETag. A stale If-Match makes the handler's
// read fail fast with ExpectedVersionConflictError, and a write that lost a race fails in emt_append_to_stream;
// both are ConcurrencyErrors, which emmett-expressjs's problem-details middleware answers with 412.

const handle = DeciderCommandHandler({ ...decider, mapToStreamId: (userId: string) => `user-${userId}` });

/**
 * Emmett's `on` as express 4's router takes a handler: express 4 ignores the promise a handler returns, so a
 * rejection goes to next() and on to the problem-details middleware (what express-async-errors, which
 * emmett-expressjs loads, would do with it).
 */
export const route =
  <R extends Request>(handle: HttpHandler<R>) =>
  (request: R, response: Response, next: NextFunction): void => {
    on(handle)(request, response, next).catch(next);
  };

// PostgreSQL's stream versions are bigints; the EventStore port's default type parameter leaves them any.
const weakETagOf = (result: { nextExpectedStreamVersion: unknown }) =>
  toWeakETag(result.nextExpectedStreamVersion as bigint);

type RegisterUserRequest = Request<unknown, unknown, Partial<{ name: string; email: string }>>;
type ChangeUserNameRequest = Request<Partial<{ userId: string }>, unknown, Partial<{ name: string }>>;

/** POST /users (201, Location, ETag W/"1") and PUT /users/:userId/name with If-Match (204 with the next ETag, or 412). */
export const usersApi =
  (eventStore: EventStore, now: () => Date): WebApiSetup =>
  (router: Router) => {
    router.post(
      '/users',
      route(async (request: RegisterUserRequest) => {
        const userId = randomUUID();
        const result = await handle(
          eventStore,
          userId,
          {
            type: 'RegisterUser',
            data: {
              userId,
              name: assertNotEmptyString(request.body.name),
              email: assertNotEmptyString(request.body.email),
            },
            metadata: { now: now() },
          },
          { expectedStreamVersion: STREAM_DOES_NOT_EXIST },
        );
        return Created({ createdId: userId, eTag: weakETagOf(result) });
      }),
    );

    router.put(
      '/users/:userId/name',
      route(async (request: ChangeUserNameRequest) => {
        const userId = assertNotEmptyString(request.params.userId);
        const result = await handle(
          eventStore,
          userId,
          {
            type: 'ChangeUserName',
            data: { userId, name: assertNotEmptyString(request.body.name) },
            metadata: { now: now() },
          },
          { expectedStreamVersion: assertUnsignedBigInt(getETagValueFromIfMatch(request)) },
        );
        return NoContent({ eTag: weakETagOf(result) });
      }),
    );
  };
