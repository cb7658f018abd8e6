export { createKafka, type KafkaClientOptions } from './client/createKafka';
export {
  KafkaSecurityProtocol,
  readKafkaSettings,
  SaslMechanism,
  type KafkaSasl,
  type KafkaSettings,
  type KafkaTls,
} from './client/kafkaSettings';
export {
  readKafkaServiceSettings,
  serviceEventLog,
  type KafkaServiceSettings,
} from './client/kafkaServiceSettings';
export { murmur2, partitionForKey } from '@eventfold/core';
export { isFenced, isTransient } from './partitionOwner/kafkaErrors';
export {
  PartitionOwnerRunner,
  type PartitionOwnerHandler,
  type PartitionOwnerObserver,
  type PartitionOwnerOptions,
} from './partitionOwner/partitionOwnerRunner';
export { PartitionReader } from './reading/partitionReader';
export { ensureTopics, type TopicSpec } from './topics/ensureTopics';
export { userTopology, type UserTopologyOptions } from './topics/userTopology';
export { integrationTopic, type IntegrationTopicOptions } from './topics/integrationTopic';
export { KafkaEventLog, type KafkaEventLogOptions } from './eventLog/kafkaEventLog';
export {
  topicPartitionCounts,
  transactionAppender,
  type PartitionCounts,
} from './eventLog/transactionAppender';
