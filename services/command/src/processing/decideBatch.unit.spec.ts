import type { UserCommand } from '@eventfold/users-domain';
import { emailStreamIds } from '../emailClaims/emailStreamIds';
import { decideBatch } from './decideBatch';
import type { IncomingCommand } from './streamCommands';
import type { StreamRecord } from './streamRecord';

const emailStreamOf = emailStreamIds(Buffer.alloc(32, 7));

const userId = '0f8fad5b-d9cb-469f-a165-70867728950e';
const streamId = `user-${userId}`;
const window = { windowMs: 24 * 60 * 60 * 1000, maxCommands: 100 };
const now = Date.UTC(2026, 11, 2, 10);

function incoming(
  command: Omit<UserCommand, 'metadata'>,
  commandId: string,
  requestFingerprint: string | null,
  expectedVersion: number | null = null,
): IncomingCommand {
  const metadata = { commandId, now, actor: 'key:a', correlationId: 'c', causationId: commandId };
  return {
    streamId,
    expectedVersion,
    command: { ...command, metadata } as UserCommand,
    homePartition: 0,
    requestFingerprint,
  };
}

const register = incoming(
  { type: 'RegisterUser', data: { userId, name: 'Ada', email: 'ada@example.com', locale: null } },
  'reg',
  'fp-register',
);

/** The stream after a registration and a rename that carried the key `k` (fingerprint `fp-rename`). */
function renamedWithKey(): ReadonlyMap<string, StreamRecord> {
  const first = decideBatch(0, new Map(), [register], window, now, emailStreamOf);
  const rename = incoming(
    { type: 'ChangeUserName', data: { name: 'Ada King', reason: null } },
    'k',
    'fp-rename',
  );
  return decideBatch(0, first.streams, [rename], window, now, emailStreamOf).streams;
}

describe('decideBatch: an Idempotency-Key that comes back', () => {
  it('answers the same request with the first result, and writes nothing', () => {
    const streams = renamedWithKey();
    const again = incoming(
      { type: 'ChangeUserName', data: { name: 'Ada King', reason: null } },
      'k',
      'fp-rename',
    );
    const decision = decideBatch(0, streams, [again], window, now + 1000, emailStreamOf);
    expect(decision.decided[0]).toMatchObject({
      repeated: true,
      events: [],
      result: { outcome: 'succeeded', version: 2 },
    });
    expect(decision.streams.size).toBe(0);
  });

  it('refuses another request with the same key (a forget after a rename), and keeps the key the first one’s', () => {
    const streams = renamedWithKey();
    const forget = incoming({ type: 'ForgetUser', data: { reason: null } }, 'k', 'fp-forget');
    const decision = decideBatch(0, streams, [forget], window, now + 1000, emailStreamOf);
    expect(decision.decided[0]).toMatchObject({
      repeated: false,
      events: [],
      result: { outcome: 'rejected', error: { kind: 'illegal-state', code: 'IDEMPOTENCY_KEY_REUSED' } },
    });
    expect(decision.streams.size).toBe(0);
    const rename = incoming(
      { type: 'ChangeUserName', data: { name: 'Ada King', reason: null } },
      'k',
      'fp-rename',
    );
    expect(decideBatch(0, streams, [rename], window, now + 2000, emailStreamOf).decided[0]!.repeated).toBe(
      true,
    );
  });

  it('answers from the window when a remembered command has no fingerprint (remembered before fingerprints)', () => {
    const streams = new Map(renamedWithKey());
    const record = streams.get(streamId)!;
    streams.set(streamId, { ...record, recent: record.recent.map((r) => ({ ...r, fingerprint: null })) });
    const other = incoming({ type: 'ForgetUser', data: { reason: null } }, 'k', 'fp-forget');
    expect(decideBatch(0, streams, [other], window, now + 1000, emailStreamOf).decided[0]!.repeated).toBe(
      true,
    );
  });
});
