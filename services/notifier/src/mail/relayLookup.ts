import fs from 'node:fs/promises';
import path from 'node:path';
import type { RelayAnswer } from '../ledger/ledgerDecision';

/**
 * Asks the relay's own record whether it accepted a message: the only way to settle an attempt whose reply was
 * lost. Production relays offer it in their own way (a provider's message search by Message-ID, the MTA's log,
 * a journal mailbox); without one the answer is `unknown` and the configured policy decides.
 */
export interface RelayLookup {
  readonly description: string;
  /** Whether a message with this Message-ID was accepted at or after `since` (epoch ms). */
  lookup(messageId: string, since: number): Promise<RelayAnswer>;
}

/** No record to ask. */
export const noRelayLookup: RelayLookup = Object.freeze({
  description: 'none',
  lookup: async () => 'unknown' as const,
});

/** Clocks of one machine, but a message may be stored a little before the notifier noted its commit point. */
const SLACK_MS = 5000;

const normalise = (id: string) => id.trim().replace(/^<|>$/g, '');

/**
 * The local SMTP sink's record (packages/infra/src/smtpSink): it stores each message it accepts, before answering
 * 250, as `<ms>-<pid>-<seq>.json` with the parsed `messageId`, renamed into place atomically. A message it has not
 * stored by the time the attempt has settled was not accepted.
 */
export function sinkMailboxLookup(dir: string): RelayLookup {
  return {
    description: `SMTP sink mailbox ${dir}`,
    async lookup(messageId, since) {
      let names: string[];
      try {
        names = await fs.readdir(dir);
      } catch {
        return 'unknown';
      }
      const wanted = normalise(messageId);
      const candidates = names.filter((name) => {
        if (name.startsWith('.') || !name.endsWith('.json')) return false;
        const storedAt = Number(name.slice(0, name.indexOf('-')));
        return !Number.isFinite(storedAt) || storedAt >= since - SLACK_MS;
      });
      for (const name of candidates) {
        try {
          const stored = JSON.parse(await fs.readFile(path.join(dir, name), 'utf8')) as {
            messageId?: string;
          };
          if (stored.messageId && normalise(stored.messageId) === wanted) return 'accepted';
        } catch {
          // A file removed meanwhile, or not one of the sink's: not the message we look for.
        }
      }
      return 'missing';
    },
  };
}
