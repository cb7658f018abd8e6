/** A user as the read store keeps it: the projection's view plus where its last event was read. */
export interface UserDocument {
  readonly _id: string; // stream id
  readonly id: string;
  readonly name: string;
  /** Lower-cased name: what search matches and sorts on. */
  readonly nameKey: string;
  readonly email: string;
  readonly locale: string | null;
  readonly status: 'active' | 'deactivated';
  readonly version: number;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly lastEvent: { readonly partition: number; readonly offset: string };
}

/** One event of a user's stored history. */
export interface UserEventDocument {
  readonly _id: string; // `${streamId}:${version}`
  readonly eventId: string;
  readonly streamId: string;
  readonly version: number;
  readonly type: string;
  readonly occurredAt: Date;
  /** When the log stored the record. */
  readonly recordedAt: Date;
  readonly data: Record<string, unknown>;
  readonly metadata: { readonly correlationId: string; readonly causationId: string; readonly actor: string };
  readonly partition: number;
  readonly offset: string;
}
