import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defaultSchemasDir, loadSchemaCatalog } from '../catalog/schemaCatalog';
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
