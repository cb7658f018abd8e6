import avro from 'avsc';
import type { SchemaRegistryPort } from '@eventfold/avro';
import { InfrastructureError } from '@eventfold/core';
import type { SqliteDatabase } from '../database/openDatabase';

/**
 * The schema registry port on SQLite: global ids for (subject, schema), as a Confluent registry gives them, so
 * that records keep the Confluent framing and the same codecs read them. Compatibility is BACKWARD_TRANSITIVE:
 * a schema must read data written with every earlier version of its subject.
 */
export function sqliteSchemaRegistry(db: SqliteDatabase): SchemaRegistryPort {
  db.exec(`
    CREATE TABLE IF NOT EXISTS schemas (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      subject TEXT NOT NULL,
      schema TEXT NOT NULL,
      UNIQUE (subject, schema)
    );
  `);
  const find = db.prepare('SELECT id FROM schemas WHERE subject = ? AND schema = ?');
  const insert = db.prepare('INSERT INTO schemas (subject, schema) VALUES (?, ?)');
  const byId = db.prepare('SELECT schema FROM schemas WHERE id = ?');
  const versions = db.prepare('SELECT schema FROM schemas WHERE subject = ? ORDER BY id');
  const canonical = (schema: string) => JSON.stringify(JSON.parse(schema));

  const problems = (subject: string, schema: string): string[] => {
    const reader = avro.Type.forSchema(JSON.parse(schema) as avro.Schema);
    return (versions.all(subject) as { schema: string }[]).flatMap(({ schema: earlier }, i) => {
      try {
        reader.createResolver(avro.Type.forSchema(JSON.parse(earlier) as avro.Schema));
        return [];
      } catch (error) {
        return [`version ${i + 1}: ${(error as Error).message}`];
      }
    });
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
          `Schema for ${subject} is not compatible with its earlier versions: ${incompatible.join('; ')}`,
          { retriable: false },
        );
      return Number(insert.run(subject, text).lastInsertRowid);
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
