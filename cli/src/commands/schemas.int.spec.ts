import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defaultSchemasDir } from '@eventfold/avro';
import { testEndpoints } from '@eventfold/testing';
import { runCli } from '../program';

function run(argv: string[]) {
  const lines: string[] = [];
  const errors: string[] = [];
  const out = { line: (t: string) => lines.push(t), error: (t: string) => errors.push(t) };
  return runCli(argv, { env: {}, out }).then((code) => ({ code, lines, errors }));
}

function schemasWithVersionAsString(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eventfold-schemas-'));
  fs.cpSync(defaultSchemasDir, dir, { recursive: true });
  const file = path.join(dir, 'users', 'UserRegistered.avsc');
  const schema = JSON.parse(fs.readFileSync(file, 'utf8'));
  schema.fields.find((f: { name: string }) => f.name === 'version').type = 'string';
  fs.writeFileSync(file, JSON.stringify(schema, null, 2));
  return dir;
}

describe('eventfold schemas', () => {
  const registryUrl = testEndpoints().schemaRegistryUrl;

  it('check passes on the schemas as they are, locally and against the registry', async () => {
    expect((await run(['schemas', 'register', '--registry', registryUrl])).code).toBe(0);
    const result = await run(['schemas', 'check', '--registry', registryUrl]);
    expect(result).toMatchObject({ code: 0, errors: [] });
    expect(result.lines).toContain(`checked against the registry at ${registryUrl}`);
  });

  it('check fails on an incompatible edit, naming the schema, the field and the rule', async () => {
    const dir = schemasWithVersionAsString();
    const local = await run(['schemas', 'check', '--dir', dir, '--local']);
    expect(local.code).toBe(1);
    expect(local.errors[0]).toContain('eventfold.users.UserRegistered');
    expect(local.errors[0]).toContain('field version: field-type-changed');
    expect(local.errors[0]).toContain('changed type from long (v1) to string');
    expect(local.errors.at(-1)).toBe('schemas check: 1 incompatible change');

    await run(['schemas', 'register', '--registry', registryUrl]);
    const remote = await run(['schemas', 'check', '--dir', dir, '--registry', registryUrl]);
    expect(remote.code).toBe(1);
    expect(
      remote.errors.some((e) => e.includes('registry subject users.events-eventfold.users.UserRegistered')),
    ).toBe(true);
  });

  it('reports an invalid schema file in one line', async () => {
    const dir = schemasWithVersionAsString();
    fs.writeFileSync(
      path.join(dir, 'users', 'UserReactivated.avsc'),
      '{"type":"record","name":"UserReactivated","fields":[{"name":"x","type":"nonsense"}]}',
    );
    const result = await run(['schemas', 'check', '--dir', dir, '--local']);
    expect(result.code).toBe(1);
    expect(result.errors).toEqual([
      expect.stringMatching(/^schemas check: .*UserReactivated\.avsc is not a valid Avro schema: /),
    ]);
  });
});
