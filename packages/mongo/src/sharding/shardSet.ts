import { MongoClient, type Db, type Document } from 'mongodb';
import { shardIndex } from './shardIndex';

/** The MongoDB shards of the read side (MONGO_SHARDS), one client each, addressed by stream id. */
export class ShardSet {
  private constructor(
    private readonly clients: readonly MongoClient[],
    readonly dbs: readonly Db[],
  ) {}

  /** `socketTimeoutMS` bounds every round trip: a shard that hangs fails fast instead of holding requests. */
  static async connect(
    uris: readonly string[],
    database: string,
    options: {
      serverSelectionTimeoutMS?: number;
      socketTimeoutMS?: number;
      /** Sees every command sent (command monitoring): for tests that check what reaches the server. */
      onCommand?: (name: string, command: Document) => void;
    } = {},
  ): Promise<ShardSet> {
    if (uris.length === 0) throw new Error('MONGO_SHARDS is empty: give at least one mongodb:// URI');
    const clients = uris.map(
      (uri) =>
        new MongoClient(uri, {
          serverSelectionTimeoutMS: options.serverSelectionTimeoutMS ?? 5000,
          // A frozen shard accepts TCP connections and never answers the handshake: bound that too, or a read
          // waits for the driver's 30 s connect timeout (twice, with the read retry) instead of failing fast.
          ...(options.socketTimeoutMS
            ? { socketTimeoutMS: options.socketTimeoutMS, connectTimeoutMS: options.socketTimeoutMS }
            : {}),
          maxPoolSize: 20,
          retryWrites: false,
          ...(options.onCommand ? { monitorCommands: true } : {}),
        }),
    );
    if (options.onCommand) {
      const onCommand = options.onCommand;
      for (const client of clients)
        client.on('commandStarted', (event) => onCommand(event.commandName, event.command));
    }
    await Promise.all(clients.map((c) => c.connect()));
    return new ShardSet(
      clients,
      clients.map((c) => c.db(database)),
    );
  }

  get size(): number {
    return this.dbs.length;
  }

  indexOf(streamId: string): number {
    return shardIndex(streamId, this.dbs.length);
  }

  forStream(streamId: string): Db {
    return this.dbs[this.indexOf(streamId)]!;
  }

  /** Shard 0 also holds what is global to the read model: checkpoints and the active version. */
  get primary(): Db {
    return this.dbs[0]!;
  }

  async ping(): Promise<boolean[]> {
    return Promise.all(
      this.dbs.map((db) =>
        db.command({ ping: 1 }).then(
          () => true,
          () => false,
        ),
      ),
    );
  }

  async close(): Promise<void> {
    await Promise.allSettled(this.clients.map((c) => c.close()));
  }
}
