import { Registry } from '@eventfold/observability';
import { createLogger } from '@eventfold/observability';
import type { DeadLetter, DeadLetterSink } from '../deadLetters/deadLetter';
import type { DeliveryControl } from '../delivery/deliveryControl';
import { NotificationDelivery, type NotificationDeliveryDeps } from '../delivery/notificationDelivery';
import { LedgerConflictError, type Ledger } from '../ledger/ledger';
import { UncertainDelivery, type DeliveryPolicy, type RelayAnswer } from '../ledger/ledgerDecision';
import type { LedgerEntry } from '../ledger/ledgerEntry';
import type { RelayLookup } from '../mail/relayLookup';
import type { MailSubmitter, OutgoingMail, SubmissionOutcome } from '../mail/submission';
import { notifierMetrics } from '../notifierMetrics';

/** The ledger in memory, with the same revision check as MongoDB's. */
export class InMemoryLedger implements Ledger {
  readonly entries = new Map<string, LedgerEntry>();

  async find(key: string) {
    return this.entries.get(key) ?? null;
  }

  async save(previous: LedgerEntry | null, next: LedgerEntry) {
    const stored = this.entries.get(next.key) ?? null;
    if ((stored?.revision ?? null) !== (previous?.revision ?? null)) throw new LedgerConflictError(next.key);
    this.entries.set(next.key, next);
    return next;
  }
}

/** The process died: nothing after this point of a delivery runs. */
export class Crash extends Error {}

/**
 * What the relay does with one submission, scripted:
 * - accept; reject (a reply code, at RCPT TO or at the end of data); lose-reply (accepted or not, reply lost)
 * - crash-before-terminator: the process dies after the commit point, before the terminator
 * - crash-after-accept: the relay accepted, the process died before it recorded the reply
 */
export type RelayBehaviour =
  | { kind: 'accept' }
  | { kind: 'down' }
  | { kind: 'reject'; responseCode: number; at?: 'rcpt' | 'end-of-data' }
  | { kind: 'lose-reply'; deliver: boolean }
  | { kind: 'crash-before-terminator' }
  | { kind: 'crash-after-accept' };

/** A relay and its mailbox: messages it accepted, by Message-ID, in order. */
export class FakeRelay implements MailSubmitter, RelayLookup {
  readonly description = 'fake relay';
  readonly delivered: string[] = [];
  readonly script: RelayBehaviour[] = [];
  submissions = 0;
  /** What `lookup` answers when it cannot see the mailbox (a relay without a record). */
  blind = false;

  async submit(mail: OutgoingMail, commitPoint: () => Promise<void>): Promise<SubmissionOutcome> {
    this.submissions++;
    const behaviour = this.script.shift() ?? { kind: 'accept' };
    const messageId = /^Message-ID: (.*)$/im.exec(mail.raw.toString())![1]!.trim();
    if (behaviour.kind === 'down')
      return { kind: 'unavailable', error: { code: 'ESOCKET', message: 'ECONNREFUSED', responseCode: null } };
    // A refusal of the envelope comes before any data, so before the commit point.
    if (behaviour.kind === 'reject' && behaviour.at === 'rcpt')
      return this.rejection(behaviour.responseCode, false);
    await commitPoint();
    switch (behaviour.kind) {
      case 'accept':
        this.delivered.push(messageId);
        return { kind: 'accepted', response: '250 OK' };
      case 'reject':
        return this.rejection(behaviour.responseCode, true);
      case 'lose-reply':
        if (behaviour.deliver) this.delivered.push(messageId);
        return { kind: 'unknown', error: { code: 'ETIMEDOUT', message: 'Timeout', responseCode: null } };
      case 'crash-before-terminator':
        throw new Crash('killed before the terminator');
      case 'crash-after-accept':
        this.delivered.push(messageId);
        throw new Crash('killed after the relay accepted');
    }
  }

  private rejection(responseCode: number, committed: boolean): SubmissionOutcome {
    return {
      kind: 'rejected',
      committed,
      error: { code: 'EMESSAGE', message: `${responseCode} refused`, responseCode },
    };
  }

  async lookup(messageId: string): Promise<RelayAnswer> {
    if (this.blind) return 'unknown';
    return this.delivered.includes(messageId) ? 'accepted' : 'missing';
  }
}

export class RecordingDeadLetters implements DeadLetterSink {
  readonly letters: DeadLetter[] = [];
  async publish(letter: DeadLetter) {
    this.letters.push(letter);
  }
}

/** A controllable clock; `sleep` advances it instead of waiting. */
export function fakeTime(start = Date.UTC(2026, 10, 26, 12)) {
  let now = start;
  const control: DeliveryControl = {
    sleep: async (ms) => {
      now += ms;
    },
  };
  return { clock: () => now, advance: (ms: number) => (now += ms), control };
}

export const testPolicy: DeliveryPolicy = {
  maxAttempts: 4,
  baseDelayMs: 100,
  maxDelayMs: 1000,
  settleMs: 2000,
  uncertain: UncertainDelivery.AssumeSent,
};

/** A delivery over fakes; call it again with the same parts to play a restarted process. */
export function fakeDelivery(
  parts: { ledger: InMemoryLedger; relay: FakeRelay; deadLetters: RecordingDeadLetters; clock: () => number },
  overrides: Partial<NotificationDeliveryDeps> = {},
) {
  const registry = new Registry();
  const metrics = notifierMetrics(registry);
  const delivery = new NotificationDelivery({
    ledger: parts.ledger,
    submitter: parts.relay,
    relay: parts.relay,
    deadLetters: parts.deadLetters,
    metrics,
    logger: createLogger('test', 'silent'),
    clock: parts.clock,
    random: () => 0.5,
    policy: testPolicy,
    mailFrom: { header: 'eventfold <no-reply@eventfold.example>', address: 'no-reply@eventfold.example' },
    maxEventAgeMs: 0,
    ...overrides,
  });
  const count = async (name: string, labels: Record<string, string> = {}) => {
    const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === name);
    return (metric?.values ?? [])
      .filter((v) => Object.entries(labels).every(([k, l]) => (v.labels as Record<string, unknown>)[k] === l))
      .reduce((sum, v) => sum + v.value, 0);
  };
  return { delivery, registry, count };
}
