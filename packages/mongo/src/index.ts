export { CheckpointStore, type Checkpoint } from './checkpoints/checkpointStore';
export {
  readModelCollections,
  type ReadModelCollections,
  type UserDocument,
  type UserEventDocument,
} from './readModel/documents';
export { MongoReadStore, type MongoReadStoreOptions } from './readModel/mongoReadStore';
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
export { eraseHistory } from './readModel/historyErasure';
export { documentOfView, eventOfHistory, historyDocument, viewOfDocument } from '@eventfold/users-domain';
export { shardIndex } from './sharding/shardIndex';
export { ShardSet } from './sharding/shardSet';
export { boundedBulkWrite, MAX_UPDATES_PER_COMMAND, serialised } from './writes/boundedBulkWrite';
export { connectKeyStore } from './keys/connectKeyStore';
export { MongoKeyRecords } from './keys/mongoKeyRecords';
export { openMongoKeyStore } from './keys/openMongoKeyStore';
