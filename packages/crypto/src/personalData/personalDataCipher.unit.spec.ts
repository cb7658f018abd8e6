import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { loadSchemaCatalog } from '@eventfold/avro';
import { EnvelopeKeyStore } from '../dataKeys/envelopeKeyStore';
import { InMemoryKeyRecords } from '../dataKeys/inMemoryKeyRecords';
import type { KeyStore } from '../dataKeys/keyStore';
import { CryptoErrorCode, DataKeyForgottenError } from '../errors';
import { generateMasterKey, parseMasterKey } from '../masterKey/masterKey';
import { PersonalDataCipher, type PersonalDataCipherOptions } from './personalDataCipher';
import { ERASED, formatEnvelope, parseEnvelope, PII_KEY_ID_HEADER } from './wireFormat';

const catalog = loadSchemaCatalog();
const users = (name: string) => `eventfold.users.${name}`;
const typeOf = (record: string) => catalog.get(record)!.current.type;

function newStream() {
  const userId = randomUUID();
  return { userId, streamId: `user-${userId}` };
}

const metadata = (streamId: string) => ({
  eventId: randomUUID(),
  streamId,
  version: 1,
  occurredAt: Date.UTC(2026, 10, 26, 15),
  correlationId: 'corr-1',
  causationId: 'cmd-1',
  actor: 'key:admin',
});

/** One value of every record that carries personal data, for a given stream and name/email. */
function samples(streamId: string, userId: string, name: string, email: string) {
  const command = (branch: string, data: Record<string, unknown>) => ({
    commandId: randomUUID(),
    streamId,
    expectedVersion: null,
    issuedAt: Date.UTC(2026, 10, 26, 15),
    actor: 'key:admin',
    correlationId: 'corr-1',
    causationId: 'corr-1',
    payload: { [users(branch)]: data },
    requestFingerprint: null,
  });
  return [
    [users('UserRegistered'), { ...metadata(streamId), userId, name, email, locale: 'en' }],
    [
      users('UserNameChanged'),
      { ...metadata(streamId), userId, oldName: name, newName: `${name} II`, reason: null },
    ],
    [
      users('UserNameCorrected'),
      { ...metadata(streamId), userId, oldName: name, newName: `${name}e`, reason: 'typo' },
    ],
    [users('UserEmailChanged'), { ...metadata(streamId), userId, oldEmail: email, newEmail: `x${email}` }],
    [
      users('UserStreamSnapshot'),
      {
        streamId,
        version: 3,
        status: 'active',
        userId,
        name,
        email,
        locale: null,
        forgotten: false,
        pendingClaims: [],
        confirmedAtVersion: null,
        lastEventPartition: 2,
        lastEventOffset: 41,
        recentCommands: [],
      },
    ],
    [users('UserCommandEnvelope'), command('RegisterUserPayload', { userId, name, email, locale: null })],
    [users('UserCommandEnvelope'), command('ChangeUserNamePayload', { name, reason: null })],
    [users('UserCommandEnvelope'), command('CorrectUserNamePayload', { name, reason: 'typo' })],
    [users('UserCommandEnvelope'), command('ChangeUserEmailPayload', { email })],
  ] as [string, Record<string, unknown>][];
}

let keys: KeyStore;
let cipher: PersonalDataCipher;
const newCipher = (options: Partial<PersonalDataCipherOptions> = {}) =>
  new PersonalDataCipher({ catalog, keys, ...options });

beforeEach(async () => {
  keys = await EnvelopeKeyStore.open(new InMemoryKeyRecords(), parseMasterKey(generateMasterKey()));
  cipher = newCipher();
});

describe('PersonalDataCipher', () => {
  it('encrypts every personal field of every record in place, and decrypts it back', async () => {
    const { streamId, userId } = newStream();
    for (const [record, value] of samples(streamId, userId, 'Ada Lovelace', 'ada@example.com')) {
      const encrypted = await cipher.encrypt(record, value);
      const key = await keys.get({ streamId });
      expect(encrypted.keyId).toBe(key !== null && key !== 'forgotten' ? key.keyId : 'no key');
      const bytes = typeOf(record).toBuffer(encrypted.value);
      expect(bytes.includes('Ada')).toBe(false);
      expect(bytes.includes('ada@')).toBe(false);
      const decoded = typeOf(record).fromBuffer(bytes) as Record<string, unknown>;
      const decrypted = await cipher.decrypt(record, decoded);
      expect(decrypted).toEqual({ value, erased: false, erasedFields: [], keyId: encrypted.keyId });
    }
  });

  it('writes self-describing strings: ef1, the key id, then base64url of iv, ciphertext and tag', async () => {
    const { streamId, userId } = newStream();
    const [record, value] = samples(streamId, userId, 'Ada', 'ada@example.com')[0]!;
    const { value: encrypted, keyId } = await cipher.encrypt(record, value);
    expect(encrypted.name).toMatch(new RegExp(`^ef1:${streamId}#[A-Za-z0-9_-]{11}:[A-Za-z0-9_-]+$`));
    const envelope = parseEnvelope(encrypted.name as string)!;
    expect(envelope.keyId).toBe(keyId);
    expect(envelope.sealed.length).toBe(12 + Buffer.byteLength('Ada') + 16);
    // A fresh IV each time: the same name never gives the same ciphertext twice.
    const again = await cipher.encrypt(record, value);
    expect(again.value.name).not.toBe(encrypted.name);
    expect(again.keyId).toBe(keyId);
    expect(PII_KEY_ID_HEADER).toBe('pii-key-id');
  });

  it('leaves records without personal strings alone, and creates no key for them', async () => {
    const { streamId, userId } = newStream();
    const deactivated = { ...metadata(streamId), userId, reason: 'left' };
    const snapshot = {
      ...samples(streamId, userId, 'a', 'b')[4]![1],
      status: 'not-registered',
      name: null,
      email: null,
    };
    for (const [record, value] of [
      [users('UserDeactivated'), deactivated],
      [users('UserStreamSnapshot'), snapshot],
    ] as const) {
      expect(await cipher.encrypt(record, value)).toEqual({ value, keyId: null });
      expect(await cipher.decrypt(record, value)).toEqual({
        value,
        erased: false,
        erasedFields: [],
        keyId: null,
      });
    }
    expect(await keys.get({ streamId })).toBeNull();
  });

  it('keeps nulls null', async () => {
    const { streamId, userId } = newStream();
    const snapshot = { ...samples(streamId, userId, 'Ada', 'ada@example.com')[4]![1], email: null };
    const { value } = await cipher.encrypt(users('UserStreamSnapshot'), snapshot);
    expect(value.email).toBeNull();
    expect((await cipher.decrypt(users('UserStreamSnapshot'), value)).value).toEqual(snapshot);
  });

  describe('refuses a ciphertext', () => {
    const record = users('UserNameChanged');
    let encrypted: Record<string, unknown>;
    let streamId: string;
    let userId: string;

    beforeEach(async () => {
      ({ streamId, userId } = newStream());
      encrypted = (await cipher.encrypt(record, samples(streamId, userId, 'Ada', 'a@b.c')[1]![1])).value;
    });

    it('moved to another field of the same stream', async () => {
      const swapped = { ...encrypted, oldName: encrypted.newName, newName: encrypted.oldName };
      await expect(cipher.decrypt(record, swapped)).rejects.toMatchObject({
        code: CryptoErrorCode.CiphertextRejected,
        message: expect.stringContaining('oldName fails authentication'),
      });
    });

    it('moved to another stream', async () => {
      const other = newStream();
      await keys.getOrCreate(other.streamId);
      const moved = { ...encrypted, streamId: other.streamId, userId: other.userId };
      await expect(cipher.decrypt(record, moved)).rejects.toMatchObject({
        code: CryptoErrorCode.CiphertextRejected,
      });
      // Relabelled with the other stream's key id, it still fails: the stream and key are bound in.
      const otherKey = await keys.getOrCreate(other.streamId);
      const relabelled = {
        ...moved,
        oldName: formatEnvelope({
          keyId: otherKey.keyId,
          sealed: parseEnvelope(encrypted.oldName as string)!.sealed,
        }),
      };
      await expect(cipher.decrypt(record, relabelled)).rejects.toMatchObject({
        code: CryptoErrorCode.CiphertextRejected,
      });
    });

    it('tampered with (any bit flipped)', async () => {
      const sealed = parseEnvelope(encrypted.oldName as string)!.sealed;
      for (let i = 0; i < sealed.length; i++) {
        const flipped = Buffer.from(sealed);
        flipped[i]! ^= 1 << (i % 8);
        const keyId = parseEnvelope(encrypted.oldName as string)!.keyId;
        const tampered = { ...encrypted, oldName: formatEnvelope({ keyId, sealed: flipped }) };
        await expect(cipher.decrypt(record, tampered)).rejects.toMatchObject({
          code: CryptoErrorCode.CiphertextRejected,
        });
      }
    });

    it.each([
      ['truncated', (s: string) => s.slice(0, 30)],
      ['without its key id', () => 'ef1::AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'],
      ['not base64url', (s: string) => `${s}!`],
    ])('malformed (%s)', async (_how, damage) => {
      const malformed = { ...encrypted, oldName: damage(encrypted.oldName as string) };
      await expect(cipher.decrypt(record, malformed)).rejects.toMatchObject({
        code: CryptoErrorCode.CiphertextMalformed,
      });
    });

    it('under a key the store never had', async () => {
      const sealed = parseEnvelope(encrypted.oldName as string)!.sealed;
      const unknown = { ...encrypted, oldName: formatEnvelope({ keyId: `${streamId}#AAAAAAAAAAA`, sealed }) };
      await expect(cipher.decrypt(record, unknown)).rejects.toMatchObject({
        code: CryptoErrorCode.DataKeyUnknown,
      });
    });
  });

  describe('after the person is forgotten', () => {
    it('decrypts every record to the erased form: personal fields erased, the rest intact, and says so', async () => {
      const { streamId, userId } = newStream();
      const written = samples(streamId, userId, 'Ada Lovelace', 'ada@example.com');
      const encrypted = await Promise.all(written.map(async ([r, v]) => (await cipher.encrypt(r, v)).value));
      await keys.forget(streamId);
      for (const [i, [record, value]] of written.entries()) {
        const paths = cipher.personalFieldPaths(record);
        const decrypted = await cipher.decrypt(
          record,
          typeOf(record).fromBuffer(typeOf(record).toBuffer(encrypted[i])),
        );
        expect(decrypted.erased).toBe(true);
        expect(decrypted.erasedFields.length).toBeGreaterThan(0);
        expect(decrypted.erasedFields.every((p) => paths.includes(p))).toBe(true);
        const shown = JSON.stringify(decrypted.value);
        expect(shown).not.toContain('Ada');
        expect(shown).not.toContain('ada@');
        expect(shown).toContain(ERASED);
        // Everything that is not personal is as written, and the erased form is still a valid record.
        const { streamId: s, userId: u, version } = value;
        expect(decrypted.value).toMatchObject({
          streamId: s,
          ...(u ? { userId: u } : {}),
          ...(version ? { version } : {}),
        });
        expect(typeOf(record).isValid(decrypted.value)).toBe(true);
      }
    });

    it('erases exactly the personal fields of an event', async () => {
      const { streamId, userId } = newStream();
      const [record, value] = samples(streamId, userId, 'Ada', 'ada@example.com')[0]!;
      const { value: encrypted } = await cipher.encrypt(record, value);
      await keys.forget(streamId);
      expect(await cipher.decrypt(record, encrypted)).toEqual({
        value: { ...value, name: ERASED, email: ERASED },
        erased: true,
        erasedFields: ['name', 'email'],
        keyId: null,
      });
    });

    it('refuses to encrypt new personal data for them', async () => {
      const { streamId, userId } = newStream();
      await keys.forget(streamId);
      const [record, value] = samples(streamId, userId, 'Ada', 'ada@example.com')[0]!;
      await expect(cipher.encrypt(record, value)).rejects.toBeInstanceOf(DataKeyForgottenError);
    });
  });

  describe('personal data in plaintext (written before encryption was switched on)', () => {
    const plain = () => {
      const { streamId, userId } = newStream();
      return { streamId, value: samples(streamId, userId, 'Ada', 'ada@example.com')[0]![1] };
    };

    it('is refused by default', async () => {
      await expect(cipher.decrypt(users('UserRegistered'), plain().value)).rejects.toMatchObject({
        code: CryptoErrorCode.PlaintextRejected,
      });
    });

    it('passes when accepted, and reads as erased once the person is forgotten', async () => {
      const accepting = newCipher({ plaintext: 'accept' });
      const { streamId, value } = plain();
      expect((await accepting.decrypt(users('UserRegistered'), value)).value).toEqual(value);
      await keys.forget(streamId);
      for (const c of [accepting, cipher]) {
        expect(await c.decrypt(users('UserRegistered'), value)).toMatchObject({
          value: { name: ERASED, email: ERASED },
          erased: true,
        });
      }
    });
  });

  it('decrypts as an older reader version when told to, as the codec does', async () => {
    const older = newCipher({ readerVersions: { [users('UserRegistered')]: 1 } });
    const { streamId, userId } = newStream();
    const value = { ...metadata(streamId), userId, name: 'Ada', email: 'ada@example.com' };
    const { value: encrypted } = await older.encrypt(users('UserRegistered'), value);
    expect((await older.decrypt(users('UserRegistered'), encrypted)).value).toEqual(value);
  });

  it('round-trips any name and email, through Avro, without a trace of them in the bytes', async () => {
    const text = fc.string({ unit: 'binary', maxLength: 80 });
    await fc.assert(
      fc.asyncProperty(text, text, fc.nat({ max: 8 }), async (name, email, which) => {
        const { streamId, userId } = newStream();
        const [record, value] = samples(streamId, userId, name, email)[which]!;
        const encrypted = await cipher.encrypt(record, value);
        const bytes = typeOf(record).toBuffer(encrypted.value);
        for (const secret of [name, email].filter((s) => Buffer.byteLength(s) >= 6))
          expect(bytes.includes(Buffer.from(secret))).toBe(false);
        const decrypted = await cipher.decrypt(
          record,
          typeOf(record).fromBuffer(bytes) as Record<string, unknown>,
        );
        expect(decrypted.value).toEqual(value);
        expect(decrypted.erased).toBe(false);
      }),
      { numRuns: 200 },
    );
  });

  it('seals a stored string under the stream key, opens it, and opens it as erased once the stream is forgotten', async () => {
    const { streamId } = newStream();
    const sealed = await cipher.sealText(streamId, 'recipient.email', 'ada@example.com');
    expect(sealed).not.toContain('ada@example.com');
    expect(parseEnvelope(sealed)).not.toBeNull();
    expect(await cipher.openText(streamId, 'recipient.email', sealed)).toBe('ada@example.com');
    // Bound to its stream and path: moved elsewhere, it is refused.
    await expect(cipher.openText(streamId, 'recipient.name', sealed)).rejects.toMatchObject({
      code: CryptoErrorCode.CiphertextRejected,
    });
    // Stored before sealing began: answered as it is.
    expect(await cipher.openText(streamId, 'recipient.name', 'Ada')).toBe('Ada');
    await keys.forget(streamId);
    expect(await cipher.openText(streamId, 'recipient.email', sealed)).toBe(ERASED);
  });
});
