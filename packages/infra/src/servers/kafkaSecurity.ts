import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { installOnce } from './installOnce';
import { createCa, issueCertificate, LOCAL_SERVER_EXTENSIONS } from './localTls';
import { HOST } from './serverSpec';

/**
 * The SCRAM users of the local broker's SASL_SSL listener: one per service (each gets only its own ACLs, from
 * `eventfold kafka acls --apply`), one for the operator CLI, and an admin that is a super user like the plaintext
 * listener's anonymous clients. The CLI's defaults name the same users.
 */
export const KAFKA_PRINCIPALS = Object.freeze([
  'eventfold-admin',
  'eventfold-command',
  'eventfold-projector',
  'eventfold-notifier',
  'eventfold-query',
  'eventfold-integration',
  'eventfold-operator',
] as const);

export type KafkaPrincipal = (typeof KAFKA_PRINCIPALS)[number];

/**
 * `User:ANONYMOUS` is every client of the PLAINTEXT listener (and of the controller listener, the broker itself):
 * a super user, so that the local default setup, the registry and the broker work as before. ACLs bind the
 * SASL_SSL listener's clients only.
 */
const SUPER_USERS = ['User:ANONYMOUS', 'User:eventfold-admin'];

/** The files of a local broker's TLS and SCRAM setup, under its data folder (`security/`). */
export interface KafkaSecurityFiles {
  readonly dir: string;
  /** The self-signed CA that signed the broker's and the client's certificates: what clients trust. */
  readonly caFile: string;
  /** The broker's key and certificate (SAN IP:127.0.0.1, DNS:localhost), one PEM file. */
  readonly brokerPem: string;
  /** A client certificate signed by the CA, for clients that present one (the listener asks, never requires). */
  readonly clientCertFile: string;
  readonly clientKeyFile: string;
  passwordFile(principal: KafkaPrincipal): string;
  envFile(principal: KafkaPrincipal): string;
}

export function kafkaSecurityFiles(dataDir: string): KafkaSecurityFiles {
  const dir = path.join(dataDir, 'security');
  return {
    dir,
    caFile: path.join(dir, 'ca.crt'),
    brokerPem: path.join(dir, 'broker.pem'),
    clientCertFile: path.join(dir, 'client.crt'),
    clientKeyFile: path.join(dir, 'client.key'),
    passwordFile: (principal) => path.join(dir, `${principal}.password`),
    envFile: (principal) => path.join(dir, `${principal}.env`),
  };
}

/**
 * The variables a client needs to connect to the SASL_SSL listener as `principal` (what `readKafkaSettings`
 * reads), as written into `security/<principal>.env`.
 */
export function secureKafkaEnv(
  files: KafkaSecurityFiles,
  securePort: number,
  principal: KafkaPrincipal,
): Record<string, string> {
  return {
    KAFKA_BROKERS: `${HOST}:${securePort}`,
    KAFKA_SECURITY_PROTOCOL: 'SASL_SSL',
    KAFKA_SSL_CA_FILE: files.caFile,
    KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512',
    KAFKA_SASL_USERNAME: principal,
    KAFKA_SASL_PASSWORD_FILE: files.passwordFile(principal),
  };
}

/**
 * Generates, once per data folder, a CA, the broker's certificate, a client certificate and a random password per
 * principal (keys and passwords readable by their owner only). Later starts reuse them. Writes each principal's `.env` file.
 * Answers whether they were created now.
 */
export async function ensureKafkaSecurity(files: KafkaSecurityFiles, securePort: number): Promise<boolean> {
  const created = await installOnce(files.dir, async (scratch) => {
    const at = (file: string) => path.join(scratch, file);
    await createCa(scratch, 'eventfold local Kafka CA');
    await issueCertificate(scratch, 'broker', `/CN=${HOST}`, LOCAL_SERVER_EXTENSIONS);
    fs.writeFileSync(
      at('broker.pem'),
      fs.readFileSync(at('broker.key'), 'utf8') + fs.readFileSync(at('broker.crt'), 'utf8'),
      { mode: 0o600 },
    );
    fs.rmSync(at('broker.key'));
    fs.rmSync(at('broker.crt'));
    await issueCertificate(scratch, 'client', '/CN=eventfold-client', 'extendedKeyUsage=clientAuth\n');
    for (const principal of KAFKA_PRINCIPALS) {
      fs.writeFileSync(
        at(path.basename(files.passwordFile(principal))),
        randomBytes(18).toString('base64url'),
        {
          mode: 0o600,
        },
      );
    }
  });
  // Rewritten on every start: the port follows the layout (EVENTFOLD_PORT_OFFSET). `set -a; . <file>; set +a`.
  const missing = principalsWithoutCredentials(files);
  for (const principal of KAFKA_PRINCIPALS.filter((p) => !missing.includes(p)))
    fs.writeFileSync(
      files.envFile(principal),
      Object.entries(secureKafkaEnv(files, securePort, principal))
        .map(([name, value]) => `${name}=${value}\n`)
        .join(''),
    );
  return created;
}

/**
 * Principals added to eventfold after this data folder's users were generated (the integration translator's, for
 * one): they have no password here, and the broker, whose users only a first format creates, has no user for them.
 */
export function principalsWithoutCredentials(files: KafkaSecurityFiles): KafkaPrincipal[] {
  return KAFKA_PRINCIPALS.filter((principal) => !fs.existsSync(files.passwordFile(principal)));
}

/**
 * `kafka-storage format --add-scram` arguments creating every principal's SCRAM-SHA-512 credential (the tool
 * salts and hashes them; base64url passwords need no quoting). They apply only when the data folder is formatted
 * for the first time: Kafka reads them into its metadata log once.
 */
export function scramFormatArguments(files: KafkaSecurityFiles): string[] {
  const missing = principalsWithoutCredentials(files);
  return KAFKA_PRINCIPALS.filter((principal) => !missing.includes(principal)).flatMap((principal) => [
    '--add-scram',
    `SCRAM-SHA-512=[name=${principal},password=${fs.readFileSync(files.passwordFile(principal), 'utf8')}]`,
  ]);
}

/** The server.properties lines of the SASL_SSL listener, its authorizer and its TLS files. */
export function secureListenerProperties(files: KafkaSecurityFiles): string[] {
  return [
    'authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer',
    `super.users=${SUPER_USERS.join(';')}`,
    'allow.everyone.if.no.acl.found=false',
    'sasl.enabled.mechanisms=SCRAM-SHA-512',
    'listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;',
    'listener.name.sasl_ssl.ssl.keystore.type=PEM',
    `listener.name.sasl_ssl.ssl.keystore.location=${files.brokerPem}`,
    'listener.name.sasl_ssl.ssl.truststore.type=PEM',
    `listener.name.sasl_ssl.ssl.truststore.location=${files.caFile}`,
    // A client certificate is checked against the CA when one is presented; SASL says who the client is.
    'listener.name.sasl_ssl.ssl.client.auth=requested',
  ];
}
