import { PeerError, PeerErrorCodes } from './peerError';

/** A user the workload registered, with the ETag of its latest version: what the next rename sends as If-Match. */
export interface VersionedUser {
  readonly id: string;
  etag: string;
}

/** ETag of an answer, whatever the case of the header's name (Express sends `etag`, Flask `ETag`). */
export function etagOf(headers: Readonly<Record<string, unknown>>): string | undefined {
  const entry = Object.entries(headers).find(([name]) => name.toLowerCase() === 'etag');
  const value = entry?.[1];
  return typeof value === 'string' ? value : Array.isArray(value) ? String(value[0]) : undefined;
}

/** A registration body: a new name and address each time, as a user would register. */
export function registration(n: number): { name: string; email: string } {
  return { name: `Peer User ${n}`, email: `peer${n}@example.com` };
}

/** Registers a user through the peer's API: 201 with the new id in the body and its version as ETag. */
export async function registerUser(peer: string, url: string, n: number): Promise<VersionedUser> {
  const response = await fetch(`${url}/users`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(registration(n)),
  });
  const body = (await response.json().catch(() => ({}))) as { id?: unknown };
  const etag = response.headers.get('etag');
  if (response.status !== 201 || typeof body.id !== 'string' || !etag)
    throw new PeerError(
      PeerErrorCodes.unexpectedAnswer,
      peer,
      `POST /users answered ${response.status} ${JSON.stringify(body)} (ETag ${etag}), not 201 with an id and an ETag`,
    );
  return { id: body.id, etag };
}

/** Registers `count` users, `concurrency` at a time: the users a rename load works on. */
export async function registerUsers(
  peer: string,
  url: string,
  count: number,
  firstNumber: number,
  concurrency = 32,
): Promise<VersionedUser[]> {
  const users: VersionedUser[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) users.push(await registerUser(peer, url, firstNumber + next++));
    }),
  );
  return users;
}
