import { InfrastructureError } from '@eventfold/core';
import type { LedgerEntry } from './ledgerEntry';

/** The port the delivery logic uses: read an entry, write the next state of one. */
export interface Ledger {
  find(key: string): Promise<LedgerEntry | null>;
  /**
   * Writes `next` if the stored entry is still `previous` (same revision; absent when `previous` is null), and
   * answers what was written. Throws {@link LedgerConflictError} when someone else wrote in between.
   */
  save(previous: LedgerEntry | null, next: LedgerEntry): Promise<LedgerEntry>;
}

/** Another writer changed the entry since it was read: read it again and decide again. */
export class LedgerConflictError extends InfrastructureError {
  constructor(key: string) {
    super('LEDGER_CONFLICT', `Ledger entry ${key} was changed by another writer`, { details: { key } });
  }
}
