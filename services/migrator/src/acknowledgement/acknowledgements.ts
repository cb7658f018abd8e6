/**
 * Which position of the legacy log may be acknowledged (the flush LSN PostgreSQL keeps for the slot): the end of
 * the last transaction such that it and every transaction before it has all its commands durable in eventfold. A
 * transaction received but not settled holds the position back, however many after it are settled, so a kill -9
 * at any moment makes PostgreSQL send again everything not yet in eventfold (Eventuous: commits advance only across
 * contiguous positions).
 */
export class Acknowledgements {
  private readonly open: { readonly endLsn: string; readonly commitTime: number; settled: boolean }[] = [];
  private acknowledgeable: string | null = null;

  /** A transaction has been received whole (its commit seen); `commitTime` in epoch ms. */
  received(endLsn: string, commitTime: number): void {
    this.open.push({ endLsn, commitTime, settled: false });
  }

  /** Every command of the transaction ending at `endLsn` has its answer from eventfold (applied or dead-lettered). */
  settled(endLsn: string): void {
    const entry = this.open.find((t) => t.endLsn === endLsn);
    if (!entry) throw new Error(`No transaction ending at ${endLsn} was received`);
    entry.settled = true;
    while (this.open[0]?.settled) this.acknowledgeable = this.open.shift()!.endLsn;
  }

  /**
   * The server's keepalive position at a moment when nothing received was unsettled: everything before it is
   * settled (or was never sent: transactions that touch no followed table), so it may be acknowledged.
   */
  idleAt(lsn: string): void {
    if (this.open.length > 0) throw new Error(`Not idle: ${this.open.length} transaction(s) unsettled`);
    if (this.acknowledgeable === null || lsnToBigInt(lsn) > lsnToBigInt(this.acknowledgeable))
      this.acknowledgeable = lsn;
  }

  /** The position to acknowledge, or null while nothing is settled since the start. */
  position(): string | null {
    return this.acknowledgeable;
  }

  /** Commit time (epoch ms) of the oldest received transaction not yet acknowledgeable; null when none waits. */
  oldestWaiting(): number | null {
    return this.open[0]?.commitTime ?? null;
  }
}

/** An LSN (`16/B374D848`) as a number of bytes, for differences (lag). */
export function lsnToBigInt(lsn: string): bigint {
  const [high, low] = lsn.split('/');
  return (BigInt(`0x${high}`) << 32n) + BigInt(`0x${low}`);
}
