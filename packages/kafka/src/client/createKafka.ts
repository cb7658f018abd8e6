import { Kafka, logLevel, type KafkaConfig, type LogEntry } from 'kafkajs';
import type { Logger } from '@eventfold/observability';
import { kafkajsSecurity } from './kafkajsSecurity';
import type { KafkaSettings } from './kafkaSettings';

/** The brokers (and, when set, TLS and SASL: `readKafkaSettings`), and how this client names and logs itself. */
export interface KafkaClientOptions extends Partial<Pick<KafkaSettings, 'tls' | 'sasl'>> {
  readonly brokers: readonly string[];
  readonly clientId: string;
  readonly logger: Logger;
  readonly connectionTimeoutMs?: number;
  readonly requestTimeoutMs?: number;
}

const levels: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

/**
 * A kafkajs client that logs through pino (kafkajs's info chatter demoted to debug). Without `tls` and `sasl` it
 * speaks plaintext, as before they existed; their files are read here (a ValidationError names one that is not
 * usable).
 */
export function createKafka(options: KafkaClientOptions): Kafka {
  if (options.brokers.length === 0) throw new Error('KAFKA_BROKERS is empty: give at least one host:port');
  const config: KafkaConfig = {
    clientId: options.clientId,
    brokers: [...options.brokers],
    ...kafkajsSecurity(options),
    connectionTimeout: options.connectionTimeoutMs ?? 3000,
    requestTimeout: options.requestTimeoutMs ?? 30_000,
    logLevel: logLevel.WARN,
    logCreator:
      () =>
      ({ level, log }: LogEntry) => {
        const { message, timestamp: _timestamp, logger: _logger, ...rest } = log;
        const pinoLevel = levels[level] ?? 'info';
        options.logger[pinoLevel === 'info' ? 'debug' : pinoLevel]({ kafkajs: rest }, message);
      },
  };
  return new Kafka(config);
}
