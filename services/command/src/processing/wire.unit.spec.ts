import { loadSchemaCatalog } from '@eventfold/avro';
import { ERASED, type CommandMetadata } from '@eventfold/core';
import type { UserCommand, UserCommandType, UserState } from '@eventfold/users-domain';
import type { StreamCommand } from './streamCommands';
import type { StreamRecord } from './streamRecord';
import { envelopeFromRecord, envelopeToRecord, snapshotFromRecord, snapshotToRecord } from './wire';

const userId = '0f8fad5b-d9cb-469f-a165-70867728950e';
const streamId = `user-${userId}`;
const metadata: CommandMetadata = {
  commandId: 'cmd-1',
  now: Date.UTC(2026, 10, 26, 15, 0),
  actor: 'key:admin',
  correlationId: 'corr-1',
  causationId: 'cmd-1',
};

// One example per command type: the compiler demands an entry for each, so a new command shows up here and
// fails below until UserCommandEnvelope has a payload branch for it.
const examples: { [T in UserCommandType]: Extract<UserCommand, { type: T }>['data'] } = {
  RegisterUser: { userId, name: 'Ada Lovelace', email: 'ada@example.com', locale: 'en-GB' },
  ImportUser: {
    userId,
    name: 'Ada Lovelace',
    email: 'ada@example.com',
    deactivated: true,
    source: { table: 'users', legacyId: '42', updatedAt: Date.UTC(2025, 0, 2) },
  },
  ChangeUserName: { name: 'Ada King', reason: 'marriage' },
  CorrectUserName: { name: 'Ada King-Noel', reason: 'spelling' },
  ChangeUserEmail: { email: 'ada@example.org' },
  DeactivateUser: { reason: null },
  ReactivateUser: {},
  ForgetUser: { reason: 'erasure request' },
};

const catalog = loadSchemaCatalog();
const envelopeType = catalog.get('eventfold.users.UserCommandEnvelope')!.current.type;
const snapshotType = catalog.get('eventfold.users.UserStreamSnapshot')!.current.type;

describe('command envelopes on the wire', () => {
  it.each(Object.entries(examples))('%s survives an Avro round trip unchanged', (type, data) => {
    const envelope = {
      streamId,
      expectedVersion: 4,
      command: { type, data, metadata } as UserCommand,
      requestFingerprint: 'fp',
    };
    const value = envelopeToRecord(envelope);
    expect(envelopeType.isValid(value)).toBe(true);
    const decoded = envelopeType.fromBuffer(envelopeType.toBuffer(value)) as Record<string, unknown>;
    expect(envelopeFromRecord(decoded)).toEqual(envelope);
  });
});

describe('stream snapshots on the wire', () => {
  const record = (state: UserState): StreamRecord => ({
    streamId,
    state,
    version: 3,
    lastEventOffset: 41n,
    lastEventPartition: 2,
    recent: [],
  });
  const roundTrip = (r: StreamRecord) =>
    snapshotFromRecord(snapshotType.fromBuffer(snapshotType.toBuffer(snapshotToRecord(r))));
  const user = { userId, name: 'Ada', email: 'ada@example.com', locale: 'en' };

  it('keeps a user that was not forgotten as it is', () => {
    const r = record({ status: 'active', ...user, forgotten: false });
    expect(roundTrip(r)).toEqual(r);
  });

  it('writes no personal field for a forgotten user, and restores it erased and forgotten', () => {
    const r = record({ status: 'deactivated', ...user, name: ERASED, email: ERASED, forgotten: true });
    const value = snapshotToRecord(r);
    expect(value).toMatchObject({ name: null, email: null, forgotten: true, locale: 'en' });
    expect(roundTrip(r)).toEqual(r);
  });

  it('keeps the fingerprints of the remembered commands', () => {
    const result = {
      commandId: 'k',
      streamId,
      commandType: 'ChangeUserName',
      outcome: 'succeeded' as const,
      version: 3,
      eventCount: 1,
      consistencyToken: '2:41',
      error: null,
      completedAt: 1,
    };
    const r = {
      ...record({ status: 'active', ...user, forgotten: false }),
      recent: [
        { commandId: 'k', completedAt: 1, result, fingerprint: 'fp' },
        { commandId: 'j', completedAt: 2, result: { ...result, commandId: 'j' }, fingerprint: null },
      ],
    };
    expect(roundTrip(r)).toEqual(r);
  });

  it('reads an envelope and a snapshot written before fingerprints without one', () => {
    const envelopeV2 = catalog.get('eventfold.users.UserCommandEnvelope')!.versions[1]!.type;
    const old = envelopeToRecord({
      streamId,
      expectedVersion: null,
      command: { type: 'ReactivateUser', data: {}, metadata },
    });
    delete old.requestFingerprint;
    const decoded = envelopeType.fromBuffer(
      envelopeV2.toBuffer(old),
      envelopeType.createResolver(envelopeV2),
    );
    expect(envelopeFromRecord(decoded).requestFingerprint).toBeNull();
  });

  it('reads a snapshot written before the forgotten field existed as not forgotten', () => {
    const v1 = catalog.get('eventfold.users.UserStreamSnapshot')!.versions[0]!.type;
    const old = { ...snapshotToRecord(record({ status: 'active', ...user, forgotten: false })) };
    delete old.forgotten;
    const resolved = snapshotType.fromBuffer(v1.toBuffer(old), snapshotType.createResolver(v1));
    expect(snapshotFromRecord(resolved).state).toEqual({ status: 'active', ...user, forgotten: false });
  });
});

describe('reservation streams on the wire (decision 0016)', () => {
  const emailStream = `email-${'ab'.repeat(32)}`;
  const reservationMetadata = { ...metadata, commandId: 'cmd-2' };
  const commands = [
    { type: 'ReserveEmail', data: { userId, claimId: 'cmd-1' } },
    { type: 'ConfirmEmail', data: { userId, claimId: 'cmd-1', userVersion: 3 } },
    { type: 'ReleaseEmail', data: { userId, userVersion: 4 } },
    { type: 'ExpireEmailReservation', data: { claimId: 'cmd-1' } },
    { type: 'SettleEmailClaim', data: { claimId: 'cmd-1', emailStreamId: emailStream } },
  ] as const;

  it.each(commands.map((c) => [c.type, c]))('%s survives an Avro round trip unchanged', (_type, c) => {
    const envelope = {
      streamId: c.type === 'SettleEmailClaim' ? streamId : emailStream,
      expectedVersion: null,
      command: { ...c, metadata: reservationMetadata } as StreamCommand,
      requestFingerprint: null,
    };
    const value = envelopeToRecord(envelope);
    expect(envelopeType.isValid(value)).toBe(true);
    const decoded = envelopeType.fromBuffer(envelopeType.toBuffer(value)) as Record<string, unknown>;
    expect(envelopeFromRecord(decoded)).toEqual(envelope);
  });

  it.each([
    [{ status: 'free' }],
    [
      {
        status: 'held',
        userId,
        pending: [{ claimId: 'cmd-1', reservedAt: metadata.now }],
        confirmedAtVersion: null,
      },
    ],
    [{ status: 'held', userId, pending: [], confirmedAtVersion: 3 }],
  ] as const)('keeps a reservation stream %j through a snapshot, with no address in it', (state) => {
    const r: StreamRecord = {
      streamId: emailStream,
      state,
      version: 2,
      lastEventOffset: 9n,
      lastEventPartition: 1,
      recent: [],
    };
    const value = snapshotToRecord(r);
    expect(value).toMatchObject({ name: null, email: null });
    expect(snapshotFromRecord(snapshotType.fromBuffer(snapshotType.toBuffer(value)))).toEqual(r);
  });
});
