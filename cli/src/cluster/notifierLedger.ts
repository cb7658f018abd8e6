import { MongoClient } from 'mongodb';
import { MongoLedger } from '@eventfold/notifier-service/src/ledger/mongoLedger';
import { notificationKey } from '@eventfold/notifier-service/src/notifications/notification';
import type { TemplateName } from '@eventfold/notifier-service/src/templates/templates';
import type { DeadLetterView } from '../commands/dlq';

/** Where the notifier keeps its ledger: the same variables the notifier reads. */
export function notifierLedgerLocation(env: NodeJS.ProcessEnv) {
  const firstShard = (env.MONGO_SHARDS ?? 'mongodb://127.0.0.1:27017/').split(',')[0]!.trim();
  return { uri: env.MONGO_URI ?? firstShard, database: env.NOTIFIER_DB ?? 'eventfold_notifier' };
}

/** Reopens the notifications the letters gave up on, so that replaying them sends them. */
export async function reopenNotifications(
  location: { uri: string; database: string },
  letters: readonly DeadLetterView[],
): Promise<number> {
  const keys = letters.flatMap((l) =>
    l.notification ? [notificationKey(l.notification.eventId, l.notification.template as TemplateName)] : [],
  );
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
