export {
  integrationTranslator,
  type IntegrationTranslatorOptions,
  type PublishedUsers,
} from './translation/integrationTranslator';
