import { walNotTruncated } from '../log/errors';
import type { SqliteDatabase } from './openDatabase';

interface CheckpointOutcome {
  /** 1 when another connection kept the checkpoint from completing. */
  readonly busy: number;
}

/**
 * Copies the WAL into the database file and truncates the WAL to zero bytes (`PRAGMA wal_checkpoint(TRUNCATE)`).
 * For a store that has just overwritten personal data: `secure_delete` zeroes it in the page, but the WAL still
 * holds every earlier image of that page it ever appended, and an ordinary checkpoint leaves them there (the next
 * writer overwrites the WAL from its start, only as far as it writes). Waits for readers of other connections
 * (busy_timeout); throws a retriable InfrastructureError when one still holds the WAL. The cost is one
 * checkpoint: at most the WAL's pages written once more, and only when someone was forgotten.
 */
export function truncateWal(db: SqliteDatabase): void {
  const [outcome] = db.pragma('wal_checkpoint(TRUNCATE)') as CheckpointOutcome[];
  if (outcome && outcome.busy !== 0) throw walNotTruncated(db.name);
}
