import {
  eventOfHistory,
  isEmailStreamId,
  userStreamId,
  userViewProjection,
  type UserDocument,
  type UserEventDocument,
  type UserReadStore,
  type UserView,
} from '@eventfold/users-domain';
import { decodeEventsCursor, decodeSearchCursor, encodeEventsCursor, encodeSearchCursor } from './cursor';
import { guarded } from './readModelFailure';

export interface UserJson {
  readonly id: string;
  readonly name: string;
  readonly email: string;
  readonly locale: string | null;
  readonly status: 'active' | 'deactivated';
  readonly version: number;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface Page<T> {
  readonly items: readonly T[];
  readonly nextCursor: string | null;
}

const userJsonOfView = (view: Exclude<UserView, { status: 'none' }>): UserJson => ({
  id: view.id,
  name: view.name,
  email: view.email,
  locale: view.locale,
  status: view.status,
  version: view.version,
  createdAt: new Date(view.createdAt).toISOString(),
  updatedAt: new Date(view.updatedAt).toISOString(),
});

const userJson = (doc: UserDocument): UserJson =>
  userJsonOfView({ ...doc, createdAt: doc.createdAt.getTime(), updatedAt: doc.updatedAt.getTime() });

/** One event of the audit trail (and of the follow feed), as the API answers it. */
export type EventJson = ReturnType<typeof eventJson>;

const eventJson = (doc: UserEventDocument) => ({
  eventId: doc.eventId,
  streamId: doc.streamId,
  version: doc.version,
  type: doc.type,
  occurredAt: doc.occurredAt.toISOString(),
  recordedAt: doc.recordedAt.toISOString(),
  data: doc.data,
  metadata: doc.metadata,
});

/** One event of the all-users feed: the audit trail's JSON and where the log holds it. */
export interface PositionedEventJson {
  readonly event: EventJson;
  readonly partition: number;
  readonly offset: bigint;
  readonly recordedAt: number;
}

/** A page of one partition for the all-users feed. */
export interface PartitionPage {
  readonly events: PositionedEventJson[];
  /** The offset of the last event read, reservation streams included (null: none); complete: none is left. */
  readonly readTo: bigint | null;
  readonly complete: boolean;
}

/** The reads of the users read model, through the read store port (docs/architecture.md#the-read-path). */
export class UserReads {
  constructor(private readonly store: () => UserReadStore) {}

  async byId(userId: string): Promise<UserJson | null> {
    const streamId = userStreamId(userId);
    const doc = await guarded('user by id', () => this.store().findDocument(streamId));
    return doc ? userJson(doc) : null;
  }

  /** The user as of a time or a version: the stored history folded with the projection's evolve. */
  async asOf(userId: string, bound: { asOf?: Date; atVersion?: number }): Promise<UserJson | null> {
    const streamId = userStreamId(userId);
    const docs = await guarded('history', () => this.store().history(streamId, bound));
    const view = docs.map(eventOfHistory).reduce(userViewProjection.evolve, userViewProjection.initial());
    return view.status === 'none' ? null : userJsonOfView(view);
  }

  /** Case-insensitive substring search on names, over all shards, merged in (name, id) order with a keyset cursor. */
  async search(name: string | undefined, limit: number, cursor: string | undefined): Promise<Page<UserJson>> {
    const after = decodeSearchCursor(cursor);
    const found = await guarded('search', () =>
      this.store().search({ nameContains: name, after: after ?? undefined, limit: limit + 1 }),
    );
    const items = found.slice(0, limit);
    const last = items.at(-1);
    return {
      items: items.map(userJson),
      nextCursor: found.length > limit && last ? encodeSearchCursor(last.nameKey, last._id) : null,
    };
  }

  /**
   * A user's events after `afterVersion`, oldest first, at most `limit`, and the partition of the user's stream
   * (null when there are none): what the follow feed sends next. Read from the stored history, which the projector
   * rewrites erased when the user is forgotten.
   */
  async eventsAfter(
    userId: string,
    afterVersion: number,
    limit: number,
  ): Promise<{ events: EventJson[]; partition: number | null }> {
    const streamId = userStreamId(userId);
    const docs = await guarded('follow feed', () => this.store().history(streamId, { afterVersion, limit }));
    return { events: docs.map(eventJson), partition: docs[0]?.partition ?? null };
  }

  /**
   * Per partition, the offset up to which the read model has stored every event (the projector's checkpoints, stored
   * after the writes they cover, docs/decisions/0005-projector-exactly-once-in-effect.md).
   */
  storedUpTo(): Promise<Map<number, bigint>> {
    return guarded('follow feed', () => this.store().readCheckpoints());
  }

  /**
   * A partition's events after `after` up to `upTo`, in log order, at most `limit` read, of these types if given:
   * what the all-users feed sends next. Reservation streams are internal (decision 0016): they are read past, never
   * sent. Read from the stored history, which the projector rewrites erased when a user is forgotten.
   */
  async partitionEvents(
    partition: number,
    range: { after: bigint | null; upTo: bigint; limit: number; types?: readonly string[] },
  ): Promise<PartitionPage> {
    const docs = await guarded('follow feed', () => this.store().partitionHistory(partition, range));
    const last = docs.at(-1);
    return {
      events: docs
        .filter((doc) => !isEmailStreamId(doc.streamId))
        .map((doc) => ({
          event: eventJson(doc),
          partition: doc.partition,
          offset: BigInt(doc.offset),
          recordedAt: doc.recordedAt.getTime(),
        })),
      readTo: last ? BigInt(last.offset) : null,
      complete: docs.length < range.limit,
    };
  }

  /** The audit trail: a user's events in version order, paginated; null when the user has no events. */
  async events(
    userId: string,
    limit: number,
    cursor: string | undefined,
  ): Promise<Page<ReturnType<typeof eventJson>> | null> {
    const streamId = userStreamId(userId);
    const after = decodeEventsCursor(cursor);
    const docs = await guarded('audit trail', () =>
      this.store().history(streamId, {
        ...(after === null ? {} : { afterVersion: after }),
        limit: limit + 1,
      }),
    );
    if (docs.length === 0 && after === null) return null;
    const items = docs.slice(0, limit);
    return {
      items: items.map(eventJson),
      nextCursor: docs.length > limit ? encodeEventsCursor(items.at(-1)!.version) : null,
    };
  }
}
