import type { LegacyWriter } from '@eventfold/system-tests';

/**
 * The legacy application's write mix, one entry per tenth of its writes: new rows, renames, address changes and
 * soft deletes, each its own committed transaction (tests/support/legacyUsers.ts).
 */
export const WRITE_MIX = Object.freeze([
  'insert',
  'insert',
  'rename',
  'rename',
  'rename',
  'rename',
  'changeEmail',
  'changeEmail',
  'changeEmail',
  'deactivate',
] as const);

export interface WorkloadResult {
  /** Committed writes, each one changed row. */
  readonly writes: number;
  readonly failed: number;
  readonly seconds: number;
  /** Each committed write's round trip, statement sent → committed, ms. */
  readonly latenciesMs: number[];
}

/** The legacy ids the workload updates: the seeded rows and those it inserts itself. */
export class LegacyIds {
  private next = 0;

  constructor(readonly ids: string[]) {}

  /** Spreads updates over the table, the same sequence in every block (no randomness between modes). */
  pick(): string {
    this.next += 1;
    return this.ids[(this.next * 7919) % this.ids.length]!;
  }
}

/** Numbers every write of the run: its place in the mix, and new names and addresses nobody has yet. */
let sequence = 0;

async function writeOnce(writer: LegacyWriter, ids: LegacyIds): Promise<void> {
  const n = ++sequence;
  switch (WRITE_MIX[n % WRITE_MIX.length]!) {
    case 'insert': {
      const [id] = await writer.insert([{ name: `Capture User ${n}`, email: `capture-${n}@example.com` }]);
      ids.ids.push(id!);
      return;
    }
    case 'rename':
      return writer.rename(ids.pick(), `Renamed ${n}`);
    case 'changeEmail':
      return writer.changeEmail(ids.pick(), `moved-${n}@example.com`);
    case 'deactivate':
      return writer.deactivate(ids.pick());
  }
}

/**
 * A closed loop of the write mix on every writer (one connection each) for `seconds`. The writers' own records of
 * what they changed are cleared as it goes: a benchmark needs the counts, not the list.
 */
export async function runLegacyWorkload(
  writers: readonly LegacyWriter[],
  ids: LegacyIds,
  seconds: number,
): Promise<WorkloadResult> {
  const latenciesMs: number[] = [];
  let failed = 0;
  const started = performance.now();
  const until = started + seconds * 1000;
  await Promise.all(
    writers.map(async (writer) => {
      while (performance.now() < until) {
        const sent = performance.now();
        try {
          await writeOnce(writer, ids);
          latenciesMs.push(performance.now() - sent);
        } catch {
          failed += 1;
        }
        writer.changes.length = 0;
      }
    }),
  );
  return {
    writes: latenciesMs.length,
    failed,
    seconds: (performance.now() - started) / 1000,
    latenciesMs,
  };
}
