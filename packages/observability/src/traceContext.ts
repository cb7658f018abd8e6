import { randomHex } from './randomHex';

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/** The incoming W3C traceparent if valid, else a new one: every request and every event belongs to a trace. */
export function traceparentFrom(header: string | undefined): string {
  const match = header ? TRACEPARENT.exec(header.trim()) : null;
  if (match && !/^0+$/.test(match[1]!) && !/^0+$/.test(match[2]!)) return header!.trim();
  return `00-${randomHex(16)}-${randomHex(8)}-01`;
}
