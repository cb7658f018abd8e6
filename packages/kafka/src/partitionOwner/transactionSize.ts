/**
 * How many input messages a partition's next transaction may hold, an adaptive bound
 * (docs/decisions/0011-group-commit-on-the-write-path.md). A failed transaction is tried again with a quarter of its
 * messages, down to one: on a starved machine the same chunk fails the same way again (its work, its produce request
 * or its commit past a deadline), for ever, while a smaller one fits. Each commit lets the next transaction take
 * twice as many again, up to the configured bound.
 */
export const TransactionSize = Object.freeze({
  /** The bound after a transaction of `tried` messages failed, whatever the failure. */
  afterFailure(tried: number): number {
    return Math.max(1, Math.floor(tried / 4));
  },
  /** The bound after a transaction committed under `limit`; never above `max`. */
  afterCommit(limit: number, max: number): number {
    return Math.min(max, limit * 2);
  },
});
