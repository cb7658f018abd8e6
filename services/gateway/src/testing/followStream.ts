/** One server-sent event as a follower received it. */
export interface ReceivedEvent {
  readonly id: string | null;
  readonly type: string;
  readonly data: Record<string, unknown>;
}

export interface FollowOptions {
  readonly key: string;
  /** Sent as Last-Event-ID: the stream resumes after it. */
  readonly lastEventId?: string;
  /** Stop (and close the connection) once this is true of what arrived. */
  readonly until: (events: readonly ReceivedEvent[], raw: string) => boolean;
  /** Called once the answer's headers are in: the stream is open. */
  readonly onOpen?: (status: number) => void;
}

/**
 * Follows a `?follow=true` URL as a client would, until `until` holds, the stream ends, or `signal` aborts; then
 * closes the connection. Answers the status, the content type, the events (in order) and the raw text.
 */
export async function followEvents(
  url: string,
  options: FollowOptions,
  signal?: AbortSignal,
): Promise<{ status: number; contentType: string | null; events: ReceivedEvent[]; raw: string }> {
  const controller = new AbortController();
  signal?.addEventListener('abort', () => controller.abort(), { once: true });
  const response = await fetch(url, {
    headers: {
      authorization: `Bearer ${options.key}`,
      accept: 'text/event-stream',
      ...(options.lastEventId === undefined ? {} : { 'last-event-id': options.lastEventId }),
    },
    signal: controller.signal,
  });
  options.onOpen?.(response.status);
  const events: ReceivedEvent[] = [];
  let raw = '';
  let rest = '';
  const decoder = new TextDecoder();
  try {
    if (!response.ok || !response.body) {
      raw = await response.text();
      return { status: response.status, contentType: response.headers.get('content-type'), events, raw };
    }
    for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
      const text = decoder.decode(chunk, { stream: true });
      raw += text;
      const blocks = (rest + text).split('\n\n');
      rest = blocks.pop() ?? '';
      for (const block of blocks) {
        const field = (name: string) =>
          block
            .split('\n')
            .find((line) => line.startsWith(`${name}: `))
            ?.slice(name.length + 2);
        const data = field('data');
        if (data !== undefined)
          events.push({
            id: field('id') ?? null,
            type: field('event') ?? 'message',
            data: JSON.parse(data) as Record<string, unknown>,
          });
      }
      if (options.until(events, raw)) break;
    }
  } catch (error) {
    if (!controller.signal.aborted) throw error;
  } finally {
    controller.abort();
  }
  return { status: response.status, contentType: response.headers.get('content-type'), events, raw };
}
