export { fold, type Decider } from './decider/decider';
export { eventIdFor } from './decider/eventId';
export { assertNever } from './decider/exhaustive';
export { handleCommand, type Decision, type StreamState } from './decider/handleCommand';
export {
  ConflictError,
  ErrorKind,
  EventfoldError,
  IllegalStateError,
  InfrastructureError,
  isEventfoldError,
  isRetriable,
  NotFoundError,
  PreconditionFailedError,
  ValidationError,
  type ErrorOptions,
} from './errors/errors';
export type { Command, CommandMetadata, DomainEvent, EventMetadata, Message, RecordedEvent } from './message';
export { deciderSpec, projectionSpec, type Projection } from './spec/deciderSpec';
export { EnvReader } from './config/envReader';
export { ERASED } from './personalData/erased';
export { connectWithRetry, type ConnectWithRetryOptions } from './lifecycle/connectWithRetry';
export { DeadlineExceededError, withDeadline } from './lifecycle/deadline';
export { retry, type RetryOptions } from './retry/retry';
export { backoffDelay, type RetryPolicy } from './retry/retryPolicy';
export { sleep } from './retry/sleep';
export type * from './ports';
export { latestPerKey } from './ports/compaction';
export { appendInTurn } from './ports/eventLog';
export { murmur2, partitionForKey } from './partitioning/murmur2';
export {
  ProcessingAbandoned,
  type MessageHandler,
  type ProcessingContext,
  type RecordFailure,
} from './processing/messageHandler';
export {
  MessageProcessor,
  startMessageProcessor,
  type MessageProcessorOptions,
  type MessageProcessorSettings,
  type ProcessorLogger,
} from './processing/messageProcessor';
