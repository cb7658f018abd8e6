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
