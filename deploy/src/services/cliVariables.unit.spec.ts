import { cliVariables } from './cliVariables';

describe('cliVariables', () => {
  it('finds the variables the CLI reads, in its sources and through its cluster options', () => {
    // Those that point the CLI at the system: if one disappears from the sources, the Job templates must follow.
    expect([...cliVariables()]).toEqual(
      expect.arrayContaining([
        'KAFKA_BROKERS',
        'TOPIC_PREFIX',
        'MONGO_SHARDS',
        'READ_DB',
        'SCHEMA_REGISTRY_URL',
        'KAFKA_SECURITY_PROTOCOL',
        'KAFKA_SSL_CA_FILE',
        'KAFKA_SASL_USERNAME',
        'KAFKA_SASL_PASSWORD',
      ]),
    );
  });
});
