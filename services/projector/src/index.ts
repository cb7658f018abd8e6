// The projector's public surface: what the embedded mode, the CLI, deploy checks and system tests compose it from.
export { readProjectorConfig, type ProjectorConfig } from './config';
export { projectorKafkaNames } from './kafkaNames';
export {
  startProjectorService,
  type OpenedControl,
  type ProjectorAdapters,
  type ProjectorDeps,
  type RunningProjectorService,
} from './projectorService';
