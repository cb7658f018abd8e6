import type { LoadResult } from '../measure/load';

/** The two operations of the workload, as eventfold serves them too. */
export const PEER_OPERATIONS = Object.freeze({
  register: 'register a user',
  rename: 'rename with expected version',
} as const);

export type PeerOperation = keyof typeof PEER_OPERATIONS;

/** One closed-loop load of one peer: an operation at a connection count, under a durability setting. */
export interface PeerMeasurement {
  /** The peer's short name (detail keys). */
  readonly peer: string;
  /** As printed. */
  readonly title: string;
  readonly durability: string;
  readonly operation: PeerOperation;
  readonly connections: number;
  readonly load: LoadResult;
}
