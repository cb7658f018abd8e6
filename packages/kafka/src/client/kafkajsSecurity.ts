import fs from 'node:fs';
import tls from 'node:tls';
import type { KafkaConfig, SASLOptions } from 'kafkajs';
import { ValidationError } from '@eventfold/core';
import type { KafkaSasl, KafkaTls } from './kafkaSettings';

const invalid = (why: string) =>
  new ValidationError('INVALID_CONFIGURATION', `Kafka configuration is invalid: ${why}`);

function readSetting(variable: string, file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw invalid(
      `${variable} ${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
    );
  }
}

function tlsOptions(settings: KafkaTls): tls.ConnectionOptions {
  const options: tls.ConnectionOptions = {};
  if (settings.caFile) {
    const ca = readSetting('KAFKA_SSL_CA_FILE', settings.caFile);
    if (!ca.includes('-----BEGIN CERTIFICATE-----'))
      throw invalid(`KAFKA_SSL_CA_FILE ${settings.caFile} holds no PEM certificate`);
    options.ca = [ca];
  }
  if (settings.certFile && settings.keyFile) {
    options.cert = readSetting('KAFKA_SSL_CERT_FILE', settings.certFile);
    options.key = readSetting('KAFKA_SSL_KEY_FILE', settings.keyFile);
  }
  try {
    // Here rather than at the first connection: a key that does not match its certificate, or a file that is not
    // PEM, stops the service at start instead of failing every connection attempt (which kafkajs retries).
    tls.createSecureContext(options);
  } catch (error) {
    throw invalid(`the TLS files are unusable: ${(error as Error).message}`);
  }
  return options;
}

/**
 * A new object for every client: kafkajs stores the authenticator it builds on the object it is given, bound to
 * these credentials, and an object copied from it later would authenticate with the first credentials.
 */
function saslOptions(settings: KafkaSasl): SASLOptions {
  const credentials = { username: settings.username, password: password(settings) };
  switch (settings.mechanism) {
    case 'scram-sha-512':
      return { mechanism: 'scram-sha-512', ...credentials };
    case 'scram-sha-256':
      return { mechanism: 'scram-sha-256', ...credentials };
    case 'plain':
      return { mechanism: 'plain', ...credentials };
    default: {
      const unknown: never = settings.mechanism;
      throw invalid(`unknown SASL mechanism ${String(unknown)}`);
    }
  }
}

function password(settings: KafkaSasl): string {
  if ('value' in settings.password) return settings.password.value;
  // A file written with `echo` ends in a newline that is not part of the password.
  const value = readSetting('KAFKA_SASL_PASSWORD_FILE', settings.password.file).replace(/\r?\n$/, '');
  if (!value) throw invalid(`KAFKA_SASL_PASSWORD_FILE ${settings.password.file} is empty`);
  return value;
}

/**
 * The kafkajs `ssl` and `sasl` options of the settings, with their files read; nothing for plaintext. Throws a
 * ValidationError naming the variable when a file cannot be read or used.
 */
export function kafkajsSecurity(settings: {
  readonly tls?: KafkaTls | null;
  readonly sasl?: KafkaSasl | null;
}): Pick<KafkaConfig, 'ssl' | 'sasl'> {
  return {
    ...(settings.tls ? { ssl: tlsOptions(settings.tls) } : {}),
    ...(settings.sasl ? { sasl: saslOptions(settings.sasl) } : {}),
  };
}
