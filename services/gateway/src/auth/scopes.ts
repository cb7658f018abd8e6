/** What an API key may do. A scope grants exactly its own operations: `admin` does not imply the others. */
export const SCOPES = Object.freeze(['users:read', 'users:write', 'admin'] as const);

export type Scope = (typeof SCOPES)[number];

export function isScope(value: string): value is Scope {
  return (SCOPES as readonly string[]).includes(value);
}

/** True when the key holds at least one of the scopes an operation accepts. */
export function allows(granted: ReadonlySet<Scope>, accepted: readonly Scope[]): boolean {
  return accepted.some((scope) => granted.has(scope));
}
