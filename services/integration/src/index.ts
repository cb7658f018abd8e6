export { readIntegrationConfig, type IntegrationConfig } from './config';
export { integrationKafkaNames } from './kafkaNames';
export {
  startIntegrationService,
  type IntegrationAdapters,
  type IntegrationServiceDeps,
  type RunningIntegrationService,
} from './integrationService';
export {
  integrationTranslator,
  type IntegrationTranslatorOptions,
  type PublishedUsers,
} from './translation/integrationTranslator';
