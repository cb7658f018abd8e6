import type { LogRecord } from './eventLog';

/**
 * What a compacted topic holds for one partition, whatever the log: the last record of each key, tombstones (null
 * values) removing their key. `read` calls back with every record of the partition in offset order.
 */
export async function latestPerKey(read: (onRecord: (record: LogRecord) => void) => Promise<unknown>) {
  const latest = new Map<string, LogRecord>();
  await read((record) => {
    const key = record.key?.toString('base64') ?? '';
    latest.delete(key);
    if (record.value !== null) latest.set(key, record);
  });
  return [...latest.values()];
}
