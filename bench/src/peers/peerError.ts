/** What went wrong with a peer of the peers benchmark, as a stable code. */
export const PeerErrorCodes = Object.freeze({
  /** The peer's process exited, or did not answer /healthz in time. */
  notReady: 'PEER_NOT_READY',
  /** The peer accepted a write with a stale expected version: the comparison would be of unequal work. */
  staleVersionAccepted: 'PEER_STALE_VERSION_ACCEPTED',
  /** The peer answered a request of the workload with something else than its contract says. */
  unexpectedAnswer: 'PEER_UNEXPECTED_ANSWER',
} as const);

export type PeerErrorCode = (typeof PeerErrorCodes)[keyof typeof PeerErrorCodes];

/** A peer could not be run, or does not behave as the comparison requires. Never retriable: the run stops. */
export class PeerError extends Error {
  readonly retriable = false;
  constructor(
    readonly code: PeerErrorCode,
    readonly peer: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${peer}: ${message}`, options);
    this.name = 'PeerError';
  }
}
