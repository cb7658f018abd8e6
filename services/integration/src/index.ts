export {
  integrationTranslator,
  type IntegrationTranslatorOptions,
  type PublishedUsers,
} from './translation/integrationTranslator';
export { integrationTopic, type IntegrationTopicOptions } from './translation/integrationTopic';
