import {
  ERASED,
  EventfoldError,
  fold,
  handleCommand,
  type RecordedEvent,
  type StreamState,
} from '@eventfold/core';
import fc from 'fast-check';
import type { UserCommand } from './commands';
import { userDecider } from './decider';
import type { UserEvent } from './events';
import type { UserState } from './state';
import { metadata, userId } from './testing/fixtures';

const name = fc.constantFrom(
  'Ada',
  'Ada Lovelace',
  'Grace Hopper',
  ' Grace Hopper ',
  'Zoë',
  'Émilie du Châtelet',
);
const email = fc.constantFrom('ada@example.com', 'ADA@Example.com', 'grace@navy.mil', 'g.h@example.org');
const reason = fc.option(fc.constantFrom('typo', 'marriage', ' '), { nil: null });

const userCommand: fc.Arbitrary<UserCommand> = fc.oneof(
  fc
    .record({ name, email, locale: fc.constantFrom(null, 'en', 'pt-BR') })
    .map((d): UserCommand => ({ type: 'RegisterUser', data: { userId, ...d }, metadata })),
  fc.record({ name, reason }).map((data): UserCommand => ({ type: 'ChangeUserName', data, metadata })),
  fc
    .record({ name, reason: fc.constantFrom('typo', 'wrong at sign-up') })
    .map((data): UserCommand => ({ type: 'CorrectUserName', data, metadata })),
  email.map((e): UserCommand => ({ type: 'ChangeUserEmail', data: { email: e }, metadata })),
  reason.map((r): UserCommand => ({ type: 'DeactivateUser', data: { reason: r }, metadata })),
  fc.constant<UserCommand>({ type: 'ReactivateUser', data: {}, metadata }),
  reason.map((r): UserCommand => ({ type: 'ForgetUser', data: { reason: r }, metadata })),
);

const personal = (e: UserEvent): string[] => {
  switch (e.type) {
    case 'UserRegistered':
      return [e.data.name, e.data.email];
    case 'UserNameChanged':
    case 'UserNameCorrected':
      return [e.data.oldName, e.data.newName];
    case 'UserEmailChanged':
      return [e.data.oldEmail, e.data.newEmail];
    default:
      return [];
  }
};

describe('the users decider, for any sequence of commands', () => {
  it('keeps versions contiguous from 1, and folding the recorded events gives the state every decision saw', () => {
    fc.assert(
      fc.property(fc.array(userCommand, { maxLength: 40 }), (commands) => {
        let stream: StreamState<UserState> = { state: userDecider.initialState(), version: 0 };
        const log: RecordedEvent<UserEvent>[] = [];
        for (const command of commands) {
          expect(fold(userDecider, log)).toEqual(stream.state);
          try {
            const decision = handleCommand(userDecider, `user-${userId}`, stream, command, stream.version);
            log.push(...decision.events);
            stream = decision.next;
          } catch (error) {
            // A rejection is typed and changes nothing.
            expect(error).toBeInstanceOf(EventfoldError);
          }
        }
        expect(log.map((e) => e.metadata.version)).toEqual(log.map((_, i) => i + 1));
        expect(stream.version).toBe(log.length);
        expect(fold(userDecider, log)).toEqual(stream.state);
        expect(new Set(log.map((e) => e.metadata.eventId)).size).toBe(log.length);
      }),
      { numRuns: 300 },
    );
  });

  it('once forgotten, stays forgotten: erased fields, at most one UserForgotten, no personal data after it', () => {
    fc.assert(
      fc.property(fc.array(userCommand, { maxLength: 40 }), (commands) => {
        let stream: StreamState<UserState> = { state: userDecider.initialState(), version: 0 };
        const log: RecordedEvent<UserEvent>[] = [];
        for (const command of commands) {
          try {
            const decision = handleCommand(userDecider, `user-${userId}`, stream, command, stream.version);
            log.push(...decision.events);
            stream = decision.next;
          } catch (error) {
            expect(error).toBeInstanceOf(EventfoldError);
          }
        }
        const forgetAt = log.findIndex((e) => e.type === 'UserForgotten');
        expect(log.filter((e) => e.type === 'UserForgotten').length).toBe(forgetAt === -1 ? 0 : 1);
        if (forgetAt === -1) return;
        expect(log.slice(forgetAt + 1).flatMap(personal)).toEqual([]);
        expect(stream.state).toMatchObject({ forgotten: true, name: ERASED, email: ERASED });
      }),
      { numRuns: 300 },
    );
  });

  it('rejects a command whose expected version is not the current one, and writes nothing', () => {
    fc.assert(
      fc.property(fc.nat({ max: 5 }), fc.nat({ max: 5 }), (actual, expected) => {
        fc.pre(actual !== expected);
        const stream: StreamState<UserState> = { state: userDecider.initialState(), version: actual };
        const register: UserCommand = {
          type: 'RegisterUser',
          data: { userId, name: 'Ada', email: 'ada@example.com', locale: null },
          metadata,
        };
        expect(() => handleCommand(userDecider, `user-${userId}`, stream, register, expected)).toThrow(
          expect.objectContaining({ code: 'VERSION_MISMATCH' }),
        );
      }),
    );
  });
});
