/**
 * Compose's variable substitution in every string of a parsed file: `${NAME}`, `${NAME:-default}` (unset or
 * empty), `${NAME-default}` (unset), `${NAME:?message}` / `${NAME?message}` (required), `$NAME`, and `$$` for a
 * literal dollar sign.
 */
export function interpolate<T>(value: T, env: Readonly<Record<string, string | undefined>>): T {
  if (typeof value === 'string') return substitute(value, env) as T;
  if (Array.isArray(value)) return value.map((item: unknown) => interpolate(item, env)) as T;
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([key, item]) => [key, interpolate(item, env)]),
    ) as T;
  return value;
}

const pattern = /\$\$|\$\{(\w+)(?:(:?)([-?])([^}]*))?\}|\$(\w+)/g;

function substitute(text: string, env: Readonly<Record<string, string | undefined>>): string {
  return text.replace(
    pattern,
    (whole, name?: string, colon?: string, operator?: string, operand?: string, bare?: string) => {
      if (whole === '$$') return '$';
      if (bare) return env[bare] ?? '';
      const value = env[name!];
      const missing = value === undefined || (colon === ':' && value === '');
      if (!missing) return value;
      if (operator === '-') return operand ?? '';
      if (operator === '?') throw new Error(`${name} is required: ${operand ?? ''}`);
      return '';
    },
  );
}
