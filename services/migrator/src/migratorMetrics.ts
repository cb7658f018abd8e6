import { Counter, Gauge, type Registry } from '@eventfold/observability';

export function migratorMetrics(
  registry: Registry,
  lag: { bytes: () => Promise<number | null>; seconds: () => number },
) {
  return {
    commands: new Counter({
      name: 'eventfold_migration_commands_total',
      help: 'Commands sent for legacy changes, by final outcome (applied, rejected: dead-lettered)',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
    lagBytes: new Gauge({
      name: 'eventfold_migration_lag_bytes',
      help: 'Bytes of the legacy WAL past the position the migrator has acknowledged (the slot confirmed_flush_lsn)',
      registers: [registry],
      async collect() {
        const bytes = await lag.bytes().catch(() => null);
        if (bytes !== null) this.set(bytes);
      },
    }),
    lagSeconds: new Gauge({
      name: 'eventfold_migration_lag_seconds',
      help: 'Age of the oldest committed legacy transaction received and not yet durable in eventfold (0: none)',
      registers: [registry],
      collect() {
        this.set(lag.seconds());
      },
    }),
  };
}
