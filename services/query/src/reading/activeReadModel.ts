import {
  CheckpointStore,
  readModelCollections,
  sameLayout,
  type ReadModelControl,
  type ReadModelLayout,
  type ShardSet,
} from '@eventfold/mongo';
import type { Logger } from '@eventfold/observability';
import { UserReads } from './userReads';

interface Serving {
  readonly layout: ReadModelLayout;
  readonly shards: ShardSet;
  readonly reads: UserReads;
  readonly checkpoints: CheckpointStore;
}

/** How long a replaced shard connection stays open for the reads that started on it. */
const RETIRE_AFTER_MS = 30_000;

/**
 * The read model version that serves reads: the control document's active version, followed by polling. A
 * rebuild's switch moves every reader to the new version (and its shards, after a resharding) without a restart.
 */
export class ActiveReadModel {
  private timer: NodeJS.Timeout | null = null;
  private readonly retiring = new Map<NodeJS.Timeout, ShardSet>();

  private constructor(
    private serving: Serving,
    private readonly control: ReadModelControl,
    private readonly connect: (uris: readonly string[]) => Promise<ShardSet>,
    private readonly logger: Logger,
  ) {}

  static async start(
    control: ReadModelControl,
    connect: (uris: readonly string[]) => Promise<ShardSet>,
    logger: Logger,
    pollMs: number,
  ): Promise<ActiveReadModel> {
    const { active } = await control.read();
    const model = new ActiveReadModel(
      ActiveReadModel.serve(active, await connect(active.shards)),
      control,
      connect,
      logger,
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

  private static serve(layout: ReadModelLayout, shards: ShardSet): Serving {
    const names = readModelCollections(layout.version);
    return {
      layout,
      shards,
      reads: new UserReads(shards, () => names),
      checkpoints: new CheckpointStore(shards.primary, names.checkpoints),
    };
  }

  get reads(): UserReads {
    return this.serving.reads;
  }

  get checkpoints(): CheckpointStore {
    return this.serving.checkpoints;
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
    this.serving = ActiveReadModel.serve(active, shards);
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
