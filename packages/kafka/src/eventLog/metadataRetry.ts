import { retry } from '@eventfold/core';

/**
 * Retries `read` while the broker answers UNKNOWN_TOPIC_OR_PARTITION: right after a topic is created, a metadata
 * request may reach the broker before the topic's metadata has, even with `waitForLeaders`.
 */
export function retryWhileTopicUnknown<T>(read: () => Promise<T>, maxAttempts = 20): Promise<T> {
  return retry(read, {
    initialDelayMs: 100,
    maxDelayMs: 1000,
    maxAttempts,
    retryIf: (error) => (error as { type?: string }).type === 'UNKNOWN_TOPIC_OR_PARTITION',
  });
}
