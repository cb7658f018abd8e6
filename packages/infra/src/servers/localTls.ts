import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { run } from '../run';

// Certificates for the local servers' TLS listeners, made with `openssl` (which the machine has): EC P-256 keys
// as unencrypted PKCS#8 PEM, which Kafka's PEM keystore, Go (FerretDB) and Node all read. Ten years: they live
// as long as the data folder they are generated into.

const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

/** A self-signed CA in `dir`: `ca.key` (owner-only) and `ca.crt`, the file clients trust. */
export async function createCa(dir: string, commonName: string): Promise<void> {
  const at = (file: string) => path.join(dir, file);
  await run('openssl', [
    'req',
    '-x509',
    ...EC_KEY,
    '-keyout',
    at('ca.key'),
    '-out',
    at('ca.crt'),
    '-days',
    '3650',
    '-subj',
    `/CN=${commonName}`,
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  fs.chmodSync(at('ca.key'), 0o600);
}

/**
 * `<name>.key` (owner-only) and `<name>.crt`, signed by the CA in `dir`, with the given extensions in openssl's
 * extfile syntax (`subjectAltName=IP:127.0.0.1` for a server, `extendedKeyUsage=clientAuth` for a client).
 */
export async function issueCertificate(
  dir: string,
  name: string,
  subject: string,
  extensions: string,
): Promise<void> {
  const at = (file: string) => path.join(dir, file);
  await run('openssl', [
    'req',
    ...EC_KEY,
    '-keyout',
    at(`${name}.key`),
    '-out',
    at(`${name}.csr`),
    '-subj',
    subject,
  ]);
  fs.writeFileSync(at(`${name}.ext`), extensions);
  await run('openssl', [
    'x509',
    '-req',
    '-in',
    at(`${name}.csr`),
    '-CA',
    at('ca.crt'),
    '-CAkey',
    at('ca.key'),
    '-set_serial',
    `0x${randomBytes(16).toString('hex')}`,
    '-days',
    '3650',
    '-extfile',
    at(`${name}.ext`),
    '-out',
    at(`${name}.crt`),
  ]);
  fs.rmSync(at(`${name}.csr`));
  fs.rmSync(at(`${name}.ext`));
  fs.chmodSync(at(`${name}.key`), 0o600);
}

/** The extensions of a certificate for a server on this machine (127.0.0.1 and localhost). */
export const LOCAL_SERVER_EXTENSIONS =
  'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n';
