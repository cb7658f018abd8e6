import fs from 'node:fs';
import path from 'node:path';

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

/** A file's bytes, or null when it went away after it was listed (a running system renames and deletes files). */
function readIfPresent(file: string): Buffer | null {
  try {
    return fs.readFileSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/**
 * Greps raw files (Kafka log segments, SQLite databases and their WAL, service logs) for personal values,
 * case-insensitively (UTF-8 bytes compared as latin1, so every value is found whatever its encoding's byte
 * boundaries). Answers the hits and how many files and bytes were read.
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
    const raw = readIfPresent(file);
    if (raw === null) continue;
    const text = raw.toString('latin1').toLowerCase();
    files++;
    bytes += text.length;
    needles.forEach((needle, i) => {
      if (text.includes(needle)) hits.push({ where: file, value: values[i]! });
    });
  }
  return { hits, files, bytes };
}
