import type { IntegrationEvent, PublicProfile, RecordedUserEvent } from '@eventfold/users-domain';
import type { PublishedFact } from './publishedFacts';
import type { Lifecycle, Step } from './userLifecycles';

/** The domain event each acknowledged step made (packages/users-domain/src/events.ts). */
const eventTypeOf: Record<Step['kind'], RecordedUserEvent['type']> = {
  register: 'UserRegistered',
  rename: 'UserNameChanged',
  correct: 'UserNameCorrected',
  deactivate: 'UserDeactivated',
  reactivate: 'UserReactivated',
  forget: 'UserForgotten',
};

export interface ExpectedFacts {
  /**
   * Per user id, the sequences of facts users.integration.v1 may hold for the user, in order: one for a user never
   * forgotten; for a forgotten one, one per point from which the translator could no longer read the user's
   * personal data (decision 0017: a fact translated after the erasure carries null for them, and a change that
   * then looks like none publishes nothing). The first is the one where every fact was translated before it.
   */
  readonly byUser: ReadonlyMap<string, readonly (readonly IntegrationEvent[])[]>;
  /** Acknowledged steps whose event is not in users.events as answered (none, unless the command path is wrong). */
  readonly problems: readonly string[];
}

/** An acknowledged step with what users.events says of its event. */
interface Made {
  readonly step: Step;
  readonly eventId: string;
  readonly occurredAt: number;
  readonly sourceVersion: number;
}

/**
 * The facts of users.integration.v1 that follow from what the clients did and were answered (each acknowledged
 * step one fact, packages/users-domain/src/integration/translateEvent.ts): the profile after each step as the
 * clients set it; the event ids and times, which clients are not told, from users.events, where each step's
 * event must sit at the version it was answered and carry the command's id (`commandIdOf` its Idempotency-Key).
 */
export function expectedFacts(
  lifecycles: readonly Lifecycle[],
  log: readonly RecordedUserEvent[],
  commandIdOf: (idempotencyKey: string) => string,
): ExpectedFacts {
  const events = new Map(log.map((e) => [`${e.metadata.streamId}@${e.metadata.version}`, e]));
  const byUser = new Map<string, IntegrationEvent[][]>();
  const problems: string[] = [];
  for (const { userId, steps } of lifecycles) {
    const made: Made[] = [];
    for (const step of steps) {
      const event = events.get(`user-${userId}@${step.version}`);
      if (
        !event ||
        event.type !== eventTypeOf[step.kind] ||
        event.metadata.causationId !== commandIdOf(step.idempotencyKey)
      ) {
        problems.push(
          `${userId}: ${step.kind} answered version ${step.version}, the log has ${event ? `${event.type} (causation ${event.metadata.causationId})` : 'nothing'} there`,
        );
        continue;
      }
      const { eventId, occurredAt, version: sourceVersion } = event.metadata;
      made.push({ step, eventId, occurredAt, sourceVersion });
    }
    const forgotten = made.some((m) => m.step.kind === 'forget');
    const cuts = forgotten
      ? Array.from({ length: made.length }, (_, i) => made.length - 1 - i)
      : [made.length];
    byUser.set(
      userId,
      cuts.map((readable) => factsOf(userId, made, readable)),
    );
  }
  return { byUser, problems };
}

/**
 * The facts a user's steps make when the first `readable` of them are translated while the user's personal data
 * can be read, and the rest after it was erased: each step one fact, but a change that leaves what a consumer
 * sees as it was (a new name read as null after a null one) publishes nothing, and a name read as erased takes the
 * address with it (decision 0017).
 */
function factsOf(userId: string, made: readonly Made[], readable: number): IntegrationEvent[] {
  const facts: IntegrationEvent[] = [];
  let profile: PublicProfile | null = null;
  for (const [i, { step, eventId, occurredAt, sourceVersion }] of made.entries()) {
    const personal = (value: string) => (i < readable ? value : null);
    if (step.kind === 'forget') {
      facts.push({ type: 'UserErased', eventId, data: { userId, sourceVersion, occurredAt } });
      continue;
    }
    if (step.kind === 'register') {
      profile = {
        userId,
        sourceVersion,
        occurredAt,
        name: personal(step.name),
        email: personal(step.email),
        locale: null,
        status: 'active',
        joinedAt: occurredAt,
      };
      facts.push({ type: 'UserJoined', eventId, data: profile });
      continue;
    }
    if (profile === null) continue;
    const at: PublicProfile = { ...profile, sourceVersion, occurredAt };
    if (step.kind === 'rename' || step.kind === 'correct') {
      // Read after the erasure, the name tells the translator the key is gone: the address goes with it.
      const after: PublicProfile =
        i < readable ? { ...at, name: step.name } : { ...at, name: null, email: null };
      const changed = (['name', 'email'] as const).filter((f) => after[f] !== at[f]);
      if (changed.length === 0) continue;
      profile = after;
      facts.push({ type: 'UserProfileChanged', eventId, data: { ...profile, changed } });
    } else if (step.kind === 'deactivate') {
      profile = { ...at, status: 'deactivated' };
      facts.push({ type: 'UserLeft', eventId, data: profile });
    } else {
      profile = { ...at, status: 'active' };
      facts.push({ type: 'UserReturned', eventId, data: profile });
    }
  }
  return facts;
}

/**
 * What is wrong with the topic, against the expected facts, one line per problem (none: it holds exactly the
 * expected facts, each once, in order per user): a fact published twice (by event id), one nobody caused, a user's
 * facts out of order, missing, different, or spread over partitions or keys.
 */
export function compareFacts(expected: ExpectedFacts, published: readonly PublishedFact[]): string[] {
  const problems: string[] = [];
  const seen = new Map<string, PublishedFact>();
  const byUser = new Map<string, PublishedFact[]>();
  for (const p of published) {
    const first = seen.get(p.fact.eventId);
    if (first)
      problems.push(
        `${p.fact.type} ${p.fact.eventId} published twice: [${first.partition}]@${first.offset} and [${p.partition}]@${p.offset}`,
      );
    else seen.set(p.fact.eventId, p);
    const userId = p.fact.data.userId;
    if (!expected.byUser.has(userId)) {
      problems.push(`${p.fact.type} of a user no client made: ${userId} at [${p.partition}]@${p.offset}`);
      continue;
    }
    if (p.key !== userId) problems.push(`${p.fact.type} ${p.fact.eventId} keyed '${p.key}', not ${userId}`);
    byUser.set(userId, [...(byUser.get(userId) ?? []), p]);
  }
  for (const [userId, candidates] of expected.byUser) {
    const got = byUser.get(userId) ?? [];
    const partitions = [...new Set(got.map((p) => p.partition))];
    if (partitions.length > 1) problems.push(`${userId}: facts in partitions ${partitions.join(', ')}`);
    const facts = [...got].sort((a, b) => (a.offset < b.offset ? -1 : 1)).map((p) => p.fact);
    if (candidates.some((c) => canonical(c) === canonical(facts))) continue;
    const closest = candidates.find((c) => c.length === facts.length) ?? candidates[0]!;
    problems.push(
      `${userId}: published ${describe(facts)}; expected ${candidates.map(describe).join(' or ')}${firstDifference(facts, closest)}`,
    );
  }
  return problems;
}

/** JSON with every object's keys sorted: decoded records and built ones compare by content alone. */
const canonical = (value: unknown) =>
  JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );

const describe = (facts: readonly IntegrationEvent[]) =>
  `[${facts.map((f) => `${f.type}@${f.data.sourceVersion}`).join(', ')}]`;

function firstDifference(a: readonly IntegrationEvent[], b: readonly IntegrationEvent[]): string {
  const i = a.findIndex((f, n) => canonical(f) !== canonical(b[n]));
  return i < 0 ? '' : `; first difference at ${i}: ${canonical(a[i])} vs ${canonical(b[i])}`;
}
