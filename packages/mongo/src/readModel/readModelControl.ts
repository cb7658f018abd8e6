import type { Collection, Db } from 'mongodb';

/** One version of the users read model: its collections' suffix, the consumer group that feeds it, its shards. */
export interface ReadModelLayout {
  readonly version: number;
  readonly groupId: string;
  readonly shards: readonly string[];
}

/**
 * Where a blue/green rebuild stands (docs/decisions/0007-blue-green-rebuild.md):
 * - `building`: projectors feed `target` under its own group while `active` keeps serving and being fed;
 * - `handover`: projectors stop feeding `active`, which freezes, until `target` has passed every checkpoint of it;
 * then `target` becomes `active` in one write. Reads never go back in time: they move from a frozen version to
 * one that is at least as far along.
 */
export type RebuildPhase = 'building' | 'handover';

export interface ReadModelControlState {
  readonly active: ReadModelLayout;
  readonly target: ReadModelLayout | null;
  readonly phase: RebuildPhase | null;
  /** Versions that served before and are kept until dropped (`eventfold rebuild --drop-old`). */
  readonly retired: readonly ReadModelLayout[];
  readonly updatedAt: Date;
}

interface ControlDocument extends ReadModelControlState {
  readonly _id: string;
}

export class ReadModelControlConflict extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReadModelControlConflict';
  }
}

/** The group and collections of version n, derived from the first version's group (`projector.users` → `.v2`). */
export function nextLayout(current: ReadModelLayout, shards: readonly string[]): ReadModelLayout {
  const version = current.version + 1;
  return { version, groupId: `${current.groupId.replace(/\.v\d+$/, '')}.v${version}`, shards };
}

export const sameLayout = (a: ReadModelLayout | null, b: ReadModelLayout | null): boolean =>
  a === b ||
  (a !== null &&
    b !== null &&
    a.version === b.version &&
    a.groupId === b.groupId &&
    a.shards.join(',') === b.shards.join(','));

/**
 * The control document of the users read model, on the primary shard of the configured MONGO_SHARDS: which
 * version serves reads and which is being built. Without a document, the configured layout is the active one, so
 * a deployment that never rebuilt needs nothing. Every change is a compare-and-set on the previous `updatedAt`.
 */
export class ReadModelControl {
  static readonly collectionName = 'read_model_control';
  private readonly collection: Collection<ControlDocument>;

  constructor(
    db: Db,
    private readonly configured: ReadModelLayout,
    private readonly id = 'users',
  ) {
    this.collection = db.collection<ControlDocument>(ReadModelControl.collectionName);
  }

  async read(): Promise<ReadModelControlState> {
    const document = await this.collection.findOne({ _id: this.id });
    if (!document) {
      return { active: this.configured, target: null, phase: null, retired: [], updatedAt: new Date(0) };
    }
    const { _id, ...state } = document;
    void _id;
    return state;
  }

  /** Replaces `expected` with `next`; throws ReadModelControlConflict when someone else changed it first. */
  async replace(expected: ReadModelControlState, next: Omit<ReadModelControlState, 'updatedAt'>) {
    const updatedAt = new Date(Math.max(Date.now(), expected.updatedAt.getTime() + 1));
    const document: ControlDocument = { _id: this.id, ...next, updatedAt };
    if (expected.updatedAt.getTime() === 0) {
      try {
        await this.collection.insertOne(document);
      } catch (error) {
        if ((error as { code?: number }).code === 11000)
          throw new ReadModelControlConflict('the read model control document was created concurrently');
        throw error;
      }
    } else {
      // FerretDB answers only `_id` alone from an index: match on it, then check the version we read.
      const result = await this.collection.replaceOne(
        { _id: this.id, updatedAt: expected.updatedAt },
        document,
      );
      if (result.matchedCount !== 1)
        throw new ReadModelControlConflict('the read model control document changed concurrently');
    }
    return { ...next, updatedAt };
  }
}
