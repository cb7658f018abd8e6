/** What a capture reader received: counted changes of the legacy table and each one's lag. */
export class CapturedChanges {
  received = 0;
  /** Per change, ms from its commit (or its outbox row's write) to the reader having it. */
  readonly lagsMs: number[] = [];

  add(count: number, committedAtMs: number, receivedAtMs = Date.now()): void {
    this.received += count;
    for (let i = 0; i < count; i += 1) this.lagsMs.push(receivedAtMs - committedAtMs);
  }
}

/** A running reader of the legacy table's changes. */
export interface CaptureReader {
  readonly changes: CapturedChanges;
  /** Stops reading and closes the reader's connection; a second call does nothing. */
  stop(): Promise<void>;
}
