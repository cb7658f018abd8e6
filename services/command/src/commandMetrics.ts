import { Counter, Gauge, Histogram, type Registry } from '@eventfold/observability';

/** The command service's metrics (commands by outcome, transaction latency, restore time, partitions owned). */
export function commandMetrics(registry: Registry) {
  return {
    commandsTotal: new Counter({
      name: 'eventfold_commands_total',
      help: 'Commands answered over HTTP, by route and outcome (succeeded, accepted, or the rejection code)',
      labelNames: ['route', 'outcome'] as const,
      registers: [registry],
    }),
    decidedTotal: new Counter({
      name: 'eventfold_commands_decided_total',
      help: 'Commands decided by the partition owners: succeeded, rejected, or repeated (answered from the idempotency window)',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
    undecodableTotal: new Counter({
      name: 'eventfold_commands_undecodable_total',
      help: 'Commands skipped because they could not be decoded',
      registers: [registry],
    }),
    transactionSeconds: new Histogram({
      name: 'eventfold_command_transaction_seconds',
      help: 'Time to decide and commit one batch of commands in one Kafka transaction',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    transactionFailures: new Counter({
      name: 'eventfold_command_transaction_failures_total',
      help: 'Transactions that failed and were retried after a restore',
      registers: [registry],
    }),
    restoreSeconds: new Histogram({
      name: 'eventfold_partition_restore_seconds',
      help: 'Time to fence, restore and seek one command partition',
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
    restoreRecords: new Counter({
      name: 'eventfold_partition_restore_records_total',
      help: 'Records read while restoring partitions, by kind (snapshot, event, or duplicate-event: a second copy skipped)',
      labelNames: ['kind'] as const,
      registers: [registry],
    }),
    partitionsOwned: new Gauge({
      name: 'eventfold_partitions_owned',
      help: 'Command partitions this instance owns',
      registers: [registry],
    }),
  };
}
