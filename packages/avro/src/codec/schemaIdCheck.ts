import { InfrastructureError, type EventLog } from '@eventfold/core';
import { RecordDecodeError, RecordDecodeErrorCode, type RecordPosition } from './errors';
import { framedSchemaId } from './framing';

/** A codec that checks a record strictly: AvroCodec, or one with personal fields that decrypts them too. */
export interface RecordVerifier {
  verify(bytes: Buffer | null, position: RecordPosition): Promise<void>;
}

/** How many records of each partition's tail are checked: enough to see a pattern, cheap at start-up. */
const TAIL = 5;

/**
 * Checks that the schema ids the records at the end of `topic` carry still name the schemas they were written
 * with, before a service reads or writes that topic (issue 25). A schema id in a record is a promise for as long
 * as the record lives; a registry that lost its storage hands the ids out anew, and records then decode as the
 * wrong type, or, within one topic, as another type of the same shape (UserRegistered and UserNameChanged are both
 * four strings: only their encrypted fields, bound to record and field names, tell them apart). Unframed records are left to the consumers' dead-letter path, and
 * one bad record does not stop a service: the check refuses when most of the framed records on the tail fail (a
 * registry that forgot fails them all), or when every record of some schema id fails and there are two or more of
 * them (a registry that handed two ids out in another order: the records of the other ids, a reservation stream's
 * among them, still fit), with an InfrastructureError `SCHEMA_REGISTRY_MISMATCH` (not retriable) that says so and
 * names the first record.
 */
export async function checkSchemaIdsOnTail(
  log: Pick<EventLog, 'partitionEnds' | 'readPartition'>,
  codec: RecordVerifier,
  topic: string,
): Promise<{ checked: number; failed: number }> {
  const ends = await log.partitionEnds(topic);
  let checked = 0;
  const failures: RecordDecodeError[] = [];
  // Per schema id: how many of its records were checked, and how many failed.
  const byId = new Map<number, { checked: number; failed: number }>();
  const count = (value: Buffer | null, failed: boolean) => {
    const id = value === null ? null : framedSchemaId(value);
    if (id === null) return;
    const seen = byId.get(id) ?? { checked: 0, failed: 0 };
    byId.set(id, { checked: seen.checked + 1, failed: seen.failed + (failed ? 1 : 0) });
  };
  for (const [partition, end] of ends.entries()) {
    if (end === 0n) continue;
    const records: { value: Buffer | null; offset: string }[] = [];
    await log.readPartition(topic, partition, end > TAIL ? end - BigInt(TAIL) : 0n, (r) => records.push(r));
    for (const record of records) {
      try {
        await codec.verify(record.value, { topic, partition, offset: record.offset });
        checked++;
        count(record.value, false);
      } catch (error) {
        if (!(error instanceof RecordDecodeError)) throw error;
        if (error.code === RecordDecodeErrorCode.NotFramed) continue;
        checked++;
        failures.push(error);
        count(record.value, true);
      }
    }
  }
  const anIdFailsThrough = [...byId.values()].some((id) => id.checked >= 2 && id.failed === id.checked);
  if (failures.length > 0 && (failures.length * 2 > checked || anIdFailsThrough)) {
    throw new InfrastructureError(
      'SCHEMA_REGISTRY_MISMATCH',
      `The schema registry has lost the ids this log was written with: ${failures.length} of the last ${checked} ` +
        `records of ${topic} name schemas that do not fit them (${failures[0]!.message}). The registry's storage ` +
        'must last as long as the log: restore it, or point SCHEMA_REGISTRY_URL at the registry that wrote them',
      { retriable: false, details: { topic, checked, failed: failures.length } },
    );
  }
  return { checked, failed: failures.length };
}
