/**
 * The shard of a stream: FNV-1a (32-bit) of its id, modulo the shard count. Stable across processes and
 * versions, and the same function in the projector and the query service. Changing the shard count moves
 * streams: resharding is a rebuild into the new layout (docs/decisions/0014-sharded-read-model.md).
 */
export function shardIndex(streamId: string, shards: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < streamId.length; i++) {
    hash ^= streamId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % shards;
}
