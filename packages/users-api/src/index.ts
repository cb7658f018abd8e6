export { usersOpenApi, type UsersOpenApi } from './openapi';
export { validateParameter, validateSchema, type ParameterName, type SchemaName } from './validation';
export {
  usersAsyncApi,
  type AsyncApiRecord,
  type AsyncApiTopic,
  type TopicKey,
  type UsersAsyncApiInput,
} from './asyncapi/usersAsyncApi';
export { publishedAsyncApi } from './asyncapi/publishedAsyncApi';
export {
  formatConsistencyToken,
  parseConsistencyToken,
  type LogPosition,
} from './positions/consistencyToken';
export {
  formatFeedPosition,
  parseFeedPosition,
  MAX_POSITION_PARTITIONS,
  type FeedPosition,
} from './positions/feedPosition';
