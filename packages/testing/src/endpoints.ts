/** Where the real servers a test talks to are, as the services read them from the environment. */
export interface TestEndpoints {
  readonly kafkaBrokers: readonly string[];
  readonly schemaRegistryUrl: string;
  readonly mongoShards: readonly string[];
  readonly smtpUrl: string;
  /** Folder where the SMTP sink keeps what it receives; null when SMTP_URL points at a server of someone else's. */
  readonly mailboxDir: string | null;
}

export const endpointVariables = Object.freeze([
  'KAFKA_BROKERS',
  'SCHEMA_REGISTRY_URL',
  'MONGO_SHARDS',
  'SMTP_URL',
] as const);

const list = (value: string) =>
  value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/** The endpoints the harness provisioned (jest globalSetup writes them into the environment of every worker). */
export function testEndpoints(env: NodeJS.ProcessEnv = process.env): TestEndpoints {
  const missing = endpointVariables.filter((name) => !env[name]);
  if (missing.length > 0) {
    throw new Error(
      `Test endpoints are not set (${missing.join(', ')}): run the test through jest's int or e2e project`,
    );
  }
  return {
    kafkaBrokers: list(env.KAFKA_BROKERS!),
    schemaRegistryUrl: env.SCHEMA_REGISTRY_URL!,
    mongoShards: list(env.MONGO_SHARDS!),
    smtpUrl: env.SMTP_URL!,
    mailboxDir: env.SMTP_MAILBOX_DIR ?? null,
  };
}
