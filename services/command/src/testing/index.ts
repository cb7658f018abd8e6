// Test helpers of the command service for other packages' tests: `@eventfold/command-service/testing`.
export { clientIdsFor } from '../http/clientIds';
/** The reservation stream of an address, as the service names it: a test finds the streams of its addresses. */
export { emailStreamIdsFor } from '../emailClaims/emailStreamIds';
export { spawnCommandProcess, type CommandProcess } from './commandProcess';
export {
  checkStreams,
  countCommittedRecords,
  readEventLog,
  readStreamEventLog,
  withoutCopies,
  type LoggedEvent,
  type LoggedStreamEvent,
} from './eventLog';
export { testCipher } from './testCipher';
export { send, startTestCommandService } from './testCommandService';
