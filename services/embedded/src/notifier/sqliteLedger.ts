import type { DocumentTable } from '@eventfold/embedded';
import { LedgerConflictError, type Ledger, type LedgerEntry } from '@eventfold/notifier-service';

/**
 * The ledger in a SQLite table, for the single-process mode: the same compare-and-set as in MongoDB, atomic here
 * (one statement checks the revision and writes).
 */
export class SqliteLedger implements Ledger {
  constructor(private readonly table: DocumentTable<LedgerEntry>) {}

  async find(key: string): Promise<LedgerEntry | null> {
    return this.table.find(key)?.doc ?? null;
  }

  async save(previous: LedgerEntry | null, next: LedgerEntry): Promise<LedgerEntry> {
    if (!this.table.save(next.key, next, previous?.revision ?? null, next.revision))
      throw new LedgerConflictError(next.key);
    return next;
  }
}
