import { ValidationError } from '@eventfold/core';

/**
 * Server-sent events as the follow feeds write them (https://html.spec.whatwg.org/#server-sent-events). One event
 * is `id: <position>`, `event: <event type>`, `data: <the audit trail's JSON of the event>` and a blank line; the
 * id is what a reconnecting client sends back as `Last-Event-ID`, so it resumes after the last event it got. The
 * position is the stream version on a user's feed, the feed position (users-api) on the all-users feed.
 */
export function eventFrame(
  event: { readonly version: number; readonly type: string },
  id: string = String(event.version),
): string {
  return `id: ${id}\nevent: ${event.type}\ndata: ${dataOf(event)}\n\n`;
}

/** Each event's JSON, once: the followers that share a read share the event object, and write it to each. */
const data = new WeakMap<object, string>();

function dataOf(event: object): string {
  let json = data.get(event);
  if (json === undefined) {
    // JSON.stringify never writes a raw line break, so the data is one `data:` line.
    json = JSON.stringify(event);
    data.set(event, json);
  }
  return json;
}

/** A comment line: ignored by every client, it keeps proxies and load balancers from closing an idle stream. */
export const HEARTBEAT_FRAME = ': heartbeat\n\n';

/** Tells an EventSource how long to wait before it reconnects after a cut. */
export const retryFrame = (ms: number): string => `retry: ${ms}\n\n`;

const VERSION = /^(0|[1-9][0-9]{0,14})$/;

/**
 * The version a follow stream starts after: `Last-Event-ID` (a reconnecting client's, which wins) or `?after=`,
 * else 0 (the whole history). Anything but a version is refused: a guessed id must not skip or repeat events.
 */
export function resumeAfter(lastEventId: string | undefined, after: string | undefined): number {
  for (const [name, value] of [
    ['Last-Event-ID', lastEventId],
    ['after', after],
  ] as const) {
    if (value === undefined || value === '') continue;
    if (!VERSION.test(value))
      throw new ValidationError('INVALID_RESUME_POSITION', `${name} must be an event version (0 or more)`);
    return Number(value);
  }
  return 0;
}
