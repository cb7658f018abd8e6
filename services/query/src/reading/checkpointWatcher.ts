import { sleep } from '@eventfold/core';
import type { UserReadStore } from '@eventfold/users-domain';
import { guarded } from './readModelFailure';

/**
 * Answers "has the projector passed offset o of partition p?" for consistency tokens. One poll of the checkpoints
 * serves every waiting request; nothing is polled while nobody waits.
 */
export class CheckpointWatcher {
  private known = new Map<number, bigint>();
  private polling: Promise<void> | null = null;

  constructor(
    private readonly store: () => Pick<UserReadStore, 'readCheckpoints'>,
    private readonly intervalMs = 10,
  ) {}

  /**
   * True once the checkpoint of `partition` is at or past `offset`; false if `timeoutMs` passes first, or as soon
   * as `stop` is aborted (the answer no longer matters).
   */
  async reached(partition: number, offset: bigint, timeoutMs: number, stop?: AbortSignal): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if ((this.known.get(partition) ?? -1n) >= offset) return true;
      if (Date.now() >= deadline || stop?.aborted) return false;
      await this.refresh();
      if ((this.known.get(partition) ?? -1n) >= offset) return true;
      await sleep(Math.min(this.intervalMs, Math.max(0, deadline - Date.now())));
    }
  }

  /** A store that cannot answer fails the waiting reads with READ_MODEL_UNAVAILABLE (503), as other reads do. */
  private refresh(): Promise<void> {
    this.polling ??= guarded('checkpoints', () => this.store().readCheckpoints())
      .then((all) => {
        this.known = all;
      })
      .finally(() => {
        this.polling = null;
      });
    return this.polling;
  }
}
