/** Offsets of one decimal length, `from` to `to` inclusive, both written as the history stores them. */
export interface OffsetBand {
  readonly digits: number;
  readonly from: string;
  readonly to: string;
}

/**
 * The history keeps offsets as decimal strings (a 64-bit offset is no JSON number), and strings compare by
 * character: "9" > "10". Among strings of one length, without leading zeros, that order is the numeric one; so a
 * numeric range is read as one string range per length, shortest first: offsets from `from` to `to` inclusive.
 */
export function offsetBands(from: bigint, to: bigint): OffsetBand[] {
  const bands: OffsetBand[] = [];
  if (from < 0n) from = 0n;
  for (let digits = String(from).length; digits <= String(to).length && from <= to; digits++) {
    const last = 10n ** BigInt(digits) - 1n;
    const end = last < to ? last : to;
    bands.push({ digits, from: String(from), to: String(end) });
    from = last + 1n;
  }
  return bands;
}
