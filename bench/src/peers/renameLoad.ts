import autocannon from 'autocannon';
import type { LoadResult } from '../measure/load';
import { etagOf, type VersionedUser } from './versionedUser';

/**
 * The rename half of the workload, closed loop as httpLoad (measure/load.ts) runs the registrations, and its
 * result computed the same way; its own function because each request carries a different If-Match, which
 * httpLoad's fixed headers cannot. Each request takes a user nobody else is renaming, sends the ETag of the user's
 * latest version as If-Match, and gives the user back with the ETag of the answer: every rename expects the
 * version it should, so a refusal (412) is a failure of the peer, not of the load. `users` must hold more users
 * than `connections` (a request that times out keeps its user).
 */
export async function renameLoad(options: {
  url: string;
  users: readonly VersionedUser[];
  connections: number;
  seconds: number;
}): Promise<LoadResult> {
  if (options.users.length <= options.connections)
    throw new RangeError(
      `renameLoad needs more users (${options.users.length}) than connections (${options.connections})`,
    );
  const idle = [...options.users];
  // autocannon takes a request's path as it is: the base URL's own path (eventfold's /v1) goes in front.
  const base = new URL(options.url).pathname.replace(/\/$/, '');
  let renames = 0;
  type Context = { user?: VersionedUser };
  const result = await autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.seconds,
    requests: [
      {
        method: 'PUT',
        setupRequest: (request, context: Context) => {
          // Never empty: each connection has at most one user out, and there are more users than connections.
          const user = idle.shift()!;
          context.user = user;
          return {
            ...request,
            method: 'PUT',
            path: `${base}/users/${user.id}/name`,
            headers: { 'content-type': 'application/json', 'if-match': user.etag },
            body: JSON.stringify({ name: `Renamed User ${renames++}` }),
          };
        },
        onResponse: (status, _body, context: Context, headers) => {
          const user = context.user!;
          const etag = etagOf(headers ?? {});
          if (status >= 200 && status < 300 && etag) user.etag = etag;
          idle.push(user);
        },
      },
    ],
  });
  const ok = result['2xx'];
  return {
    perSecond: ok / result.duration,
    ok,
    failed: result.non2xx + result.errors + result.timeouts,
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
  };
}
