// Follows a user's events over server-sent events. EventSource cannot send an Authorization header (and the key
// must never be in a URL), so the stream is read with fetch and parsed here; like EventSource, it reconnects after
// a cut and sends the last id it got as Last-Event-ID, so nothing is missed and nothing comes twice.

import { storedKey } from './api.js';

/** Splits server-sent event text into events; returns the events and the unfinished rest. */
export function parseEvents(text) {
  const blocks = text.split(/\r?\n\r?\n/);
  const rest = blocks.pop();
  const events = [];
  for (const block of blocks) {
    const event = { id: null, type: 'message', data: [] };
    for (const line of block.split(/\r?\n/)) {
      if (line === '' || line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon === -1 ? line : line.slice(0, colon);
      const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'id') event.id = value;
      else if (field === 'event') event.type = value;
      else if (field === 'data') event.data.push(value);
    }
    if (event.data.length > 0) events.push({ ...event, data: event.data.join('\n') });
  }
  return { events, rest };
}

/**
 * Follows `path` (a `?follow=true` URL) until `stop()`; `onEvent(type, data, id)` for each event, `onState(text)`
 * when the connection opens, drops or is refused.
 */
export function follow(path, { onEvent, onState, after = null }) {
  const controller = new AbortController();
  let lastId = after;
  let stopped = false;
  const run = async () => {
    while (!stopped) {
      try {
        const response = await fetch(path, {
          headers: {
            authorization: `Bearer ${storedKey()}`,
            accept: 'text/event-stream',
            ...(lastId === null ? {} : { 'last-event-id': lastId }),
          },
          signal: controller.signal,
        });
        if (!response.ok) {
          const problem = await response.json().catch(() => null);
          onState(`Not following: ${(problem && problem.detail) || response.status}`);
          if (response.status !== 429 && response.status !== 503) return;
        } else {
          onState('Following live');
          const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
          let buffered = '';
          for (;;) {
            const { value, done } = await reader.read();
            if (done) break;
            const { events, rest } = parseEvents(buffered + value);
            buffered = rest;
            for (const event of events) {
              if (event.id !== null) lastId = event.id;
              onEvent(event.type, JSON.parse(event.data), event.id);
            }
          }
          onState('Connection dropped; reconnecting');
        }
      } catch {
        if (stopped) return;
        onState('Connection dropped; reconnecting');
      }
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  };
  void run();
  return () => {
    stopped = true;
    controller.abort();
  };
}
