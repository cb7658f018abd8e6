import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { kafkajsSecurity } from './kafkajsSecurity';

describe('kafkajsSecurity', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kafkajs-security-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, content: string) => {
    const at = path.join(dir, name);
    fs.writeFileSync(at, content);
    return at;
  };
  const noTls = { caFile: null, certFile: null, keyFile: null };

  it('adds nothing for plaintext: the kafkajs client is configured as before', () => {
    expect(kafkajsSecurity({})).toEqual({});
    expect(kafkajsSecurity({ tls: null, sasl: null })).toEqual({});
  });

  it("turns TLS on with the system's CAs when no CA file is given", () => {
    expect(kafkajsSecurity({ tls: noTls })).toEqual({ ssl: {} });
  });

  it('reads the password from its file, without the newline `echo` leaves', () => {
    const passwordFile = file('password', 's3cret pass\n');
    expect(
      kafkajsSecurity({
        sasl: { mechanism: 'scram-sha-512', username: 'eventfold-command', password: { file: passwordFile } },
      }),
    ).toEqual({
      sasl: { mechanism: 'scram-sha-512', username: 'eventfold-command', password: 's3cret pass' },
    });
  });

  it('gives every client its own sasl object (kafkajs keeps its authenticator, with the credentials, on it)', () => {
    const sasl = { mechanism: 'scram-sha-512', username: 'u', password: { value: 'p' } } as const;
    expect(kafkajsSecurity({ sasl }).sasl).not.toBe(kafkajsSecurity({ sasl }).sasl);
  });

  it('names the variable and the file that cannot be used', () => {
    const missing = path.join(dir, 'absent.crt');
    expect(() => kafkajsSecurity({ tls: { ...noTls, caFile: missing } })).toThrow(
      `Kafka configuration is invalid: KAFKA_SSL_CA_FILE ${missing} cannot be read (ENOENT)`,
    );
    const notPem = file('ca.txt', 'not a certificate');
    expect(() => kafkajsSecurity({ tls: { ...noTls, caFile: notPem } })).toThrow(
      `KAFKA_SSL_CA_FILE ${notPem} holds no PEM certificate`,
    );
    // A client certificate that is not one: refused at start, not at every connection attempt.
    const key = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({
      type: 'pkcs8',
      format: 'pem',
    });
    const tls = {
      caFile: null,
      certFile: file('garbled.crt', '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n'),
      keyFile: file('client.key', key as string),
    };
    expect(() => kafkajsSecurity({ tls })).toThrow(
      'Kafka configuration is invalid: the TLS files are unusable',
    );
    const empty = file('empty', '\n');
    expect(() =>
      kafkajsSecurity({ sasl: { mechanism: 'scram-sha-512', username: 'u', password: { file: empty } } }),
    ).toThrow(`KAFKA_SASL_PASSWORD_FILE ${empty} is empty`);
  });
});
