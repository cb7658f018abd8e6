import { PeerError, PeerErrorCodes } from './peerError';
import { registerUser } from './versionedUser';

/** Statuses a peer may refuse a stale expected version with: 412 (If-Match failed) or 409 (conflict). */
const REFUSALS = [409, 412];

async function rename(url: string, id: string, ifMatch: string): Promise<Response> {
  const response = await fetch(`${url}/users/${id}/name`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', 'if-match': ifMatch },
    body: JSON.stringify({ name: 'Stale Check' }),
  });
  await response.arrayBuffer();
  return response;
}

/**
 * The contract the comparison relies on, checked on each peer before it is loaded: a rename that expects the
 * current version is accepted with a new ETag, and the same rename again (its version now stale) is refused with
 * the peer's own concurrency error. A peer that accepted it would be doing less work than eventfold does.
 */
export async function checkStaleVersionRefused(peer: string, url: string): Promise<void> {
  const user = await registerUser(peer, url, 0);
  const accepted = await rename(url, user.id, user.etag);
  const next = accepted.headers.get('etag');
  if (!accepted.ok || !next || next === user.etag)
    throw new PeerError(
      PeerErrorCodes.unexpectedAnswer,
      peer,
      `a rename expecting the current version answered ${accepted.status} with ETag ${next}`,
    );
  const stale = await rename(url, user.id, user.etag);
  if (!REFUSALS.includes(stale.status))
    throw new PeerError(
      PeerErrorCodes.staleVersionAccepted,
      peer,
      `a rename expecting stale version ${user.etag} answered ${stale.status}, not 412 or 409`,
    );
}
