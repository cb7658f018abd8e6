/**
 * What an API key may do. A scope grants exactly its own operations: `admin` does not imply the others.
 * `metrics` reads the gateway's /metrics (a scraper's key), nothing else. `events:read` follows every user's
 * events (`GET /v1/events?follow=true`), which admin may too.
 */
export const SCOPES = Object.freeze([
  'users:read',
  'users:write',
  'admin',
  'metrics',
  'events:read',
] as const);

export type Scope = (typeof SCOPES)[number];

export function isScope(value: string): value is Scope {
  return (SCOPES as readonly string[]).includes(value);
}

/** True when the key holds at least one of the scopes an operation accepts. */
export function allows(granted: ReadonlySet<Scope>, accepted: readonly Scope[]): boolean {
  return accepted.some((scope) => granted.has(scope));
}
