import document from '../../asyncapi.json';

/**
 * The AsyncAPI document as the repository keeps it (`pnpm eventfold asyncapi > packages/users-api/asyncapi.json`):
 * what the gateway serves at /asyncapi.json. A test holds it to the code that creates the topics and registers the
 * schemas, another to the AsyncAPI specification.
 */
export const publishedAsyncApi: Readonly<Record<string, unknown>> = document;
