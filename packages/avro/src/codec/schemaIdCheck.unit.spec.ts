import { RecordDecodeError, RecordDecodeErrorCode } from './errors';
import { frame } from './framing';
import { checkSchemaIdsOnTail } from './schemaIdCheck';

/** One partition whose tail holds records of the given schema ids; the verifier refuses those of `bad` ids and bodies. */
function tail(ids: readonly number[], bad: (id: number, index: number) => boolean) {
  const records = ids.map((id, i) => ({ value: frame(id, Buffer.from([i])), offset: String(i) }));
  const log = {
    partitionEnds: async () => [BigInt(records.length)],
    readPartition: async (
      _t: string,
      _p: number,
      from: bigint,
      onRecord: (r: (typeof records)[number]) => void,
    ) => {
      records.slice(Number(from)).forEach(onRecord);
      return records.length - Number(from);
    },
  };
  const codec = {
    verify: async (bytes: Buffer | null, position: { topic: string; partition: number; offset: string }) => {
      const id = bytes!.readInt32BE(1);
      if (bad(id, bytes![5]!))
        throw new RecordDecodeError(RecordDecodeErrorCode.Corrupt, `schema ${id} does not fit`, position);
    },
  };
  return { log: log as never, codec };
}

describe('checkSchemaIdsOnTail', () => {
  it('refuses when every record of a schema id fails, though most records of the tail fit', async () => {
    // Two ids handed out in another order: the records of a third id (a reservation stream's) still fit.
    const { log, codec } = tail([7, 9, 7], (id) => id === 9);
    await expect(checkSchemaIdsOnTail(log, codec, 'users.events')).resolves.toEqual({
      checked: 3,
      failed: 1,
    });
    const swapped = tail([7, 8, 7, 8, 7], (id) => id === 8);
    await expect(checkSchemaIdsOnTail(swapped.log, swapped.codec, 'users.events')).rejects.toMatchObject({
      code: 'SCHEMA_REGISTRY_MISMATCH',
      retriable: false,
    });
  });

  it('lets one bad record pass, whether its id has others that fit or none', async () => {
    const oneOfMany = tail([7, 7, 7, 7, 7], (_id, i) => i === 2);
    await expect(checkSchemaIdsOnTail(oneOfMany.log, oneOfMany.codec, 'users.events')).resolves.toEqual({
      checked: 5,
      failed: 1,
    });
  });

  it('refuses when most records of the tail fail', async () => {
    const { log, codec } = tail([7, 8, 9], (id) => id !== 9);
    await expect(checkSchemaIdsOnTail(log, codec, 'users.events')).rejects.toMatchObject({
      code: 'SCHEMA_REGISTRY_MISMATCH',
    });
  });
});
