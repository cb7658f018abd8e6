import { InfrastructureError } from '../errors/errors';

/** A call that did not settle in time. Retriable: the same call may well work a moment later. */
export class DeadlineExceededError extends InfrastructureError {
  constructor(what: string, ms: number) {
    super('DEADLINE_EXCEEDED', `${what} did not settle within ${ms} ms`, { retriable: true });
  }
}

/**
 * `work`, or a {@link DeadlineExceededError} once `ms` have passed. For calls into clients that can wait forever
 * (kafkajs can leave a request unanswered for good after a connection reset): the caller stops waiting and recovers
 * (a fresh producer, a restore), while the abandoned call settles whenever it does, unobserved.
 */
export async function withDeadline<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineExceededError(what, ms)), ms);
  });
  work.catch(() => undefined); // a failure after the deadline has nobody left to tell
  try {
    return await Promise.race([work, expired]);
  } finally {
    clearTimeout(timer);
  }
}
