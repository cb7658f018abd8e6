import { createHash } from 'node:crypto';

/**
 * The id of the event at `version` of `streamId`: a UUIDv8 (RFC 9562) from SHA-256 of the position. A position holds
 * exactly one event forever, so the id is unique, and deciding the same command again after an aborted transaction
 * yields the same ids: side effects keyed by event id stay exactly once.
 */
export function eventIdFor(streamId: string, version: number): string {
  const bytes = createHash('sha256').update(`${streamId}\u0000${version}`).digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x80; // version 8
  bytes[8] = (bytes[8]! & 0x3f) | 0x80; // variant 10
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
