import { MongoClient } from 'mongodb';
import { notificationKey } from '../notifications/notification';
import type { TemplateName } from '../templates/templates';
import { MongoLedger } from './mongoLedger';

export interface LedgerLocation {
  readonly uri: string;
  readonly database: string;
}

/** Where the notifier keeps its ledger: the same variables its configuration reads. */
export function notifierLedgerLocation(env: NodeJS.ProcessEnv): LedgerLocation {
  const firstShard = (env.MONGO_SHARDS ?? 'mongodb://127.0.0.1:27017/').split(',')[0]!.trim();
  return { uri: env.MONGO_URI ?? firstShard, database: env.NOTIFIER_DB ?? 'eventfold_notifier' };
}

/** A notification that was given up on, as a dead letter names it (its ledger key is `eventId:template`). */
export interface GivenUpNotification {
  readonly eventId: string;
  readonly template: string;
}

/**
 * Reopens the notifications that were given up on, so that replaying them sends them: what `eventfold dlq redrive`
 * does while the notifier is stopped. Answers how many it reopened.
 */
export async function reopenNotifications(
  location: LedgerLocation,
  notifications: readonly GivenUpNotification[],
): Promise<number> {
  const keys = notifications.map((n) => notificationKey(n.eventId, n.template as TemplateName));
  if (keys.length === 0) return 0;
  const client = new MongoClient(location.uri, { serverSelectionTimeoutMS: 5000 });
  try {
    await client.connect();
    const ledger = await MongoLedger.open(client.db(location.database));
    let reopened = 0;
    for (const key of new Set(keys)) if (await ledger.reopen(key)) reopened++;
    return reopened;
  } finally {
    await client.close();
  }
}
