// Test certificates made at test time with the `openssl` CLI (EC P-256: fast to generate).
// Nothing here is a fixture on disk: every run gets fresh keys in a directory the caller owns.
import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { resolve, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Passphrase of {@link Certificates.clientKeyEncrypted}. */
export const CLIENT_KEY_PASSPHRASE = 'workbench-test-passphrase';

/** Absolute paths of the PEM files made by {@link makeCertificates}. */
export interface Certificates {
  /** Directory holding every file below. */
  readonly dir: string;
  /** The test CA that signs the server and client certificates. */
  readonly caCert: string;
  readonly caKey: string;
  /** Server certificate for SAN IP:127.0.0.1 and DNS:localhost, signed by the CA. */
  readonly serverCert: string;
  readonly serverKey: string;
  /** Client certificate (CN=workbench-client) for mutual TLS, signed by the CA. */
  readonly clientCert: string;
  /** The client key, unencrypted PEM ("PRIVATE KEY"). */
  readonly clientKey: string;
  /** The same client key as PKCS#8 "ENCRYPTED PRIVATE KEY", passphrase {@link CLIENT_KEY_PASSPHRASE}. */
  readonly clientKeyEncrypted: string;
  /** A second CA that signed nothing the broker uses: trusting only it must fail verification. */
  readonly wrongCaCert: string;
  readonly wrongCaKey: string;
  /** Server certificate signed by the good CA whose only name is DNS:wrong.example (hostname mismatch). */
  readonly wrongHostCert: string;
  readonly wrongHostKey: string;
  /** Client certificate signed by the unrelated CA: a broker that requires client certificates does not trust it. */
  readonly untrustedClientCert: string;
  readonly untrustedClientKey: string;
  /** Client certificate signed by the good CA that expired in 2020. */
  readonly expiredClientCert: string;
  readonly expiredClientKey: string;
}

const DAYS = '2';
const OPENSSL_TIMEOUT_MS = 20_000;

async function openssl(cwd: string, args: readonly string[]): Promise<void> {
  try {
    await run('openssl', args, { cwd, timeout: OPENSSL_TIMEOUT_MS });
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? '';
    throw new Error(`openssl ${args[0]} failed in ${cwd}: ${(error as Error).message}\n${stderr}`);
  }
}

async function makeKey(dir: string, file: string): Promise<void> {
  await openssl(dir, ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', file]);
}

async function makeCa(dir: string, name: string, commonName: string): Promise<void> {
  await makeKey(dir, `${name}.key`);
  await openssl(dir, [
    'req', '-x509', '-new', '-key', `${name}.key`, '-out', `${name}.crt`, '-days', DAYS, '-subj', `/CN=${commonName}`,
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
  ]);
}

/** Makes a leaf key + certificate signed by `ca`, with the given extensions (one per line). */
async function makeLeaf(dir: string, ca: string, name: string, commonName: string, extensions: string[]): Promise<void> {
  await makeKey(dir, `${name}.key`);
  await openssl(dir, ['req', '-new', '-key', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${commonName}`]);
  await writeFile(join(dir, `${name}.ext`), ['basicConstraints=CA:FALSE', ...extensions, ''].join('\n'));
  await openssl(dir, [
    'x509', '-req', '-in', `${name}.csr`, '-CA', `${ca}.crt`, '-CAkey', `${ca}.key`, '-set_serial', randomSerial(),
    '-days', DAYS, '-extfile', `${name}.ext`, '-out', `${name}.crt`,
  ]);
}

/** Makes a client key + certificate signed by `ca` that was valid only on 1 January 2020 (`openssl ca` sets past dates). */
async function makeExpiredLeaf(dir: string, ca: string, name: string): Promise<void> {
  await makeKey(dir, `${name}.key`);
  await openssl(dir, ['req', '-new', '-key', `${name}.key`, '-out', `${name}.csr`, '-subj', '/CN=expired-client']);
  const db = join(dir, `${name}-db`);
  await mkdir(db, { recursive: true });
  await writeFile(join(db, 'index.txt'), '');
  await writeFile(join(db, 'serial'), `${randomSerial().slice(2).padStart(12, '0')}\n`);
  await writeFile(join(db, 'ca.cnf'), ['[ca]', 'default_ca = test', '[test]', `database = ${db}/index.txt`, `new_certs_dir = ${db}`, `serial = ${db}/serial`, 'default_md = sha256', 'policy = any', '[any]', 'commonName = supplied', ''].join('\n'));
  await openssl(dir, [
    'ca', '-batch', '-config', join(db, 'ca.cnf'), '-cert', `${ca}.crt`, '-keyfile', `${ca}.key`, '-in', `${name}.csr`, '-out', `${name}.crt`,
    '-startdate', '20200101000000Z', '-enddate', '20200102000000Z', '-notext',
  ]);
}

function randomSerial(): string {
  return `0x${Math.floor(Math.random() * 2 ** 48).toString(16)}`;
}

/**
 * Creates a CA, a server certificate for 127.0.0.1/localhost, a client certificate for mutual TLS
 * (plain and passphrase-encrypted key), an unrelated "wrong" CA, and a server certificate whose only
 * name is wrong.example. Takes well under a second on a normal machine.
 * @param dir directory to write into (created if missing).
 */
export async function makeCertificates(dir: string): Promise<Certificates> {
  const abs = resolve(dir);
  await mkdir(abs, { recursive: true });
  const serverUsage = ['keyUsage=critical,digitalSignature', 'extendedKeyUsage=serverAuth'];
  await Promise.all([
    (async () => {
      await makeCa(abs, 'ca', 'MQTT Workbench Test CA');
      await Promise.all([
        makeLeaf(abs, 'ca', 'server', 'localhost', [...serverUsage, 'subjectAltName=IP:127.0.0.1,DNS:localhost']),
        makeLeaf(abs, 'ca', 'wrong-host', 'wrong.example', [...serverUsage, 'subjectAltName=DNS:wrong.example']),
        makeLeaf(abs, 'ca', 'client', 'workbench-client', ['keyUsage=critical,digitalSignature', 'extendedKeyUsage=clientAuth']),
        makeExpiredLeaf(abs, 'ca', 'expired-client'),
      ]);
      await openssl(abs, [
        'pkcs8', '-topk8', '-in', 'client.key', '-out', 'client-encrypted.key', '-v2', 'aes-256-cbc',
        '-passout', `pass:${CLIENT_KEY_PASSPHRASE}`,
      ]);
    })(),
    (async () => {
      await makeCa(abs, 'wrong-ca', 'Unrelated Test CA');
      await makeLeaf(abs, 'wrong-ca', 'untrusted-client', 'untrusted-client', ['keyUsage=critical,digitalSignature', 'extendedKeyUsage=clientAuth']);
    })(),
  ]);
  const path = (file: string): string => join(abs, file);
  return {
    dir: abs,
    caCert: path('ca.crt'),
    caKey: path('ca.key'),
    serverCert: path('server.crt'),
    serverKey: path('server.key'),
    clientCert: path('client.crt'),
    clientKey: path('client.key'),
    clientKeyEncrypted: path('client-encrypted.key'),
    wrongCaCert: path('wrong-ca.crt'),
    wrongCaKey: path('wrong-ca.key'),
    wrongHostCert: path('wrong-host.crt'),
    wrongHostKey: path('wrong-host.key'),
    untrustedClientCert: path('untrusted-client.crt'),
    untrustedClientKey: path('untrusted-client.key'),
    expiredClientCert: path('expired-client.crt'),
    expiredClientKey: path('expired-client.key'),
  };
}
