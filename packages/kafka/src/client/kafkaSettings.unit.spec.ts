import { EnvReader } from '@eventfold/core';
import { readKafkaSettings, type KafkaSettings } from './kafkaSettings';

function read(env: NodeJS.ProcessEnv): KafkaSettings {
  const reader = new EnvReader(env);
  const settings = readKafkaSettings(reader);
  reader.check('test service');
  return settings;
}

const problemsOf = (env: NodeJS.ProcessEnv) => () => read(env);

const scram = {
  KAFKA_SECURITY_PROTOCOL: 'SASL_SSL',
  KAFKA_SASL_USERNAME: 'eventfold-command',
  KAFKA_SASL_PASSWORD: 's3cret',
};

describe('readKafkaSettings', () => {
  it('is plaintext to 127.0.0.1:9092 without variables, as before TLS and SASL existed', () => {
    expect(read({})).toEqual({ brokers: ['127.0.0.1:9092'], tls: null, sasl: null });
    expect(read({ KAFKA_BROKERS: 'a:9092, b:9092', KAFKA_SECURITY_PROTOCOL: 'PLAINTEXT' })).toEqual({
      brokers: ['a:9092', 'b:9092'],
      tls: null,
      sasl: null,
    });
  });

  it('reads SASL_SSL with SCRAM-SHA-512 by default, a CA and a client certificate', () => {
    expect(
      read({
        ...scram,
        KAFKA_SSL_CA_FILE: '/etc/kafka/ca.crt',
        KAFKA_SSL_CERT_FILE: '/etc/kafka/tls.crt',
        KAFKA_SSL_KEY_FILE: '/etc/kafka/tls.key',
      }),
    ).toEqual({
      brokers: ['127.0.0.1:9092'],
      tls: { caFile: '/etc/kafka/ca.crt', certFile: '/etc/kafka/tls.crt', keyFile: '/etc/kafka/tls.key' },
      sasl: { mechanism: 'scram-sha-512', username: 'eventfold-command', password: { value: 's3cret' } },
    });
  });

  it("takes Kafka's spellings, SSL with the system's CAs, and a password from a file", () => {
    expect(read({ KAFKA_SECURITY_PROTOCOL: 'ssl' })).toEqual({
      brokers: ['127.0.0.1:9092'],
      tls: { caFile: null, certFile: null, keyFile: null },
      sasl: null,
    });
    const settings = read({
      KAFKA_SECURITY_PROTOCOL: 'sasl_plaintext',
      KAFKA_SASL_MECHANISM: 'SCRAM-SHA-256',
      KAFKA_SASL_USERNAME: 'u',
      KAFKA_SASL_PASSWORD_FILE: '/run/secrets/kafka-password',
    });
    expect(settings).toEqual({
      brokers: ['127.0.0.1:9092'],
      tls: null,
      sasl: { mechanism: 'scram-sha-256', username: 'u', password: { file: '/run/secrets/kafka-password' } },
    });
  });

  it('keeps a password as given, spaces included', () => {
    expect(read({ ...scram, KAFKA_SASL_PASSWORD: ' pass word ' }).sasl?.password).toEqual({
      value: ' pass word ',
    });
  });

  it('refuses settings the protocol would ignore, rather than run without what they ask for', () => {
    expect(problemsOf({ KAFKA_SSL_CA_FILE: '/ca.crt' })).toThrow(
      'test service configuration is invalid: KAFKA_SSL_CA_FILE is set but KAFKA_SECURITY_PROTOCOL is PLAINTEXT: TLS settings need SSL or SASL_SSL',
    );
    expect(problemsOf({ KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: 'p' })).toThrow(
      'KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD are set but KAFKA_SECURITY_PROTOCOL is PLAINTEXT: SASL settings need SASL_SSL or SASL_PLAINTEXT',
    );
    expect(
      problemsOf({ ...scram, KAFKA_SECURITY_PROTOCOL: 'SASL_PLAINTEXT', KAFKA_SSL_CA_FILE: '/ca' }),
    ).toThrow(
      'KAFKA_SSL_CA_FILE is set but KAFKA_SECURITY_PROTOCOL is SASL_PLAINTEXT: TLS settings need SSL or SASL_SSL',
    );
    expect(problemsOf({ KAFKA_SECURITY_PROTOCOL: 'SSL', KAFKA_SASL_USERNAME: 'u' })).toThrow(
      'KAFKA_SASL_USERNAME is set but KAFKA_SECURITY_PROTOCOL is SSL: SASL settings need SASL_SSL or SASL_PLAINTEXT',
    );
  });

  it('lists every problem of a SASL setup in one message', () => {
    expect(
      problemsOf({
        KAFKA_SECURITY_PROTOCOL: 'SASL_SSL',
        KAFKA_SASL_MECHANISM: 'GSSAPI',
        KAFKA_SSL_CERT_FILE: '/tls.crt',
      }),
    ).toThrow(
      'test service configuration is invalid: KAFKA_SSL_CERT_FILE and KAFKA_SSL_KEY_FILE go together: a client certificate needs its key; KAFKA_SASL_MECHANISM must be one of SCRAM-SHA-512, SCRAM-SHA-256, PLAIN, not "GSSAPI"; KAFKA_SASL_USERNAME is required with SASL_SSL; KAFKA_SASL_PASSWORD or KAFKA_SASL_PASSWORD_FILE is required with SASL_SSL',
    );
    expect(problemsOf({ ...scram, KAFKA_SASL_PASSWORD_FILE: '/p' })).toThrow(
      'KAFKA_SASL_PASSWORD and KAFKA_SASL_PASSWORD_FILE are both set: set one',
    );
  });

  it('refuses PLAIN without TLS, and an unknown protocol', () => {
    expect(
      problemsOf({ ...scram, KAFKA_SECURITY_PROTOCOL: 'SASL_PLAINTEXT', KAFKA_SASL_MECHANISM: 'PLAIN' }),
    ).toThrow('KAFKA_SASL_MECHANISM PLAIN sends the password as it is: use it with SASL_SSL only');
    expect(problemsOf({ KAFKA_SECURITY_PROTOCOL: 'TLS', KAFKA_SSL_CA_FILE: '/ca' })).toThrow(
      /KAFKA_SECURITY_PROTOCOL must be one of PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL, not "TLS"$/,
    );
  });

  it('asks for every variable whatever is set (the deploy checks record the names asked for)', () => {
    const asked = new Set<string>();
    const nothingSet: NodeJS.ProcessEnv = {};
    const recording = new Proxy(nothingSet, {
      get: (_target, name) => {
        if (typeof name === 'string') asked.add(name);
        return undefined;
      },
    });
    readKafkaSettings(new EnvReader(recording));
    expect([...asked].sort()).toEqual([
      'KAFKA_BROKERS',
      'KAFKA_SASL_MECHANISM',
      'KAFKA_SASL_PASSWORD',
      'KAFKA_SASL_PASSWORD_FILE',
      'KAFKA_SASL_USERNAME',
      'KAFKA_SECURITY_PROTOCOL',
      'KAFKA_SSL_CA_FILE',
      'KAFKA_SSL_CERT_FILE',
      'KAFKA_SSL_KEY_FILE',
    ]);
  });
});
