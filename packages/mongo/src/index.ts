export { CheckpointStore, type Checkpoint } from './checkpoints/checkpointStore';
export {
  readModelCollections,
  type ReadModelCollections,
  type UserDocument,
  type UserEventDocument,
} from './readModel/documents';
export {
  nextLayout,
  ReadModelControl,
  ReadModelControlConflict,
  sameLayout,
  type ReadModelControlState,
  type ReadModelLayout,
  type RebuildPhase,
} from './readModel/readModelControl';
export {
  StreamGapError,
  UserReadModelWriter,
  type ApplyOutcome,
  type PositionedEvent,
} from './readModel/userReadModelWriter';
export { documentOfView, eventOfHistory, historyDocument, viewOfDocument } from './readModel/viewDocuments';
export { shardIndex } from './sharding/shardIndex';
export { ShardSet } from './sharding/shardSet';
export { boundedBulkWrite, MAX_UPDATES_PER_COMMAND, serialised } from './writes/boundedBulkWrite';
