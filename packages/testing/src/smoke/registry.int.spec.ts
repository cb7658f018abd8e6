import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import { randomName } from '../names';
import { testEndpoints } from '../endpoints';

const schema = (fields: object[]) =>
  JSON.stringify({ type: 'record', name: 'Smoke', namespace: 'eventfold.smoke', fields });

describe('schema registry (real, Confluent API)', () => {
  const registry = new SchemaRegistry({ host: testEndpoints().schemaRegistryUrl });

  it('registers an Avro schema and round-trips a record in Confluent framing', async () => {
    const subject = randomName('smoke-subject');
    const { id } = await registry.register(
      { type: SchemaType.AVRO, schema: schema([{ name: 'name', type: 'string' }]) },
      { subject },
    );
    const bytes = await registry.encode(id, { name: 'Ada' });
    expect(bytes[0]).toBe(0); // magic byte
    expect(bytes.readInt32BE(1)).toBe(id);
    await expect(registry.decode(bytes)).resolves.toEqual({ name: 'Ada' });
  });

  it('rejects an incompatible second version with 409', async () => {
    const subject = randomName('smoke-subject');
    await registry.register(
      { type: SchemaType.AVRO, schema: schema([{ name: 'name', type: 'string' }]) },
      { subject },
    );
    // A new required field without a default cannot read the old data: not BACKWARD compatible.
    const incompatible = schema([
      { name: 'name', type: 'string' },
      { name: 'age', type: 'int' },
    ]);
    await expect(
      registry.register({ type: SchemaType.AVRO, schema: incompatible }, { subject }),
    ).rejects.toMatchObject({
      status: 409,
    });
  });
});
