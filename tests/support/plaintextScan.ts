import type { PlaintextHit } from '@eventfold/testing';
import { MongoClient } from 'mongodb';

/** Greps every document of every collection of `databases` (as extended JSON) for personal values. */
export async function scanDatabases(
  uri: string,
  databases: readonly string[],
  values: readonly string[],
): Promise<{ hits: PlaintextHit[]; documents: number }> {
  const client = await new MongoClient(uri).connect();
  const hits: PlaintextHit[] = [];
  let documents = 0;
  try {
    for (const name of databases) {
      const db = client.db(name);
      for (const { name: collection } of await db.listCollections().toArray()) {
        const docs = await db.collection(collection).find().batchSize(100_000).toArray();
        documents += docs.length;
        const text = JSON.stringify(docs).toLowerCase();
        for (const value of values)
          if (text.includes(value.toLowerCase())) hits.push({ where: `${name}.${collection}`, value });
      }
    }
  } finally {
    await client.close();
  }
  return { hits, documents };
}

/** The wrapped data keys the key store holds for these streams, as stored (to look for them in files later). */
export async function storedWrappedKeys(
  uri: string,
  database: string,
  streamIds: readonly string[],
): Promise<Buffer[]> {
  const client = await new MongoClient(uri).connect();
  try {
    const docs = await client
      .db(database)
      .collection<{ _id: string; wrappedKey?: { buffer: Uint8Array } }>('data_keys')
      .find({ _id: { $in: [...streamIds] } })
      .toArray();
    return docs.flatMap((d) => (d.wrappedKey ? [Buffer.from(d.wrappedKey.buffer)] : []));
  } finally {
    await client.close();
  }
}
