import { MongoServerError, type Collection, type Db } from 'mongodb';
import type { TemplateName } from '../templates/templates';
import { LedgerConflictError, type Ledger } from './ledger';
import { LedgerStatus, type Confirmation, type LedgerEntry, type LedgerError } from './ledgerEntry';

/** A ledger entry as stored: times as BSON dates, for people who query the collection. */
interface LedgerDocument {
  _id: string;
  eventId: string;
  template: TemplateName;
  streamId: string;
  eventVersion: number;
  messageId: string;
  status: LedgerStatus;
  attempts: number;
  inFlight: { attempt: number; committedAt: Date; submissionId: string } | null;
  nextAttemptAt: Date | null;
  lastError: LedgerError | null;
  confirmedBy: Confirmation | null;
  createdAt: Date;
  updatedAt: Date;
  sentAt: Date | null;
  deadLetteredAt: Date | null;
  revision: number;
}

const date = (ms: number | null) => (ms === null ? null : new Date(ms));
const millis = (d: Date | null | undefined) => (d ? d.getTime() : null);

function toDocument({ key, ...e }: LedgerEntry): LedgerDocument {
  return {
    _id: key,
    ...e,
    inFlight: e.inFlight && { ...e.inFlight, committedAt: new Date(e.inFlight.committedAt) },
    nextAttemptAt: date(e.nextAttemptAt),
    createdAt: new Date(e.createdAt),
    updatedAt: new Date(e.updatedAt),
    sentAt: date(e.sentAt),
    deadLetteredAt: date(e.deadLetteredAt),
  };
}

function fromDocument({ _id, ...d }: LedgerDocument): LedgerEntry {
  return {
    key: _id,
    ...d,
    inFlight: d.inFlight ? { ...d.inFlight, committedAt: d.inFlight.committedAt.getTime() } : null,
    nextAttemptAt: millis(d.nextAttemptAt),
    createdAt: d.createdAt.getTime(),
    updatedAt: d.updatedAt.getTime(),
    sentAt: millis(d.sentAt),
    deadLetteredAt: millis(d.deadLetteredAt),
  };
}

const DUPLICATE_KEY = 11000;

/**
 * The ledger in MongoDB, one document per (event, template), keyed `${eventId}:${template}`.
 *
 * One writer per key is the rule (the owner of the event's partition). Writes still check the revision they were
 * based on, against a zombie that lost its partition: the first write is a unique insert (atomic everywhere); a
 * later one reads the stored revision by `_id`, compares, and replaces by `_id`. Not a filter `{ _id, revision }`:
 * FerretDB answers only single-`_id` filters from an index, and scans the whole collection for anything more (a
 * few hundred ms per write at 2,000 entries), while it would not make that conditional replace atomic either. So
 * the check narrows the race with a zombie to a few milliseconds; it does not close it.
 */
export class MongoLedger implements Ledger {
  private constructor(private readonly collection: Collection<LedgerDocument>) {}

  static async open(db: Db, name = 'ledger'): Promise<MongoLedger> {
    return new MongoLedger(db.collection<LedgerDocument>(name));
  }

  async find(key: string): Promise<LedgerEntry | null> {
    const document = await this.collection.findOne({ _id: key });
    return document && fromDocument(document);
  }

  /**
   * Forgets a notification that was given up on (status dead), so that the next delivery attempt starts afresh:
   * what `eventfold dlq redrive` does before replaying, while the notifier is stopped. Sent or pending entries are
   * left alone. Answers whether it reopened one.
   */
  async reopen(key: string): Promise<boolean> {
    const stored = await this.collection.findOne({ _id: key }, { projection: { status: 1 } });
    if (stored?.status !== LedgerStatus.Dead) return false;
    return (await this.collection.deleteOne({ _id: key })).deletedCount === 1;
  }

  async save(previous: LedgerEntry | null, next: LedgerEntry): Promise<LedgerEntry> {
    const document = toDocument(next);
    if (previous === null) {
      try {
        await this.collection.insertOne(document);
      } catch (error) {
        if (error instanceof MongoServerError && error.code === DUPLICATE_KEY)
          throw new LedgerConflictError(next.key);
        throw error;
      }
      return next;
    }
    const stored = await this.collection.findOne({ _id: next.key }, { projection: { revision: 1 } });
    if (stored?.revision !== previous.revision) throw new LedgerConflictError(next.key);
    const result = await this.collection.replaceOne({ _id: next.key }, document);
    if (result.matchedCount === 0) throw new LedgerConflictError(next.key);
    return next;
  }
}
