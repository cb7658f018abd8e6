import type { RecordSchemas } from '@eventfold/avro';
import { randomBytes } from 'node:crypto';
import { IV_BYTES, open, seal } from '../aead/aesGcm';
import type { DataKey } from '../dataKeys/dataKey';
import { streamIdOfKeyId } from '../dataKeys/dataKey';
import type { KeyStore } from '../dataKeys/keyStore';
import { CryptoErrorCode, PersonalDataError } from '../errors';
import {
  compilePersonalFields,
  mapPersonalStrings,
  personalFieldPaths,
  type PersonalFieldNode,
} from './personalFields';
import {
  ERASED,
  fieldAad,
  formatEnvelope,
  isEnvelope,
  parseEnvelope,
  type FieldEnvelope,
} from './wireFormat';

export interface PersonalDataCipherOptions {
  /** The schema catalog (`loadSchemaCatalog()`): the `"pii": true` marks say what to encrypt. */
  readonly catalog: ReadonlyMap<string, RecordSchemas>;
  readonly keys: KeyStore;
  /** The same as the codec's: decrypt a record as this version of its schema instead of the current one. */
  readonly readerVersions?: Readonly<Record<string, number>>;
  /**
   * A personal field in plaintext on decrypt (written before encryption was switched on): `'reject'` (default)
   * fails the record; `'accept'` passes it through. Either way a forgotten stream's plaintext reads as erased.
   */
  readonly plaintext?: 'reject' | 'accept';
}

export interface EncryptedRecord {
  readonly value: Record<string, unknown>;
  /** The data key used (for the `pii-key-id` header), or null when the record held no personal string. */
  readonly keyId: string | null;
}

export interface DecryptedRecord {
  readonly value: Record<string, unknown>;
  /** True when personal fields were replaced by {@link ERASED} because their person was forgotten. */
  readonly erased: boolean;
  /** Which, by path. */
  readonly erasedFields: readonly string[];
  readonly keyId: string | null;
}

export interface StreamOption {
  /** The stream whose key to use; by default the record's own `streamId` field. */
  readonly streamId?: string;
}

/**
 * Encrypts the personal fields of a record before it is encoded, and decrypts them after it is decoded. Each
 * personal string becomes `ef1:<keyId>:<base64url(iv | ciphertext | tag)>` (AES-256-GCM under the stream's data
 * key, bound to stream and field path); field types do not change. Once the stream is forgotten, its fields
 * decrypt to {@link ERASED} and the record is flagged as erased.
 */
export class PersonalDataCipher {
  private readonly plans = new Map<string, PersonalFieldNode | null>();

  constructor(private readonly options: PersonalDataCipherOptions) {}

  /** The paths of a record's personal fields, as bound into its ciphertexts. */
  personalFieldPaths(record: string): string[] {
    return personalFieldPaths(this.plan(record));
  }

  async encrypt(
    record: string,
    value: Record<string, unknown>,
    { streamId }: StreamOption = {},
  ): Promise<EncryptedRecord> {
    const plan = this.plan(record);
    const count = plan === null ? 0 : countPersonalStrings(plan, value);
    if (count === 0) return { value, keyId: null };
    const stream = streamOf(record, value, streamId);
    const key = await this.options.keys.getOrCreate(stream);
    // The record's fields are sealed as a batch: their IVs drawn in one call to the random source, not one each.
    const ivs = randomBytes(IV_BYTES * count);
    let field = 0;
    const encrypted = mapPersonalStrings(plan!, value, (plaintext, path) => {
      const iv = ivs.subarray(IV_BYTES * field, IV_BYTES * ++field);
      return formatEnvelope({
        keyId: key.keyId,
        sealed: seal(key.key, Buffer.from(plaintext, 'utf8'), fieldAad(key.keyId, stream, path), iv),
      });
    }) as Record<string, unknown>;
    return { value: encrypted, keyId: key.keyId };
  }

  /**
   * Looks up the keys of these streams in one call to the key store: with a caching store, the records of a batch
   * then decrypt without a lookup each.
   */
  async prefetch(streamIds: Iterable<string>): Promise<void> {
    const streams = [...new Set(streamIds)];
    if (streams.length > 0) await this.options.keys.getMany(streams);
  }

  async decrypt(
    record: string,
    value: Record<string, unknown>,
    { streamId }: StreamOption = {},
  ): Promise<DecryptedRecord> {
    const plan = this.plan(record);
    if (plan === null) return { value, erased: false, erasedFields: [], keyId: null };
    // Each field's envelope is parsed once, here, for both the key lookups and the decryption.
    const found: FoundField[] = [];
    mapPersonalStrings(plan, value, (text, path) => {
      found.push({ text, path, envelope: parseEnvelope(text) });
      return text;
    });
    if (found.length === 0) return { value, erased: false, erasedFields: [], keyId: null };
    const stream = streamOf(record, value, streamId);
    const keys = await this.keysFor(record, stream, found);
    const erasedFields: string[] = [];
    let keyId: string | null = null;
    let field = 0;
    const decrypted = mapPersonalStrings(plan, value, (text, path) => {
      const { envelope } = found[field++]!;
      const key = envelope ? keys.get(envelope.keyId)! : keys.get('')!;
      if (key === 'forgotten') {
        erasedFields.push(path);
        return ERASED;
      }
      if (envelope === null) return text; // plaintext, accepted by keysFor
      keyId = envelope.keyId;
      const plaintext = open(key.key, envelope.sealed, fieldAad(envelope.keyId, stream, path));
      if (plaintext === null)
        throw new PersonalDataError(
          CryptoErrorCode.CiphertextRejected,
          `${record} ${stream}: the ciphertext of ${path} fails authentication (tampered, or moved from another field)`,
        );
      return plaintext.toString('utf8');
    }) as Record<string, unknown>;
    return { value: decrypted, erased: erasedFields.length > 0, erasedFields, keyId };
  }

  /**
   * Seals one personal string that a service keeps in a store of its own, outside any record (the notifier's
   * recipients): under the data key of `streamId`, bound to `path`, in the same envelope as a record's fields. A
   * forget then erases it with everything else, without touching the store's files.
   */
  async sealText(streamId: string, path: string, plaintext: string): Promise<string> {
    const key = await this.options.keys.getOrCreate(streamId);
    return formatEnvelope({
      keyId: key.keyId,
      sealed: seal(key.key, Buffer.from(plaintext, 'utf8'), fieldAad(key.keyId, streamId, path)),
    });
  }

  /**
   * Opens what {@link sealText} sealed: the plaintext, or {@link ERASED} once the stream is forgotten. A value that
   * is not an envelope (stored before sealing began) is answered as it is; a tampered or moved one is refused.
   */
  async openText(streamId: string, path: string, text: string): Promise<string> {
    const envelope = parseEnvelope(text);
    const decrypted = await this.keysFor(`a stored value of`, streamId, [{ text, path, envelope }], 'accept');
    const key = decrypted.get(envelope?.keyId ?? '');
    if (key === 'forgotten') return ERASED;
    if (envelope === null || !key) return text;
    const plaintext = open(key.key, envelope.sealed, fieldAad(envelope.keyId, streamId, path));
    if (plaintext === null)
      throw new PersonalDataError(
        CryptoErrorCode.CiphertextRejected,
        `${streamId}: the stored ciphertext of ${path} fails authentication (tampered, or moved from another field)`,
      );
    return plaintext.toString('utf8');
  }

  /** Every key the record's fields name (`''` for plaintext): a key, 'forgotten', or plaintext accepted (null). */
  private async keysFor(
    record: string,
    stream: string,
    found: readonly FoundField[],
    plaintext = this.options.plaintext ?? 'reject',
  ): Promise<Map<string, DataKey | 'forgotten' | null>> {
    const keys = new Map<string, DataKey | 'forgotten' | null>();
    for (const { text, path, envelope } of found) {
      if (!isEnvelope(text)) {
        if (keys.has('')) continue;
        if (await this.options.keys.isForgotten(stream)) keys.set('', 'forgotten');
        else if (plaintext === 'accept') keys.set('', null);
        else
          throw new PersonalDataError(
            CryptoErrorCode.PlaintextRejected,
            `${record} ${stream}: ${path} is personal data in plaintext, where a ciphertext was expected`,
          );
        continue;
      }
      if (envelope === null)
        throw new PersonalDataError(
          CryptoErrorCode.CiphertextMalformed,
          `${record} ${stream}: ${path} is not a well-formed ciphertext`,
        );
      if (keys.has(envelope.keyId)) continue;
      if (streamIdOfKeyId(envelope.keyId) !== stream)
        throw new PersonalDataError(
          CryptoErrorCode.CiphertextRejected,
          `${record} ${stream}: ${path} is encrypted under a key of another stream`,
        );
      const key = await this.options.keys.get({ keyId: envelope.keyId });
      if (key === null)
        throw new PersonalDataError(
          CryptoErrorCode.DataKeyUnknown,
          `${record} ${stream}: ${path} names the data key ${envelope.keyId}, which the key store never had`,
        );
      keys.set(envelope.keyId, key);
    }
    return keys;
  }

  private plan(record: string): PersonalFieldNode | null {
    let plan = this.plans.get(record);
    if (plan === undefined) {
      const schemas = this.options.catalog.get(record);
      if (!schemas) throw new Error(`${record} is not in the schema catalog`);
      const version = this.options.readerVersions?.[record] ?? schemas.current.version;
      const schema = schemas.versions[version - 1];
      if (!schema) throw new Error(`${record} has no version ${version}`);
      plan = compilePersonalFields(schema.json, schema.type);
      this.plans.set(record, plan);
    }
    return plan;
  }
}

/** A personal string of a record as found: its envelope parsed (null for plaintext or a malformed one). */
interface FoundField {
  readonly text: string;
  readonly path: string;
  readonly envelope: FieldEnvelope | null;
}

function countPersonalStrings(plan: PersonalFieldNode, value: unknown): number {
  let count = 0;
  mapPersonalStrings(plan, value, (text) => {
    count++;
    return text;
  });
  return count;
}

function streamOf(record: string, value: Record<string, unknown>, streamId: string | undefined): string {
  const stream = streamId ?? value.streamId;
  if (typeof stream !== 'string' || stream === '')
    throw new Error(`${record} has personal fields but no stream id to choose their key`);
  return stream;
}
