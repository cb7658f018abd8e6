import type { IntegrationEvent, RecordedUserEvent } from '@eventfold/users-domain';
import { compareFacts, expectedFacts } from './expectedFacts';
import type { PublishedFact } from './publishedFacts';
import type { Lifecycle, Step } from './userLifecycles';

// The fault test's judge must be able to fail: these are the topics it has to refuse, and the ones it must accept.

const ada = '00000000-0000-8000-8000-00000000000a';
const cy = '00000000-0000-8000-8000-00000000000c';
const commandIdOf = (key: string) => `command-${key}`;

function lifecycle(userId: string, kinds: Step['kind'][]): Lifecycle {
  return {
    userId,
    steps: kinds.map((kind, i): Step => {
      const base = { version: i + 1, idempotencyKey: `${userId}-${i}` };
      if (kind === 'register') return { kind, name: `${userId} 0`, email: `${userId}@example.com`, ...base };
      if (kind === 'rename' || kind === 'correct') return { kind, name: `${userId} ${i}`, ...base };
      return { kind, ...base };
    }),
  };
}

const types = {
  register: 'UserRegistered',
  rename: 'UserNameChanged',
  correct: 'UserNameCorrected',
  deactivate: 'UserDeactivated',
  reactivate: 'UserReactivated',
  forget: 'UserForgotten',
} as const;

const logOf = (lifecycles: Lifecycle[]): RecordedUserEvent[] =>
  lifecycles.flatMap(({ userId, steps }) =>
    steps.map(
      (s) =>
        ({
          type: types[s.kind],
          data: {},
          metadata: {
            eventId: `${userId}-event-${s.version}`,
            streamId: `user-${userId}`,
            version: s.version,
            occurredAt: 1000 + s.version,
            causationId: commandIdOf(s.idempotencyKey),
          },
        }) as unknown as RecordedUserEvent,
    ),
  );

const at = (facts: readonly IntegrationEvent[], partition = 0): PublishedFact[] =>
  facts.map((fact, i) => ({ fact, key: fact.data.userId, partition, offset: BigInt(i) }));

/** A personal field the translator could no longer read, as it publishes it. */
const unreadable = (fact: IntegrationEvent): IntegrationEvent =>
  fact.type === 'UserErased'
    ? fact
    : ({ ...fact, data: { ...fact.data, name: null, email: null } } as IntegrationEvent);

describe('the fault test’s expected facts of users.integration.v1', () => {
  const users = [
    lifecycle(ada, ['register', 'rename', 'deactivate', 'reactivate', 'correct']),
    lifecycle(cy, ['register', 'rename', 'rename', 'forget']),
  ];
  const expected = expectedFacts(users, logOf(users), commandIdOf);
  const [adaFacts] = expected.byUser.get(ada)!;
  const [cyFacts] = expected.byUser.get(cy)!;

  it('makes one fact per acknowledged step, each with the profile after it', () => {
    expect(expected.problems).toEqual([]);
    expect(adaFacts!.map((f) => f.type)).toEqual([
      'UserJoined',
      'UserProfileChanged',
      'UserLeft',
      'UserReturned',
      'UserProfileChanged',
    ]);
    expect(adaFacts![4]!.data).toMatchObject({ name: `${ada} 4`, status: 'active', sourceVersion: 5 });
    expect(cyFacts!.at(-1)).toEqual({
      type: 'UserErased',
      eventId: `${cy}-event-4`,
      data: { userId: cy, sourceVersion: 4, occurredAt: 1004 },
    });
  });

  it('accepts exactly those facts, and a forgotten user’s translated after the erasure', () => {
    expect(compareFacts(expected, [...at(adaFacts!), ...at(cyFacts!, 1)])).toEqual([]);
    // All translated after the erasure: the joining without personal data, the renames look like nothing.
    const late = [unreadable(cyFacts![0]!), cyFacts![3]!];
    expect(compareFacts(expected, [...at(adaFacts!), ...at(late, 1)])).toEqual([]);
    // The first rename read after it: the name and the address become null (the key is gone for both), the
    // second rename shows nothing.
    const renamed = cyFacts![1]!;
    const erased = { ...renamed.data, name: null, email: null, changed: ['name', 'email'] };
    const midway = [cyFacts![0]!, { ...renamed, data: erased } as IntegrationEvent, cyFacts![3]!];
    expect(compareFacts(expected, [...at(adaFacts!), ...at(midway, 1)])).toEqual([]);
    // The address kept as published after a name read as erased is personal data after null: refused.
    const leaky = [
      cyFacts![0]!,
      { ...renamed, data: { ...renamed.data, name: null } } as IntegrationEvent,
      cyFacts![3]!,
    ];
    expect(compareFacts(expected, [...at(adaFacts!), ...at(leaky, 1)])).not.toEqual([]);
  });

  it('refuses a fact twice, one missing, one out of order, one nobody caused, or personal data after null', () => {
    const cyOk = at(cyFacts!, 1);
    const refused = (adaPublished: readonly IntegrationEvent[], more: PublishedFact[] = []) =>
      compareFacts(expected, [...at(adaPublished), ...cyOk, ...more]);
    expect(refused([...adaFacts!, adaFacts![2]!])).toEqual([
      expect.stringContaining('published twice'),
      expect.stringContaining(`${ada}: published`),
    ]);
    expect(refused(adaFacts!.slice(0, 4))).toEqual([expect.stringContaining(`${ada}: published`)]);
    const swapped = [adaFacts![0]!, adaFacts![2]!, adaFacts![1]!, adaFacts![3]!, adaFacts![4]!];
    expect(refused(swapped)).toEqual([expect.stringContaining(`${ada}: published`)]);
    const stranger = { ...adaFacts![0]!, eventId: 'x', data: { ...adaFacts![0]!.data, userId: 'nobody' } };
    expect(refused(adaFacts!, at([stranger as IntegrationEvent], 2))).toEqual([
      expect.stringContaining('a user no client made'),
    ]);
    const readableAgain = [unreadable(cyFacts![0]!), cyFacts![1]!, cyFacts![2]!, cyFacts![3]!];
    expect(compareFacts(expected, [...at(adaFacts!), ...at(readableAgain, 1)])).toEqual([
      expect.stringContaining(`${cy}: published`),
    ]);
  });

  it('reports a step whose event is not in the log as answered', () => {
    const log = logOf(users).filter((e) => e.metadata.eventId !== `${ada}-event-3`);
    expect(expectedFacts(users, log, commandIdOf).problems).toEqual([
      `${ada}: deactivate answered version 3, the log has nothing there`,
    ]);
  });
});
