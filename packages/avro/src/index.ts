export {
  defaultSchemasDir,
  loadSchemaCatalog,
  parseAvro,
  type AvroField,
  type RecordSchemas,
  type SchemaVersion,
} from './catalog/schemaCatalog';
export { AvroCodec, type AvroCodecOptions, type Decoded } from './codec/avroCodec';
export { RecordDecodeError, RecordDecodeErrorCode, type RecordPosition } from './codec/errors';
export { frame, unframe } from './codec/framing';
export { checkSchemaIdsOnTail, type RecordVerifier } from './codec/schemaIdCheck';
export { upcast, type Upcaster } from './codec/upcaster';
export {
  CompatibilityLevels,
  DEFAULT_COMPATIBILITY,
  type CompatibilityLevel,
} from './compatibility/compatibilityLevel';
export {
  checkCatalogCompatibility,
  compatibilityProblems,
  readingProblems,
  type CompatibilityProblem,
  type ReadingProblem,
} from './compatibility/localCompatibility';
export { registerRecord } from './registry/registerRecord';
export { confluentSchemaRegistry, type SchemaRegistryPort } from './registry/schemaRegistry';
export { topicRecordSubject } from './registry/subjects';
export {
  compatibilityOfRecord,
  INTEGRATION_NAMESPACE,
  INTEGRATION_TOPIC,
  integrationRecordName,
  topicOfUserRecord,
  userRecordName,
  USERS_NAMESPACE,
  userTopicNames,
  UserTopics,
  type UserTopicNames,
} from './users/topics';
export { integrationCodec, singleRecordCodec, userEventCodec } from './users/userCodecs';
export {
  eventMetadataFields,
  emailReservationEventRecordNames,
  fromStreamEventRecord,
  fromUserEventRecord,
  streamEventRecordNames,
  toUserEventRecord,
  userEventRecordNames,
} from './users/userEventRecords';
export { normaliseV1RegisteredEmail, userUpcasters } from './users/upcasters';
export {
  fromIntegrationRecord,
  integrationRecordNames,
  toIntegrationRecord,
} from './users/integrationRecords';
