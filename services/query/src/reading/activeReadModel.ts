import {
  MongoReadStore,
  readModelCollections,
  sameLayout,
  type ReadModelControl,
  type ReadModelLayout,
  type ShardSet,
} from '@eventfold/mongo';
import type { Logger } from '@eventfold/observability';
import type { UserReadStore } from '@eventfold/users-domain';
import { UserReads } from './userReads';

/** The read model that serves reads, whatever store holds it. */
export interface ServingReadModel {
  readonly reads: UserReads;
  readonly checkpoints: Pick<UserReadStore, 'readCheckpoints'>;
  readonly version: number;
  health(): Promise<Record<string, boolean>>;
  stop(): Promise<void>;
}

/** One store serving one version, for good (the embedded mode has no rebuilds). */
export function fixedReadModel(store: UserReadStore, version: number): ServingReadModel {
  const reads = new UserReads(() => store);
  return { reads, checkpoints: store, version, health: () => store.health(), stop: () => store.close() };
}

interface Serving {
  readonly layout: ReadModelLayout;
  readonly shards: ShardSet;
  readonly reads: UserReads;
  readonly checkpoints: MongoReadStore;
}

/** How long a replaced shard connection stays open for the reads that started on it. */
const RETIRE_AFTER_MS = 30_000;

/**
 * The read model version that serves reads: the control document's active version, followed by polling. A
 * rebuild's switch moves every reader to the new version (and its shards, after a resharding) without a restart.
 */
export class ActiveReadModel implements ServingReadModel {
  private timer: NodeJS.Timeout | null = null;
  private readonly retiring = new Map<NodeJS.Timeout, ShardSet>();

  private constructor(
    private serving: Serving,
    private readonly control: ReadModelControl,
    private readonly connect: (uris: readonly string[]) => Promise<ShardSet>,
    private readonly logger: Logger,
    private readonly readTimeoutMs: number,
  ) {}

  /** `readTimeoutMs` bounds each read on the server too (maxTimeMS), as the connection bounds it on the client. */
  static async start(
    control: ReadModelControl,
    connect: (uris: readonly string[]) => Promise<ShardSet>,
    logger: Logger,
    pollMs: number,
    readTimeoutMs: number,
  ): Promise<ActiveReadModel> {
    const { active } = await control.read();
    const model = new ActiveReadModel(
      ActiveReadModel.serve(active, await connect(active.shards), readTimeoutMs),
      control,
      connect,
      logger,
      readTimeoutMs,
    );
    model.timer = setInterval(() => {
      void model
        .refresh()
        .catch((error: unknown) =>
          logger.warn(
            { err: error },
            'could not read the read model control document; serving the last known version',
          ),
        );
    }, pollMs);
    model.timer.unref();
    return model;
  }

  private static serve(layout: ReadModelLayout, shards: ShardSet, readTimeoutMs: number): Serving {
    const names = readModelCollections(layout.version);
    const store = new MongoReadStore(shards, () => names, { maxTimeMS: readTimeoutMs });
    return { layout, shards, reads: new UserReads(() => store), checkpoints: store };
  }

  get reads(): UserReads {
    return this.serving.reads;
  }

  get checkpoints(): MongoReadStore {
    return this.serving.checkpoints;
  }

  async health(): Promise<Record<string, boolean>> {
    const pings = await this.serving.shards.ping();
    return Object.fromEntries(pings.map((ok, i) => [`shard${i}`, ok]));
  }

  get shards(): ShardSet {
    return this.serving.shards;
  }

  get version(): number {
    return this.serving.layout.version;
  }

  /** Switches to the control document's active version when it changed. */
  async refresh(): Promise<void> {
    const { active } = await this.control.read();
    const previous = this.serving;
    if (sameLayout(active, previous.layout)) return;
    const sameShards = active.shards.join(',') === previous.layout.shards.join(',');
    const shards = sameShards ? previous.shards : await this.connect(active.shards);
    this.serving = ActiveReadModel.serve(active, shards, this.readTimeoutMs);
    this.logger.info(
      { from: previous.layout.version, to: active.version, shards: active.shards.length },
      'reads switched to another read model version',
    );
    if (!sameShards) {
      const timer = setTimeout(() => {
        this.retiring.delete(timer);
        void previous.shards.close();
      }, RETIRE_AFTER_MS);
      this.retiring.set(timer, previous.shards);
    }
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    const open = [this.serving.shards, ...this.retiring.values()];
    for (const timer of this.retiring.keys()) clearTimeout(timer);
    this.retiring.clear();
    await Promise.allSettled(open.map((shards) => shards.close()));
  }
}
