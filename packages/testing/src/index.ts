export { testEndpoints, type TestEndpoints } from './endpoints';
export { TEST_KEY_ENCRYPTION_KEY, TEST_KEY_STORE_DB, testKeyEnvironment } from './keys';
export { receivedMail, type StoredMail } from './mailbox';
export { metricValue, scrapeMetric } from './metrics';
export { randomName } from './names';
export { scanFiles, type PlaintextHit } from './plaintext/scanFiles';
export { provisionInfrastructure, type Provisioned } from './provision';
export { dockerAnswers, serverSource, type ServerSource } from './serverSource';
export { waitFor, type WaitForOptions } from './waitFor';
export { testClock, type TestClock } from './clock';
export { createTestTopics, testKafka, withTestAdmin } from './kafka';
export { freePort } from '@eventfold/infra';
export { spawnService, type ServiceProcess } from './process/spawnService';
export { eventLogContract, type EventLogSubject } from './contracts/eventLogContract';
export { mailerContract, type MailerSubject } from './contracts/mailerContract';
export { readStoreContract, type ReadStoreSubject } from './contracts/readStoreContract';
export {
  startPrivateInfrastructure,
  type PrivateInfrastructure,
  type ServerName,
} from './faults/privateInfrastructure';
export { FaultProxy, type ProxyMode } from './faults/faultProxy';
export { chromiumExecutable, launchChromium, screenshotDir } from './browser/chromium';
export { consoleWalkthrough } from './browser/consoleWalkthrough';
