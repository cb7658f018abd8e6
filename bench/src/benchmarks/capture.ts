import { captureRatios, CAPTURE_MODES, modeFigures, type CaptureBlock } from '../capture/captureFigures';
import { runCapture, type CapturePlan } from '../capture/runCapture';
import type { BenchmarkResult } from '../report/figures';
import { formatNumber } from '../report/table';
import { sized, type Benchmark } from './benchmark';

const POLLING = { batch: 500, intervalMs: 50 };
/** Quick: two rounds of 4 s blocks, under 40 s with PostgreSQL's start. */
const QUICK: CapturePlan = {
  rounds: 2,
  seconds: 4,
  warmUpSeconds: 2,
  connections: 8,
  seedRows: 1000,
  polling: POLLING,
  drainTimeoutMs: 30_000,
};
const FULL: CapturePlan = { ...QUICK, rounds: 4, seconds: 10, warmUpSeconds: 3, seedRows: 5000 };

function modeDetails(blocks: readonly CaptureBlock[]): Record<string, string | number> {
  return Object.fromEntries(
    CAPTURE_MODES.flatMap((mode): [string, string | number][] => {
      const f = modeFigures(blocks, mode);
      return [
        [`${mode}.writesPerSecond`, Math.round(f.writesPerSecond)],
        [`${mode}.writeMs`, `p50 ${formatNumber(f.write.p50)}, p99 ${formatNumber(f.write.p99)}`],
        [
          `${mode}.lagMs`,
          f.lag.count > 0 ? `p50 ${formatNumber(f.lag.p50)}, p99 ${formatNumber(f.lag.p99)}` : '—',
        ],
        [`${mode}.walBytesPerWrite`, Math.round(f.walBytesPerWrite)],
        [`${mode}.retainedBytes`, f.retainedBytes],
        [`${mode}.failedMissing`, `${f.failed} failed, ${f.missing} missing`],
        [
          `${mode}.blocks`,
          blocks
            .filter((b) => b.mode === mode)
            .map((b) => `round ${b.round + 1}: ${Math.round(b.writes / b.seconds)} writes/s`)
            .join('; '),
        ],
      ];
    }),
  );
}

/**
 * Issue 20's "choose by figures": what reading the legacy table's changes costs the legacy application, through
 * PostgreSQL's log (a `pgoutput` slot, as the migrator reads it) and through a trigger-filled outbox table polled
 * (the alternative, in the bench only), each against the same writer alone in the same run, in alternating blocks.
 */
export const captureBenchmark: Benchmark = {
  name: 'capture',
  title: 'Change capture from a legacy PostgreSQL: pgoutput slot vs transactional outbox',
  async run(context): Promise<BenchmarkResult> {
    const plan = sized(context, QUICK, FULL);
    const run = await runCapture(plan, context.say);
    return {
      name: this.name,
      title: this.title,
      ratios: captureRatios(run.blocks, plan.connections),
      cpu: run.cpu,
      details: {
        rounds: plan.rounds,
        seconds: plan.seconds,
        connections: plan.connections,
        seedRows: plan.seedRows,
        writeMix:
          'per 10 writes: 2 inserts, 4 renames, 3 address changes, 1 deactivation; each its own transaction',
        pgoutput:
          'REPLICA IDENTITY FULL, publication of users, slot read by pg-logical-replication 2.5.0 (protocol 1, flow control), each commit acknowledged',
        outbox: `AFTER INSERT OR UPDATE trigger writing before/after jsonb; one poller, batches of ${plan.polling.batch} FOR UPDATE SKIP LOCKED then DELETE, ${plan.polling.intervalMs} ms after a batch not full`,
        postgres: `${run.postgresVersion}; defaults but wal_level=logical, a CHECKPOINT before each block`,
        ...modeDetails(run.blocks),
      },
    };
  },
};
