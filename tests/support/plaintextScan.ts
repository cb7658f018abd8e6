import fs from 'node:fs';
import path from 'node:path';
import { MongoClient } from 'mongodb';

/** Where a personal value was found: a file (and its size) or a database collection. */
export interface PlaintextHit {
  readonly where: string;
  readonly value: string;
}

/** Every file under `dir`, recursively. */
function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return filesUnder(file);
    // Kafka's offset and time indexes hold offsets only, and are preallocated (10 MB each): not worth reading.
    return entry.isFile() && !/\.(index|timeindex)$/.test(entry.name) ? [file] : [];
  });
}

/**
 * Greps raw files (Kafka log segments, service logs) for personal values, case-insensitively (UTF-8 bytes
 * compared as latin1, so every value is found whatever its encoding's byte boundaries). Answers the hits and how
 * many files and bytes were read.
 */
export function scanFiles(
  roots: readonly string[],
  values: readonly string[],
): { hits: PlaintextHit[]; files: number; bytes: number } {
  const needles = values.map((v) => Buffer.from(v, 'utf8').toString('latin1').toLowerCase());
  const hits: PlaintextHit[] = [];
  let files = 0;
  let bytes = 0;
  for (const file of roots.flatMap((root) => (fs.statSync(root).isDirectory() ? filesUnder(root) : [root]))) {
    const text = fs.readFileSync(file).toString('latin1').toLowerCase();
    files++;
    bytes += text.length;
    needles.forEach((needle, i) => {
      if (text.includes(needle)) hits.push({ where: file, value: values[i]! });
    });
  }
  return { hits, files, bytes };
}

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
