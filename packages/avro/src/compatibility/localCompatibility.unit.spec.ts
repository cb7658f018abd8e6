import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defaultSchemasDir, loadSchemaCatalog } from '../catalog/schemaCatalog';
import { compatibilityOfRecord } from '../users/topics';
import { checkCatalogCompatibility } from './localCompatibility';

function copyOfSchemas(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eventfold-schemas-'));
  fs.cpSync(defaultSchemasDir, dir, { recursive: true });
  return dir;
}

function editRegistered(
  dir: string,
  edit: (fields: { name: string; type: unknown; default?: unknown }[]) => void,
) {
  const file = path.join(dir, 'users', 'UserRegistered.avsc');
  const schema = JSON.parse(fs.readFileSync(file, 'utf8'));
  edit(schema.fields);
  fs.writeFileSync(file, JSON.stringify(schema));
}

describe('local BACKWARD_TRANSITIVE check', () => {
  it('passes for the schemas as they are', () => {
    expect(checkCatalogCompatibility(loadSchemaCatalog())).toEqual([]);
  });

  it('names the record, field and rule when a field changes type', () => {
    const dir = copyOfSchemas();
    editRegistered(dir, (fields) => {
      fields.find((f) => f.name === 'version')!.type = 'string';
    });
    expect(checkCatalogCompatibility(loadSchemaCatalog(dir))).toEqual([
      expect.objectContaining({
        record: 'eventfold.users.UserRegistered',
        field: 'version',
        rule: 'field-type-changed',
        againstVersion: 1,
        message: expect.stringContaining("field 'version' changed type from long (v1) to string"),
      }),
    ]);
  });

  it('names a field added without a default', () => {
    const dir = copyOfSchemas();
    editRegistered(dir, (fields) => {
      fields.push({ name: 'phone', type: 'string' });
    });
    expect(checkCatalogCompatibility(loadSchemaCatalog(dir))).toEqual([
      expect.objectContaining({ field: 'phone', rule: 'field-added-without-default' }),
    ]);
  });

  it('accepts a field added with a default, and a long widened to a double', () => {
    const dir = copyOfSchemas();
    editRegistered(dir, (fields) => {
      fields.push({ name: 'phone', type: ['null', 'string'], default: null });
      fields.find((f) => f.name === 'version')!.type = 'double';
    });
    expect(checkCatalogCompatibility(loadSchemaCatalog(dir))).toEqual([]);
  });
});

/** Makes the current version of `group/name` its v<n+1>, keeping the current one as the next earlier version. */
function newVersion(
  dir: string,
  group: string,
  name: string,
  edit: (fields: { name: string; type: unknown; default?: unknown }[]) => void,
) {
  const file = path.join(dir, group, `${name}.avsc`);
  const versions = path.join(dir, group, 'versions', name);
  fs.mkdirSync(versions, { recursive: true });
  fs.copyFileSync(file, path.join(versions, `v${fs.readdirSync(versions).length + 1}.avsc`));
  const schema = JSON.parse(fs.readFileSync(file, 'utf8'));
  edit(schema.fields);
  fs.writeFileSync(file, JSON.stringify(schema));
}

describe("local check under each record's own rule", () => {
  const removeWithoutDefault = (name: string) => (fields: { name: string }[]) =>
    fields.splice(
      fields.findIndex((f) => f.name === name),
      1,
    );

  it('passes for the schemas as they are', () => {
    expect(checkCatalogCompatibility(loadSchemaCatalog(), compatibilityOfRecord)).toEqual([]);
  });

  it('refuses, naming the field, a public record that older readers could no longer read (FULL_TRANSITIVE)', () => {
    const dir = copyOfSchemas();
    newVersion(dir, 'integration', 'UserJoined', removeWithoutDefault('status'));
    expect(checkCatalogCompatibility(loadSchemaCatalog(dir), compatibilityOfRecord)).toEqual([
      expect.objectContaining({
        record: 'eventfold.users.integration.v1.UserJoined',
        field: 'status',
        rule: 'field-added-without-default',
        againstVersion: 1,
        message: expect.stringContaining("field 'status' of v1 has no default and is missing from v2"),
      }),
    ]);
    expect(checkCatalogCompatibility(loadSchemaCatalog(dir), compatibilityOfRecord)[0]!.message).toContain(
      'FULL_TRANSITIVE',
    );
  });

  it('lets eventfold’s own records drop a field, which only newer readers read (BACKWARD_TRANSITIVE)', () => {
    const dir = copyOfSchemas();
    newVersion(dir, 'users', 'UserDeactivated', removeWithoutDefault('actor'));
    expect(checkCatalogCompatibility(loadSchemaCatalog(dir), compatibilityOfRecord)).toEqual([]);
  });
});
