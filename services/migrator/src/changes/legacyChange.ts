/** A row of the legacy `users` table as the log carries it (pgoutput's text form: bigint ids stay strings). */
export interface LegacyUserRow {
  readonly id: string;
  readonly name: string | null;
  readonly email: string | null;
  readonly status: string;
  /** `updated_at` in epoch ms (the import's provenance), null when the row has none. */
  readonly updatedAt: number | null;
}

/** One committed change of a row: an insert, or an update with the row before (REPLICA IDENTITY FULL) and after. */
export type RowChange =
  | { readonly kind: 'insert'; readonly row: LegacyUserRow }
  | { readonly kind: 'update'; readonly old: LegacyUserRow | null; readonly row: LegacyUserRow }
  | { readonly kind: 'delete'; readonly old: LegacyUserRow | null };

/**
 * Where a change sits in the legacy log: its transaction's commit LSN and its place in that transaction. The same
 * change read again after a crash has the same position, so the ids made from it are the same.
 */
export interface ChangePosition {
  readonly commitLsn: string;
  readonly seq: number;
}

/** A row as pgoutput decodes it (column name → value) into the legacy shape; null when it is not a users row. */
export function legacyUserRow(values: Record<string, unknown> | null | undefined): LegacyUserRow | null {
  // pgoutput's values are text, or numbers where a type parser made them so (`bigint` ids).
  const text = (v: unknown): string | null =>
    typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'bigint' ? v.toString() : null;
  const id = text(values?.id);
  if (!values || id === null) return null;
  return {
    id,
    name: text(values.name),
    email: text(values.email),
    status: text(values.status) ?? 'active',
    updatedAt: epochMs(text(values.updated_at)),
  };
}

/** pgoutput's text of a timestamptz (`2026-12-03 12:27:01.158+00`) as epoch ms; null when absent or unreadable. */
function epochMs(value: string | null): number | null {
  if (value === null) return null;
  const ms = Date.parse(value.replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00'));
  return Number.isNaN(ms) ? null : ms;
}
