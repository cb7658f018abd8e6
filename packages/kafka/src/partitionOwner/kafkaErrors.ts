/** Predicates over kafkajs errors, which say what to do about them (kafkajs error classes carry `type`/`name`). */
type KafkaError = {
  name?: string;
  type?: string;
  retriable?: boolean;
  cause?: unknown;
  originalError?: unknown;
};

function chain(error: unknown): KafkaError[] {
  const seen: KafkaError[] = [];
  let current = error as KafkaError | undefined;
  while (current && typeof current === 'object' && !seen.includes(current)) {
    seen.push(current);
    current = (current.originalError ?? current.cause) as KafkaError | undefined;
  }
  return seen;
}

/** Another producer with our transactional id took over: we are a zombie and must stop writing. */
export function isFenced(error: unknown): boolean {
  return chain(error).some((e) =>
    ['PRODUCER_FENCED', 'INVALID_PRODUCER_EPOCH', 'TRANSACTIONAL_ID_AUTHORIZATION_FAILED'].includes(
      e.type ?? '',
    ),
  );
}

/**
 * Kafka could not be reached or did not answer in time, or the consumer is restarting after such a failure (kafkajs
 * refuses a seek until its group is running again): worth retrying later, not a reason to give up.
 */
export function isTransient(error: unknown): boolean {
  return chain(error).some(
    (e) =>
      e.retriable === true ||
      /Consumer group was not initialized/.test((e as { message?: string }).message ?? '') ||
      [
        'KafkaJSConnectionError',
        'KafkaJSNumberOfRetriesExceeded',
        'KafkaJSRequestTimeoutError',
        'KafkaJSBrokerNotFound',
        'KafkaJSConnectionClosedError',
      ].includes(e.name ?? ''),
  );
}
