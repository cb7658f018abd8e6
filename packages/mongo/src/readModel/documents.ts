/** A user as stored in the `users` collection: the projection's view plus where its last event was read. */
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

/** One event in the `user_events` history collection. */
export interface UserEventDocument {
  readonly _id: string; // `${streamId}:${version}`
  readonly eventId: string;
  readonly streamId: string;
  readonly version: number;
  readonly type: string;
  readonly occurredAt: Date;
  /** The Kafka timestamp of the record. */
  readonly recordedAt: Date;
  readonly data: Record<string, unknown>;
  readonly metadata: { readonly correlationId: string; readonly causationId: string; readonly actor: string };
  readonly partition: number;
  readonly offset: string;
}

/** Collection names of one version of the read model (blue/green rebuilds write a new version beside the old). */
export function readModelCollections(version: number) {
  const suffix = version <= 1 ? '' : `_v${version}`;
  return {
    users: `users${suffix}`,
    events: `user_events${suffix}`,
    checkpoints: `checkpoints${suffix}`,
  } as const;
}
export type ReadModelCollections = ReturnType<typeof readModelCollections>;
