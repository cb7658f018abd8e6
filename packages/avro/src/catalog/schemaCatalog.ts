import fs from 'node:fs';
import path from 'node:path';
import avro from 'avsc';

/** One version of one record schema, as written in schemas/. */
export interface SchemaVersion {
  /** 1 for the oldest; the file at the top of the folder is the newest. */
  readonly version: number;
  readonly file: string;
  /** The schema as written, custom attributes such as `"pii": true` included. */
  readonly json: Readonly<Record<string, unknown>> & { readonly fields?: readonly AvroField[] };
  readonly type: avro.Type;
  /** SHA-256 of the Parsing Canonical Form: how a writer schema from the registry is matched to its version. */
  readonly fingerprint: string;
}

export interface AvroField {
  readonly name: string;
  readonly type: unknown;
  readonly default?: unknown;
  readonly pii?: boolean;
  readonly aliases?: readonly string[];
}

export interface RecordSchemas {
  readonly fullName: string;
  /** Oldest first; the last one is current. */
  readonly versions: readonly SchemaVersion[];
  readonly current: SchemaVersion;
  /** Top-level fields marked `"pii": true`. */
  readonly personalFields: readonly string[];
}

/** How our schemas are parsed everywhere: unions of a record set stay wrapped, nullable unions are plain values. */
export function parseAvro(schema: unknown): avro.Type {
  return avro.Type.forSchema(schema as avro.Schema, { wrapUnions: 'auto' });
}

export const defaultSchemasDir = path.resolve(__dirname, '..', '..', '..', '..', 'schemas');

function loadVersion(file: string, version: number): SchemaVersion {
  let json: SchemaVersion['json'];
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8')) as SchemaVersion['json'];
  } catch (error) {
    throw new Error(`${file} is not valid JSON: ${(error as Error).message}`);
  }
  let type: avro.Type;
  try {
    type = parseAvro(json);
  } catch (error) {
    throw new Error(`${file} is not a valid Avro schema: ${(error as Error).message}`);
  }
  return { version, file, json, type, fingerprint: type.fingerprint('sha256').toString('hex') };
}

/**
 * Every record schema under `dir`: `<group>/<Name>.avsc` is the current version, and
 * `<group>/versions/<Name>/v<N>.avsc` hold the earlier ones. One record per file.
 */
export function loadSchemaCatalog(dir: string = defaultSchemasDir): Map<string, RecordSchemas> {
  const catalog = new Map<string, RecordSchemas>();
  for (const group of fs.readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory())) {
    const groupDir = path.join(dir, group.name);
    for (const file of fs
      .readdirSync(groupDir)
      .filter((f) => f.endsWith('.avsc'))
      .sort()) {
      const name = path.basename(file, '.avsc');
      const versionsDir = path.join(groupDir, 'versions', name);
      const older = fs.existsSync(versionsDir)
        ? fs
            .readdirSync(versionsDir)
            .map((f) => /^v(\d+)\.avsc$/.exec(f))
            .filter((m): m is RegExpExecArray => m !== null)
            .map((m) => Number(m[1]))
            .sort((a, b) => a - b)
        : [];
      older.forEach((v, i) => {
        if (v !== i + 1)
          throw new Error(`${versionsDir} must hold v1.avsc to v${older.length}.avsc without gaps`);
      });
      const versions = [
        ...older.map((v) => loadVersion(path.join(versionsDir, `v${v}.avsc`), v)),
        loadVersion(path.join(groupDir, file), older.length + 1),
      ];
      const current = versions.at(-1)!;
      const fullName = (current.type as avro.types.RecordType).name;
      if (!fullName || versions.some((v) => (v.type as avro.types.RecordType).name !== fullName)) {
        throw new Error(`${path.join(groupDir, file)} and its versions must all be the same named record`);
      }
      if (catalog.has(fullName)) throw new Error(`${fullName} is defined twice under ${dir}`);
      catalog.set(fullName, {
        fullName,
        versions,
        current,
        personalFields: (current.json.fields ?? []).filter((f) => f.pii === true).map((f) => f.name),
      });
    }
  }
  return catalog;
}
