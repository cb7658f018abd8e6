import { MongoClient } from 'mongodb';
import { testEndpoints } from '@eventfold/testing';

/** Counts the documents of one collection across every shard, to follow a projection's progress from outside. */
export class ShardedCount {
  private constructor(
    private readonly clients: readonly MongoClient[],
    private readonly database: string,
    private readonly collection: string,
  ) {}

  static async open(database: string, collection: string): Promise<ShardedCount> {
    const clients = testEndpoints().mongoShards.map((uri) => new MongoClient(uri));
    await Promise.all(clients.map((c) => c.connect()));
    return new ShardedCount(clients, database, collection);
  }

  async count(): Promise<number> {
    const counts = await Promise.all(
      this.clients.map((c) => c.db(this.database).collection(this.collection).estimatedDocumentCount()),
    );
    return counts.reduce((a, b) => a + b, 0);
  }

  async close(): Promise<void> {
    await Promise.allSettled(this.clients.map((c) => c.close()));
  }
}
