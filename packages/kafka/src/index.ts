export { createKafka, type KafkaClientOptions } from './client/createKafka';
export { murmur2, partitionForKey } from './partitioning/murmur2';
export { isFenced, isTransient } from './partitionOwner/kafkaErrors';
export {
  PartitionOwnerRunner,
  type PartitionOwnerHandler,
  type PartitionOwnerObserver,
  type PartitionOwnerOptions,
  type TransactionWriter,
} from './partitionOwner/partitionOwnerRunner';
export { PartitionReader } from './reading/partitionReader';
export { ensureTopics, type TopicSpec } from './topics/ensureTopics';
export { userTopology, type UserTopologyOptions } from './topics/userTopology';
