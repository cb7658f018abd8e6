const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Retries `read` while the broker answers UNKNOWN_TOPIC_OR_PARTITION: right after a topic is created, a metadata
 * request may reach the broker before the topic's metadata has, even with `waitForLeaders`.
 */
export async function retryWhileTopicUnknown<T>(read: () => Promise<T>, attempts = 20): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await read();
    } catch (error) {
      if ((error as { type?: string }).type !== 'UNKNOWN_TOPIC_OR_PARTITION' || attempt >= attempts)
        throw error;
      await sleep(Math.min(1000, 100 * attempt));
    }
  }
}
