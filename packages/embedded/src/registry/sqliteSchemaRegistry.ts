import {
  compatibilityProblems,
  DEFAULT_COMPATIBILITY,
  parseAvro,
  type CompatibilityLevel,
  type SchemaRegistryPort,
} from '@eventfold/avro';
import { InfrastructureError } from '@eventfold/core';
import type { SqliteDatabase } from '../database/openDatabase';

/**
 * The schema registry port on SQLite: global ids for (subject, schema), as a Confluent registry gives them, so
 * that records keep the Confluent framing and the same codecs read them. Each subject has a compatibility rule
 * (BACKWARD_TRANSITIVE unless set), checked with the same local rules as `eventfold schemas check`. The ids live in
 * the same file as the log, so the two can never disagree.
 */
export function sqliteSchemaRegistry(db: SqliteDatabase): SchemaRegistryPort {
  db.exec(`
    CREATE TABLE IF NOT EXISTS schemas (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      subject TEXT NOT NULL,
      schema TEXT NOT NULL,
      UNIQUE (subject, schema)
    );
    CREATE TABLE IF NOT EXISTS subject_compatibility (
      subject TEXT PRIMARY KEY,
      level TEXT NOT NULL
    );
  `);
  const find = db.prepare('SELECT id FROM schemas WHERE subject = ? AND schema = ?');
  const insert = db.prepare('INSERT INTO schemas (subject, schema) VALUES (?, ?)');
  const byId = db.prepare('SELECT schema FROM schemas WHERE id = ?');
  const versions = db.prepare('SELECT schema FROM schemas WHERE subject = ? ORDER BY id');
  const levelOf = db.prepare('SELECT level FROM subject_compatibility WHERE subject = ?');
  const setLevel = db.prepare(
    'INSERT INTO subject_compatibility (subject, level) VALUES (?, ?) ON CONFLICT (subject) DO UPDATE SET level = excluded.level',
  );
  const canonical = (schema: string) => JSON.stringify(JSON.parse(schema));

  const problems = (subject: string, schema: string): string[] => {
    const level =
      ((levelOf.get(subject) as { level: string } | undefined)?.level as CompatibilityLevel | undefined) ??
      DEFAULT_COMPATIBILITY;
    const earlier = (versions.all(subject) as { schema: string }[]).map((v) =>
      parseAvro(JSON.parse(v.schema)),
    );
    return compatibilityProblems(parseAvro(JSON.parse(schema)), earlier, level).map(
      (p) => `${p.message} (${level})`,
    );
  };

  return {
    async register(subject, schema) {
      const text = canonical(schema);
      const existing = find.get(subject, text) as { id: number } | undefined;
      if (existing) return existing.id;
      const incompatible = problems(subject, text);
      if (incompatible.length > 0)
        throw new InfrastructureError(
          'SCHEMA_INCOMPATIBLE',
          `Schema for ${subject} is not compatible with its registered versions: ${incompatible.join('; ')}`,
          { retriable: false, details: { subject, problems: incompatible } },
        );
      return Number(insert.run(subject, text).lastInsertRowid);
    },
    async setCompatibility(subject, level) {
      setLevel.run(subject, level);
    },
    async schemaById(id) {
      return (byId.get(id) as { schema: string } | undefined)?.schema ?? null;
    },
    async checkCompatibility(subject, schema) {
      const messages = problems(subject, canonical(schema));
      return { compatible: messages.length === 0, messages };
    },
  };
}
