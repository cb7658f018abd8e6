import { InfrastructureError } from '@eventfold/core';
import { randomName, testEndpoints } from '@eventfold/testing';
import { loadSchemaCatalog } from '../catalog/schemaCatalog';
import { registerRecord } from './registerRecord';
import { confluentSchemaRegistry } from './schemaRegistry';

const url = testEndpoints().schemaRegistryUrl;
const catalog = [...loadSchemaCatalog().values()];

async function versionsOf(subject: string): Promise<number[]> {
  const response = await fetch(`${url}/subjects/${encodeURIComponent(subject)}/versions`);
  return (await response.json()) as number[];
}

describe('Confluent-compatible registry (real): registration at start-up', () => {
  it('ten clients registering every schema at once all succeed, with one version per schema', async () => {
    const topic = randomName('race');
    const subject = (name: string) => `${topic}-${name}`;
    const clients = Array.from({ length: 10 }, () => confluentSchemaRegistry(url));
    const answers = await Promise.all(
      clients.map((client) =>
        Promise.all(catalog.map((record) => registerRecord(client, subject(record.fullName), record))),
      ),
    );
    for (const answer of answers) expect(answer).toEqual(answers[0]);
    for (const record of catalog) {
      expect(await versionsOf(subject(record.fullName))).toHaveLength(record.versions.length);
      const config = await fetch(`${url}/config/${encodeURIComponent(subject(record.fullName))}`);
      expect(((await config.json()) as { compatibilityLevel: string }).compatibilityLevel).toBe(
        'BACKWARD_TRANSITIVE',
      );
    }
  });

  it('sets a level other than the global one, also when clients race to set it', async () => {
    const subject = randomName('full');
    const clients = Array.from({ length: 10 }, () => confluentSchemaRegistry(url));
    await Promise.all(clients.map((client) => client.setCompatibility(subject, 'FULL_TRANSITIVE')));
    const config = await fetch(`${url}/config/${encodeURIComponent(subject)}?defaultToGlobal=true`);
    expect(((await config.json()) as { compatibilityLevel: string }).compatibilityLevel).toBe(
      'FULL_TRANSITIVE',
    );
  });

  it('refuses an incompatible change as SCHEMA_INCOMPATIBLE, not retriable, naming the field', async () => {
    const registry = confluentSchemaRegistry(url);
    const subject = randomName('incompatible');
    const record = (fields: object[]) =>
      JSON.stringify({ type: 'record', name: 'Person', namespace: 'eventfold.test', fields });
    await registry.setCompatibility(subject, 'BACKWARD_TRANSITIVE');
    await registry.register(subject, record([{ name: 'name', type: 'string' }]));
    const refused = await registry
      .register(
        subject,
        record([
          { name: 'name', type: 'string' },
          { name: 'phone', type: 'string' },
        ]),
      )
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(InfrastructureError);
    expect(refused).toMatchObject({ code: 'SCHEMA_INCOMPATIBLE', retriable: false });
    expect((refused as Error).message).toContain(subject);
    expect((refused as Error).message).toContain("field 'phone'");
    expect(await versionsOf(subject)).toHaveLength(1);
  });
});
