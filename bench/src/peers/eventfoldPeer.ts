import { infraProcesses } from '../measure/infraProcesses';
import { removeCreated } from '../stack/cleanup';
import { spawnBackend, stopService } from '../stack/services';
import { newSystem } from '../stack/system';
import type { Peer } from './peer';

/**
 * eventfold itself, in the same harness as the peers: the command service as deployed (one process, personal
 * fields encrypted, 12 partitions) on the local Kafka, registry and key store, on a fresh system of topics. Its
 * routes are the same two under /v1; a stale If-Match answers 412, as the peers' do.
 */
export const eventfoldPeer: Peer = {
  name: 'eventfold',
  title: 'eventfold',
  storage: 'Kafka, acks=all',
  settings:
    'the command service (services/command, as `pnpm stack` runs it) on the local stack: Kafka 4.4 (one broker), ' +
    'Apicurio registry, FerretDB key store; 12 partitions, one process owning all of them; names and addresses ' +
    'encrypted; every command one transaction with its events, snapshot, result and input offset',
  async install() {},
  async start() {
    const env = await newSystem();
    const command = await spawnBackend('command', env);
    return {
      name: 'eventfold',
      url: `${command.url}/v1`,
      pid: command.child.pid!,
      logFile: command.logFile,
      servers: infraProcesses()
        .filter((p) => p.name === 'kafka')
        .map((p) => ({ name: p.name, pid: p.pid as number })),
      async stop() {
        await stopService(command);
        await removeCreated({ prefix: env.prefix, databases: [] });
      },
    };
  },
};
