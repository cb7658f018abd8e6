import {
  RecordDecodeError,
  RecordDecodeErrorCode,
  type AvroCodec,
  type Decoded,
  type RecordPosition,
} from '@eventfold/avro';
import type { LogHeaders } from '@eventfold/core';
import { PersonalDataError } from '../errors';
import type { PersonalDataCipher, StreamOption } from './personalDataCipher';
import { PII_KEY_ID_HEADER } from './wireFormat';
import { streamIdOfKeyId } from '../dataKeys/dataKey';

/** The stream whose key sealed a record, by its `pii-key-id` header; null without one. */
export function streamOfKeyHeader(record: { readonly headers?: LogHeaders }): string | null {
  const value = record.headers?.[PII_KEY_ID_HEADER];
  const keyId = value === undefined ? undefined : (Array.isArray(value) ? value[0] : value)?.toString();
  return keyId ? streamIdOfKeyId(keyId) : null;
}

/** What the codec needs of a {@link PersonalDataCipher}. */
export type FieldCipher = Pick<PersonalDataCipher, 'encrypt' | 'decrypt' | 'prefetch'>;

/** A decoded record with its personal fields decrypted, or erased when their person was forgotten. */
export interface DecryptedDecoded extends Decoded {
  readonly erased: boolean;
  readonly erasedFields: readonly string[];
}

/** An encoded record and the data key its personal fields were sealed with (for the `pii-key-id` header). */
export interface EncryptedEncoded {
  readonly bytes: Buffer;
  readonly keyId: string | null;
}

/**
 * An AvroCodec with encryption at its boundary: personal fields are encrypted before `encode` and decrypted after
 * `decode`, so services hold plaintext only in memory. A record whose personal data cannot be read (tampered,
 * moved, plaintext where ciphertext belongs, a key the store never had) fails as a RecordDecodeError, which every
 * consumer already dead-letters; a key store that cannot be reached fails as itself (retriable).
 */
export class PersonalDataCodec {
  constructor(
    readonly codec: AvroCodec,
    private readonly cipher: FieldCipher,
  ) {}

  async encode(
    record: string,
    value: Record<string, unknown>,
    options: StreamOption = {},
  ): Promise<EncryptedEncoded> {
    const encrypted = await this.cipher.encrypt(record, value, options);
    return { bytes: this.codec.encode(record, encrypted.value), keyId: encrypted.keyId };
  }

  /**
   * Fetches the data keys of a batch of records in one key-store call: call it before decoding the batch. A
   * record's stream is the one its `pii-key-id` header names by default; a record without one (it holds no
   * personal data, or was written before the header) is decoded all the same, with a lookup of its own if needed.
   */
  async prefetchKeys<R extends { readonly headers?: LogHeaders }>(
    records: readonly R[],
    streamOf: (record: R) => string | null = streamOfKeyHeader,
  ): Promise<void> {
    const streams: string[] = [];
    for (const record of records) {
      const stream = streamOf(record);
      if (stream) streams.push(stream);
    }
    await this.cipher.prefetch(streams);
  }

  async decode(bytes: Buffer | null, position: RecordPosition): Promise<DecryptedDecoded> {
    const decoded = await this.codec.decode(bytes, position);
    try {
      const { value, erased, erasedFields } = await this.cipher.decrypt(decoded.record, decoded.value);
      return { record: decoded.record, value, writerVersion: decoded.writerVersion, erased, erasedFields };
    } catch (error) {
      if (!(error instanceof PersonalDataError)) throw error;
      throw new RecordDecodeError(RecordDecodeErrorCode.PersonalData, error.message, position, {
        cause: error,
      });
    }
  }

  /**
   * The strict check of {@link AvroCodec.verify}, then a decryption: the associated data of each personal field
   * names its record and field, so a record read as another type of the same shape fails here if not before.
   */
  async verify(bytes: Buffer | null, position: RecordPosition): Promise<void> {
    await this.codec.verify(bytes, position);
    await this.decode(bytes, position);
  }
}
