import fs from 'node:fs';
import path from 'node:path';
import { confluentSchemaRegistry, loadSchemaCatalog } from '@eventfold/avro';
import { spawnService, testEndpoints } from '@eventfold/testing';
import { newReadSideEnv, serviceEnv } from '../support/readSide';

const main = path.resolve(__dirname, '..', '..', 'services', 'command', 'src', 'main.ts');

/**
 * An upgrade that would break readers of the log must stop where it starts: a subject that already holds a
 * UserRegistered whose `version` is a string (as if an earlier release had written it so) cannot take ours, whose
 * `version` is a long, under BACKWARD_TRANSITIVE. The command service must refuse to start, saying which subject
 * and which field, and exit for its supervisor to see (issue 15).
 */
describe('start-up with a schema the registry refuses', () => {
  it('stops the command service with SCHEMA_INCOMPATIBLE, naming the subject and the field', async () => {
    const env = newReadSideEnv(2);
    const registry = confluentSchemaRegistry(testEndpoints().schemaRegistryUrl);
    const subject = `${env.prefix}users.events-eventfold.users.UserRegistered`;
    const earlier = structuredClone(
      loadSchemaCatalog().get('eventfold.users.UserRegistered')!.versions[0]!.json,
    );
    (earlier.fields as { name: string; type: unknown }[]).find((f) => f.name === 'version')!.type = 'string';
    await registry.setCompatibility(subject, 'BACKWARD_TRANSITIVE');
    await registry.register(subject, JSON.stringify(earlier));

    const command = await spawnService(main, serviceEnv(env, { LOG_LEVEL: 'info' }), { waitReady: false });
    const code = await Promise.race([
      command.exited,
      new Promise<'running'>((resolve) => setTimeout(() => resolve('running'), 60_000)),
    ]);
    await command.kill();
    const log = fs.readFileSync(command.logFile, 'utf8');
    expect(code).toBe(1);
    expect(log).toContain('"code":"SCHEMA_INCOMPATIBLE"');
    expect(log).toContain(`Schema for ${subject} is not compatible with its registered versions`);
    expect(log).toContain("field 'version' changed type from string (version 1) to long (the new schema)");
  });
});
