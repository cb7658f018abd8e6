import fs from 'node:fs';

/**
 * Fault injection for the SMTP sink, read from a JSON file so that a running test can change it:
 * `{ "rejectRate": 0.1 }` answers that share of messages with a transient 451.
 */
export interface SinkFaults {
  readonly rejectRate: number;
}

const none: SinkFaults = { rejectRate: 0 };

export function faultReader(file: string): () => SinkFaults {
  let cached = none;
  let cachedMtime = -1;
  return () => {
    try {
      const mtime = fs.statSync(file).mtimeMs;
      if (mtime !== cachedMtime) {
        const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<SinkFaults>;
        cached = { rejectRate: Number(parsed.rejectRate ?? 0) };
        cachedMtime = mtime;
      }
      return cached;
    } catch {
      return none;
    }
  };
}

export function writeSinkFaults(file: string, faults: SinkFaults): void {
  fs.writeFileSync(file, JSON.stringify(faults));
}
