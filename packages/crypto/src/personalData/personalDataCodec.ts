import {
  RecordDecodeError,
  RecordDecodeErrorCode,
  type AvroCodec,
  type Decoded,
  type RecordPosition,
} from '@eventfold/avro';
import { PersonalDataError } from '../errors';
import type { PersonalDataCipher, StreamOption } from './personalDataCipher';

/** What the codec needs of a {@link PersonalDataCipher}. */
export type FieldCipher = Pick<PersonalDataCipher, 'encrypt' | 'decrypt'>;

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

  async decode(bytes: Buffer | null, position: RecordPosition): Promise<DecryptedDecoded> {
    const decoded = await this.codec.decode(bytes, position);
    try {
      const { value, erased, erasedFields } = await this.cipher.decrypt(decoded.record, decoded.value);
      return { ...decoded, value, erased, erasedFields };
    } catch (error) {
      if (!(error instanceof PersonalDataError)) throw error;
      throw new RecordDecodeError(RecordDecodeErrorCode.PersonalData, error.message, position, {
        cause: error,
      });
    }
  }
}
