import { expiredClaims, isEmailStreamId } from '@eventfold/users-domain';
import type { Logger } from '@eventfold/observability';
import type { PartitionStreams } from '../processing/userCommandHandler';
import type { SendCommand } from './claimEmail';
import { settleEmailClaim } from './settleEmailClaim';

export interface ReservationSweeperOptions {
  readonly send: SendCommand;
  /** A reservation still unconfirmed this long after it was made is settled (`EMAIL_RESERVATION_TIMEOUT_MS`). */
  readonly timeoutMs: number;
  readonly clock: () => number;
  readonly logger: Logger;
  /** The partitions this instance owns now: a map restored before a rebalance may be stale. */
  readonly ownedPartitions: () => readonly number[];
}

/**
 * Finds the reservations of the owned partitions that stayed unconfirmed past the timeout and asks the user's
 * stream to settle each claim (decision 0016). Safety does not depend on it: a settlement is decided by the user's
 * owner, in order with the claim's user command, and expires only that claim's reservation; the sweeper only makes
 * sure a crashed claim does not hold its address for good.
 */
export class ReservationSweeper {
  private readonly partitions = new Map<number, PartitionStreams>();
  /** Claims settled lately, so that a sweep does not send the same settlement every time it runs. */
  private readonly asked = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly o: ReservationSweeperOptions) {}

  /** The streams of a partition just restored: its reservation streams are watched from now on. */
  watch(partition: number, streams: PartitionStreams): void {
    this.partitions.set(partition, streams);
  }

  /** Sweeps every half timeout until stopped. */
  start(): void {
    const every = Math.max(100, Math.floor(this.o.timeoutMs / 2));
    this.timer = setInterval(() => {
      this.sweep().catch((error: unknown) =>
        this.o.logger.warn({ err: error }, 'reservation sweep failed; the next one retries'),
      );
    }, every);
    this.timer.unref();
  }

  /** Sends a settlement for every expired claim; answers how many. */
  async sweep(): Promise<number> {
    const now = this.o.clock();
    const settlements = [];
    for (const partition of this.o.ownedPartitions()) {
      for (const [streamId, record] of this.partitions.get(partition) ?? []) {
        if (!isEmailStreamId(streamId) || record.state.status !== 'held') continue;
        const { userId } = record.state;
        for (const claimId of expiredClaims(record.state, now, this.o.timeoutMs)) {
          if ((this.asked.get(claimId) ?? -Infinity) > now - this.o.timeoutMs) continue;
          this.asked.set(claimId, now);
          settlements.push(
            this.o.send(
              settleEmailClaim({ claimId, emailStreamId: streamId, userId }, now, 'eventfold:email-claims'),
              0,
              {},
            ),
          );
        }
      }
    }
    for (const [claimId, at] of this.asked) if (at <= now - 10 * this.o.timeoutMs) this.asked.delete(claimId);
    await Promise.all(settlements);
    return settlements.length;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
