export type { UserDocument, UserEventDocument } from '@eventfold/users-domain';

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
