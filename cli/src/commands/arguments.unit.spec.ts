import { CliError } from './output';
import { deadLetterView } from './dlq';
import { parseReplayTarget } from './replay';
import { emailStreamIdsFor } from '@eventfold/command-service';
import { parseMasterKey } from '@eventfold/crypto';
import { TEST_KEY_ENCRYPTION_KEY } from '@eventfold/testing';
import { emailStreamIdOf, streamIdOf } from './streamsShow';

describe('replay --to', () => {
  it('reads the ends of the log, offsets and ISO times', () => {
    expect(parseReplayTarget('earliest')).toEqual({ kind: 'earliest' });
    expect(parseReplayTarget('latest')).toEqual({ kind: 'latest' });
    expect(parseReplayTarget('1200')).toEqual({ kind: 'offset', offset: 1200n });
    expect(parseReplayTarget('2026-11-26T15:00:00Z')).toEqual({
      kind: 'time',
      at: new Date('2026-11-26T15:00:00Z'),
    });
    expect(parseReplayTarget('2026-11-26T15:00:00.250+01:00')).toEqual({
      kind: 'time',
      at: new Date('2026-11-26T14:00:00.250Z'),
    });
  });

  it.each(['yesterday', '2026-13-45T99:00:00Z', '15:00', '-3', '2026-11-26 15:00', ''])(
    "refuses '%s' with a message that says what is accepted",
    (text) => {
      expect(() => parseReplayTarget(text)).toThrow(CliError);
      expect(() => parseReplayTarget(text)).toThrow(/earliest, latest, an offset .* or an ISO time/);
    },
  );
});

describe('streams show <id>', () => {
  it('takes a user id or a stream id', () => {
    const id = '0b0d6f4e-7a43-4f0c-9d2a-3f1b2c4d5e6f';
    expect(streamIdOf(id)).toBe(`user-${id}`);
    expect(streamIdOf(`user-${id}`)).toBe(`user-${id}`);
    expect(streamIdOf(id.toUpperCase())).toBe(`user-${id}`);
    expect(() => streamIdOf('bob')).toThrow(/neither a user id/);
    const reservation = `email-${'ab'.repeat(32)}`;
    expect(streamIdOf(reservation.toUpperCase().replace('EMAIL-', 'email-'))).toBe(reservation);
    expect(() => streamIdOf('email-ada@example.com')).toThrow(/neither a user id/);
  });

  it("keys --email as the command service keys an address's stream, and needs the master key for it", () => {
    const env = { KEY_ENCRYPTION_KEY: TEST_KEY_ENCRYPTION_KEY };
    const stream = emailStreamIdOf(' Ada@Example.com ', env);
    expect(stream).toMatch(/^email-[0-9a-f]{64}$/);
    // Normalised as the domain does (the domain's case and the blanks go, the local part's case stays).
    expect(stream).toBe(emailStreamIdsFor(parseMasterKey(TEST_KEY_ENCRYPTION_KEY))('Ada@example.com'));
    expect(() => emailStreamIdOf('ada@example.com', {})).toThrow(/KEY_ENCRYPTION_KEY must be set/);
  });
});

describe('dead letters', () => {
  it("reads the projector's letters from their headers", () => {
    const view = deadLetterView(3, {
      key: Buffer.from('user-1'),
      value: Buffer.from([0, 0, 0, 0, 1]),
      offset: '7',
      timestamp: '0',
      attributes: 0,
      headers: {
        'dlq-source-topic': 'users.events',
        'dlq-source-partition': '5',
        'dlq-source-offset': '42',
        'dlq-consumer-group': 'projector.users',
        'dlq-error-code': 'STREAM_GAP',
        'dlq-error-message': 'version 3 after 1',
        'dlq-attempts': '3',
        'dlq-at': '2026-11-26T10:00:00.000Z',
      },
    });
    expect(view).toEqual({
      dlqPartition: 3,
      dlqOffset: '7',
      key: 'user-1',
      source: { topic: 'users.events', partition: 5, offset: '42' },
      groupId: 'projector.users',
      reason: 'STREAM_GAP',
      message: 'version 3 after 1',
      attempts: 3,
      at: '2026-11-26T10:00:00.000Z',
      notification: null,
    });
  });

  it("reads the notifier's JSON letters", () => {
    const letter = {
      reason: 'permanent',
      attempts: 1,
      error: { code: '550', message: 'mailbox unavailable' },
      source: { topic: 'users.events', partition: 1, offset: '9' },
      deadLetteredAt: '2026-11-26T10:00:00.000Z',
    };
    const view = deadLetterView(0, {
      key: Buffer.from('user-2'),
      value: Buffer.from(JSON.stringify(letter)),
      offset: '0',
      timestamp: '0',
      attributes: 0,
      headers: {},
    });
    expect(view).toMatchObject({ source: letter.source, groupId: null, reason: 'permanent', attempts: 1 });
  });
});
