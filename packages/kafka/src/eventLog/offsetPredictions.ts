/**
 * Where the next record of each partition a partition owner writes will land, learned from its own appends. The
 * owner of input partition p is the only writer of its output partitions (its events, snapshots and results), so
 * after an append of n records from base offset b the next one lands at b + n, and after the transaction commits
 * one more: the commit marker Kafka writes into every partition the transaction touched. Kafka starts no new
 * transaction of the same producer before those markers are written (it answers CONCURRENT_TRANSACTIONS), so no
 * write of ours can get ahead of them. A failed transaction forgets everything: the owner restores, and learns again.
 */
export class OffsetPredictions {
  private readonly next = new Map<string, bigint>();
  private readonly touched = new Set<string>();

  predict(topic: string, partition: number): bigint | undefined {
    return this.next.get(`${topic}:${partition}`);
  }

  appended(topic: string, partition: number, base: bigint, count: number): void {
    const key = `${topic}:${partition}`;
    this.next.set(key, base + BigInt(count));
    this.touched.add(key);
  }

  /** The transaction committed: a marker in every partition it appended to. */
  committed(): void {
    for (const key of this.touched) this.next.set(key, this.next.get(key)! + 1n);
    this.touched.clear();
  }
}
