import { MongoError } from 'mongodb';
import { InfrastructureError } from '@eventfold/core';

/**
 * Runs a read of the read model; its store's failures are the infrastructure's, and retriable: 503 at the edge,
 * never a 500 with a stack. Every read of the query service goes through it: documents, history, search and the
 * checkpoints consistency tokens wait for.
 */
export async function guarded<T>(what: string, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    const name = (error as Error).name ?? '';
    if (error instanceof MongoError || name.startsWith('Mongo') || name === 'SqliteError') {
      throw new InfrastructureError(
        'READ_MODEL_UNAVAILABLE',
        `The read model could not answer (${what}); retry shortly`,
        { cause: error },
      );
    }
    throw error;
  }
}
