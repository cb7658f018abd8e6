import type { KeyCheckValue } from '../masterKey/keyCheck';
import type { KeyRecord, KeyRecords } from './keyRecords';

/** Key records in memory: for unit tests, and to show how little a new storage (SQLite) has to provide. */
export class InMemoryKeyRecords implements KeyRecords {
  readonly description = 'the in-memory key store';
  private readonly entries = new Map<string, KeyRecord>();
  private check: KeyCheckValue | null = null;

  async read(streamId: string): Promise<KeyRecord | null> {
    return this.entries.get(streamId) ?? null;
  }

  async readMany(streamIds: readonly string[]): Promise<Map<string, KeyRecord>> {
    const found = new Map<string, KeyRecord>();
    for (const id of streamIds) {
      const record = this.entries.get(id);
      if (record) found.set(id, record);
    }
    return found;
  }

  async insert(record: Extract<KeyRecord, { state: 'active' }>): Promise<boolean> {
    if (this.entries.has(record.streamId)) return false;
    this.entries.set(record.streamId, { ...record, wrappedKey: Buffer.from(record.wrappedKey) });
    return true;
  }

  async insertMany(records: readonly Extract<KeyRecord, { state: 'active' }>[]): Promise<Set<string>> {
    const inserted = new Set<string>();
    for (const record of records) if (await this.insert(record)) inserted.add(record.streamId);
    return inserted;
  }

  async tombstone(record: Extract<KeyRecord, { state: 'forgotten' }>): Promise<void> {
    const previous = this.entries.get(record.streamId);
    if (previous?.state === 'active') previous.wrappedKey.fill(0);
    this.entries.set(record.streamId, record);
  }

  async readKeyCheck(): Promise<KeyCheckValue | null> {
    return this.check;
  }

  async insertKeyCheck(check: KeyCheckValue): Promise<boolean> {
    if (this.check !== null) return false;
    this.check = check;
    return true;
  }

  async anyActive(): Promise<Extract<KeyRecord, { state: 'active' }> | null> {
    for (const record of this.entries.values()) if (record.state === 'active') return record;
    return null;
  }

  /** Drops the key-check value, as a damaged store would (tests). */
  loseKeyCheck(): void {
    this.check = null;
  }
}
