import { ERASED } from '@eventfold/core';
import { CliError, type Output } from './output';

export interface EmailsBackfillOptions {
  /** The query service's base URL (`QUERY_URL`): where the users are listed. */
  readonly queryUrl: string;
  /** The command service's base URL (`COMMAND_URL`): where the reservations are made. */
  readonly commandUrl: string;
  /** The services' `INTERNAL_TOKEN`, when they are set to answer only the gateway (the embedded mode). */
  readonly internalToken?: string;
  /** Find and report, write nothing. */
  readonly dryRun: boolean;
  /** Reservations in flight at once. */
  readonly concurrency?: number;
}

interface ListedUser {
  readonly id: string;
  readonly email: string;
}

/** What a run found and did: the conflicts name users, never their address. */
export interface BackfillReport {
  readonly users: number;
  /** Addresses that two or more users hold: each left as it is, with the users' ids. */
  readonly shared: readonly (readonly string[])[];
  /** Users whose address another user (registered since) has reserved. */
  readonly taken: readonly string[];
  readonly reserved: number;
  /** Not decided in time: a second run finishes them. */
  readonly pending: readonly string[];
}

/** Whether some address is left unreserved: the command then exits with code 2. */
export const leftUnreserved = (r: BackfillReport): boolean =>
  r.shared.length + r.taken.length + r.pending.length > 0;

/**
 * `eventfold emails backfill`: reserves the address of every user registered before addresses had reservation
 * streams (decision 0016). Lists the users from the query service, sets aside every address held by two users or
 * more (reported by user id, neither changed), and asks the command service to reserve each other address for its
 * user (`PUT /v1/email-reservations/{id}`), whose partition owners confirm it only if the user still holds it.
 * Safe to run twice: the second run is answered from the idempotency windows and writes nothing. Exit code 0 when
 * every address is reserved, 2 when conflicts or pending reservations remain, 1 when a service fails.
 */
export async function emailsBackfill(options: EmailsBackfillOptions, out: Output): Promise<BackfillReport> {
  const users = await listUsers(options);
  const byAddress = new Map<string, string[]>();
  for (const user of users) {
    if (user.email === ERASED) continue;
    // Stored as the domain normalised it when the event was decided: equal addresses are equal strings.
    byAddress.set(user.email, [...(byAddress.get(user.email) ?? []), user.id]);
  }
  const shared = [...byAddress.values()].filter((ids) => ids.length > 1).map((ids) => ids.sort());
  const single = [...byAddress.entries()].filter(([, ids]) => ids.length === 1);
  out.line(
    `emails backfill: ${users.length} users, ${single.length} addresses to reserve, ${shared.length} held by more than one user`,
  );
  for (const ids of shared) out.line(`  shared address, left as it is: users ${ids.join(', ')}`);

  const taken: string[] = [];
  const pending: string[] = [];
  let reserved = 0;
  if (!options.dryRun) {
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(options.concurrency ?? 8, single.length) }, async () => {
        for (let i = next++; i < single.length; i = next++) {
          const [email, [id]] = single[i]! as [string, [string]];
          const outcome = await reserve(options, id, email);
          if (outcome === 'reserved') reserved++;
          else if (outcome === 'taken') taken.push(id);
          else pending.push(id);
        }
      }),
    );
    for (const id of taken.sort()) out.line(`  taken: user ${id}'s address is reserved by another user`);
    if (pending.length > 0)
      out.line(`  pending: ${pending.length} reservations not decided in time; run again`);
  }
  out.line(
    options.dryRun
      ? `dry run: nothing written`
      : `reserved ${reserved}, taken ${taken.length}, pending ${pending.length}, shared ${shared.length}`,
  );
  const report = { users: users.length, shared, taken, reserved, pending };
  return report;
}

const headersOf = (options: EmailsBackfillOptions): Record<string, string> =>
  options.internalToken ? { 'x-eventfold-internal-token': options.internalToken } : {};

async function call(url: string, init: RequestInit, what: string): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (error) {
    throw new CliError(
      `emails backfill: ${what} at ${new URL(url).origin} does not answer (${(error as Error).message})`,
    );
  }
}

/** Every user of the read model, a page of 100 at a time, in (name, id) order. */
async function listUsers(options: EmailsBackfillOptions): Promise<ListedUser[]> {
  const users: ListedUser[] = [];
  let cursor: string | null = null;
  do {
    const url = `${options.queryUrl.replace(/\/+$/, '')}/v1/users?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const response = await call(url, { headers: headersOf(options) }, 'the query service (QUERY_URL)');
    if (!response.ok)
      throw new CliError(
        `emails backfill: the query service answered ${response.status}: ${await response.text()}`,
      );
    const page = (await response.json()) as { items: ListedUser[]; nextCursor: string | null };
    users.push(...page.items.map(({ id, email }) => ({ id, email })));
    cursor = page.nextCursor;
  } while (cursor);
  return users;
}

async function reserve(
  options: EmailsBackfillOptions,
  id: string,
  email: string,
): Promise<'reserved' | 'taken' | 'pending'> {
  const response = await call(
    `${options.commandUrl.replace(/\/+$/, '')}/v1/email-reservations/${id}`,
    {
      method: 'PUT',
      headers: { 'content-type': 'application/json', ...headersOf(options) },
      body: JSON.stringify({ email }),
    },
    'the command service (COMMAND_URL)',
  );
  const body = (await response.json().catch(() => ({}))) as { code?: string; detail?: string };
  if (response.status === 200) return 'reserved';
  if (response.status === 202) return 'pending';
  if (response.status === 409 && body.code === 'EMAIL_TAKEN') return 'taken';
  throw new CliError(
    `emails backfill: the command service answered ${response.status} for user ${id}: ${body.detail ?? body.code ?? ''}`,
  );
}
