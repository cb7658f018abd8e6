import { createHash } from 'node:crypto';

/** The namespace of every imported source (a fixed UUIDv4): a source's own namespace is a UUIDv5 in it. */
export const IMPORT_NAMESPACE = 'b2f1c4e6-5f0a-4c57-9a43-2f6f3d0e8a11';

/** RFC 9562 §5.5: SHA-1 of the namespace's 16 bytes and the name, version 5, variant 10. */
export function uuidV5(name: string, namespace: string): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  if (ns.length !== 16) throw new Error(`${namespace} is not a UUID`);
  const b = createHash('sha1').update(ns).update(name, 'utf8').digest().subarray(0, 16);
  b[6] = (b[6]! & 0x0f) | 0x50;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const hex = b.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The user id of a legacy row: a UUIDv5 of its primary key in the namespace of its table
 * (docs/decisions/0020-importing-a-crud-table.md). The same row always lands on the same stream, so an import run
 * twice, or a run resumed after a crash, finds the user already there; change capture finds the stream of a row
 * from its key alone.
 */
export function legacyUserId(table: string, legacyId: string): string {
  return uuidV5(legacyId, uuidV5(`table:${table}`, IMPORT_NAMESPACE));
}
