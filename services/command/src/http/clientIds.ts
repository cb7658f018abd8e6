import { createHash, createHmac } from 'node:crypto';
import { deriveSubkey, type MasterKey } from '@eventfold/crypto';

/** Formats 16 bytes as a UUID of version 8 (RFC 9562: custom), the form every id of the command path takes. */
function uuidOf(bytes: Buffer): string {
  const b = Buffer.from(bytes.subarray(0, 16));
  b[6] = (b[6]! & 0x0f) | 0x80;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const hex = b.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The ids a caller supplies (its Idempotency-Key, the command id it asks about) become ids of the command path
 * only through a keyed hash of the caller and the id (HMAC-SHA256 under a key of the service's own): two callers
 * with the same key never meet (one cannot be answered from the other's result, nor read it), and what is stored
 * for good (the command id, the events' causation id) never holds what a client sent.
 */
export class ClientIds {
  constructor(private readonly key: Buffer) {}

  private hash(...parts: string[]): Buffer {
    return createHmac('sha256', this.key).update(parts.join('\u0000')).digest();
  }

  /** The command id of a request: from the caller and the id it knows the command by (its key, or the one issued). */
  commandId(actor: string, publicId: string): string {
    return uuidOf(this.hash('command', actor, publicId));
  }

  /** The user id a registration with an Idempotency-Key creates: a retry lands on the same stream. */
  userId(actor: string, idempotencyKey: string): string {
    return uuidOf(this.hash('register', actor, idempotencyKey));
  }
}

/** The command service's ClientIds: keyed with a key derived from the master key, the same in every instance. */
export const clientIdsFor = (master: MasterKey): ClientIds =>
  new ClientIds(deriveSubkey(master, 'command ids v1'));

/**
 * What a request asks for, as a fingerprint: the same Idempotency-Key with another route, stream, precondition or
 * body is another request, refused rather than answered with the first one's result (the IETF Idempotency-Key
 * draft's rule, and the payment APIs' before it).
 */
export function requestFingerprint(request: {
  route: string;
  streamId: string;
  expectedVersion: number | null;
  data: unknown;
}): string {
  const canonical = JSON.stringify([request.route, request.streamId, request.expectedVersion, request.data]);
  return createHash('sha256').update(canonical).digest('base64url');
}
