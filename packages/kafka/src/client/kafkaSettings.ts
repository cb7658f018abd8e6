import type { EnvReader } from '@eventfold/core';

/** How a client talks to the brokers, by Kafka's own names (`security.protocol`). */
export const KafkaSecurityProtocol = Object.freeze({
  Plaintext: 'PLAINTEXT',
  Ssl: 'SSL',
  SaslPlaintext: 'SASL_PLAINTEXT',
  SaslSsl: 'SASL_SSL',
} as const);

export type KafkaSecurityProtocol = (typeof KafkaSecurityProtocol)[keyof typeof KafkaSecurityProtocol];

/** The SASL mechanisms offered, by kafkajs's names (Kafka's are the same in capitals). */
export const SaslMechanism = Object.freeze({
  ScramSha512: 'scram-sha-512',
  ScramSha256: 'scram-sha-256',
  Plain: 'plain',
} as const);

export type SaslMechanism = (typeof SaslMechanism)[keyof typeof SaslMechanism];

/** TLS to the brokers. The broker's certificate is always verified, its host name included. */
export interface KafkaTls {
  /** PEM file of the CAs that sign the brokers' certificates; null: the system's CAs (Node's defaults). */
  readonly caFile: string | null;
  /** PEM files of a client certificate and its unencrypted key, for brokers that ask for one (mutual TLS). */
  readonly certFile: string | null;
  readonly keyFile: string | null;
}

/** SASL authentication: who the client is to the brokers' ACLs. */
export interface KafkaSasl {
  readonly mechanism: SaslMechanism;
  readonly username: string;
  /** In the environment, or in a file (a Kubernetes Secret mounted as a volume), read when the client is made. */
  readonly password: { readonly value: string } | { readonly file: string };
}

/** Where the brokers are and how to reach them: what `createKafka` needs besides a client id and a logger. */
export interface KafkaSettings {
  readonly brokers: readonly string[];
  /** null: plaintext (PLAINTEXT, SASL_PLAINTEXT). */
  readonly tls: KafkaTls | null;
  /** null: no authentication (PLAINTEXT, SSL). */
  readonly sasl: KafkaSasl | null;
}

const PROTOCOLS: readonly string[] = Object.values(KafkaSecurityProtocol);
const MECHANISMS: readonly string[] = Object.values(SaslMechanism);

const listed = (names: readonly string[]) => `${names.join(', ')} ${names.length === 1 ? 'is' : 'are'}`;

/**
 * Reads the Kafka connection settings: `KAFKA_BROKERS`, `KAFKA_SECURITY_PROTOCOL` (PLAINTEXT by default, as
 * before these settings existed), `KAFKA_SSL_CA_FILE`, `KAFKA_SSL_CERT_FILE`, `KAFKA_SSL_KEY_FILE`,
 * `KAFKA_SASL_MECHANISM` (SCRAM-SHA-512 by default), `KAFKA_SASL_USERNAME`, and `KAFKA_SASL_PASSWORD` or
 * `KAFKA_SASL_PASSWORD_FILE`. A setting the protocol would ignore is a problem, not silently dropped: a CA file
 * with PLAINTEXT means someone believes the connection is encrypted. Problems go to `env` (its `check()` throws
 * them with the rest of the service's); files are read by `createKafka`, not here.
 */
export function readKafkaSettings(env: EnvReader): KafkaSettings {
  // Every variable is read before any is judged: the deploy checks record the names a config reader asks for.
  const brokers = env.list('KAFKA_BROKERS', ['127.0.0.1:9092']);
  const protocolValue =
    env.optional('KAFKA_SECURITY_PROTOCOL')?.toUpperCase() ?? KafkaSecurityProtocol.Plaintext;
  const tlsValues = {
    KAFKA_SSL_CA_FILE: env.optional('KAFKA_SSL_CA_FILE'),
    KAFKA_SSL_CERT_FILE: env.optional('KAFKA_SSL_CERT_FILE'),
    KAFKA_SSL_KEY_FILE: env.optional('KAFKA_SSL_KEY_FILE'),
  };
  const saslValues = {
    KAFKA_SASL_MECHANISM: env.optional('KAFKA_SASL_MECHANISM'),
    KAFKA_SASL_USERNAME: env.optional('KAFKA_SASL_USERNAME'),
    KAFKA_SASL_PASSWORD: env.secret('KAFKA_SASL_PASSWORD'),
    KAFKA_SASL_PASSWORD_FILE: env.optional('KAFKA_SASL_PASSWORD_FILE'),
  };
  if (!PROTOCOLS.includes(protocolValue)) {
    env.problem(`KAFKA_SECURITY_PROTOCOL must be one of ${PROTOCOLS.join(', ')}, not "${protocolValue}"`);
    return { brokers, tls: null, sasl: null };
  }
  const protocol = protocolValue as KafkaSecurityProtocol;
  const usesTls = protocol === KafkaSecurityProtocol.Ssl || protocol === KafkaSecurityProtocol.SaslSsl;
  const usesSasl =
    protocol === KafkaSecurityProtocol.SaslSsl || protocol === KafkaSecurityProtocol.SaslPlaintext;
  const setNames = (values: Record<string, string | undefined>) =>
    Object.entries(values)
      .filter(([, value]) => value !== undefined)
      .map(([name]) => name);

  let tls: KafkaTls | null = null;
  if (!usesTls) {
    const set = setNames(tlsValues);
    if (set.length > 0)
      env.problem(
        `${listed(set)} set but KAFKA_SECURITY_PROTOCOL is ${protocol}: TLS settings need SSL or SASL_SSL`,
      );
  } else {
    const {
      KAFKA_SSL_CA_FILE: caFile,
      KAFKA_SSL_CERT_FILE: certFile,
      KAFKA_SSL_KEY_FILE: keyFile,
    } = tlsValues;
    if ((certFile === undefined) !== (keyFile === undefined))
      env.problem(
        'KAFKA_SSL_CERT_FILE and KAFKA_SSL_KEY_FILE go together: a client certificate needs its key',
      );
    tls = { caFile: caFile ?? null, certFile: certFile ?? null, keyFile: keyFile ?? null };
  }

  if (!usesSasl) {
    const set = setNames(saslValues);
    if (set.length > 0)
      env.problem(
        `${listed(set)} set but KAFKA_SECURITY_PROTOCOL is ${protocol}: SASL settings need SASL_SSL or SASL_PLAINTEXT`,
      );
    return { brokers, tls, sasl: null };
  }
  const mechanism = saslValues.KAFKA_SASL_MECHANISM?.toLowerCase() ?? SaslMechanism.ScramSha512;
  const { KAFKA_SASL_USERNAME: username, KAFKA_SASL_PASSWORD: password } = saslValues;
  const passwordFile = saslValues.KAFKA_SASL_PASSWORD_FILE;
  if (!MECHANISMS.includes(mechanism))
    env.problem(
      `KAFKA_SASL_MECHANISM must be one of ${MECHANISMS.map((m) => m.toUpperCase()).join(', ')}, not "${saslValues.KAFKA_SASL_MECHANISM}"`,
    );
  else if (mechanism === SaslMechanism.Plain && !usesTls)
    env.problem('KAFKA_SASL_MECHANISM PLAIN sends the password as it is: use it with SASL_SSL only');
  if (!username) env.problem(`KAFKA_SASL_USERNAME is required with ${protocol}`);
  if (password === undefined && passwordFile === undefined)
    env.problem(`KAFKA_SASL_PASSWORD or KAFKA_SASL_PASSWORD_FILE is required with ${protocol}`);
  if (password !== undefined && passwordFile !== undefined)
    env.problem('KAFKA_SASL_PASSWORD and KAFKA_SASL_PASSWORD_FILE are both set: set one');
  return {
    brokers,
    tls,
    sasl: {
      mechanism: mechanism as SaslMechanism,
      username: username ?? '',
      password: passwordFile !== undefined ? { file: passwordFile } : { value: password ?? '' },
    },
  };
}
