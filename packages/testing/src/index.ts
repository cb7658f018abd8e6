export { testEndpoints, type TestEndpoints } from './endpoints';
export { receivedMail, type StoredMail } from './mailbox';
export { randomName } from './names';
export { provisionInfrastructure, type Provisioned } from './provision';
export { waitFor, type WaitForOptions } from './waitFor';
export { freePort, spawnService, type ServiceProcess } from './process/spawnService';
export {
  startPrivateInfrastructure,
  type PrivateInfrastructure,
  type ServerName,
} from './faults/privateInfrastructure';
export { FaultProxy, type ProxyMode } from './faults/faultProxy';
