/**
 * Connect failures that retrying cannot fix: TLS material checked before connecting (a wrong passphrase or a
 * non-PEM file fails with its own message), and the network errors after which the session stops retrying.
 */
import { createSecureContext } from 'node:tls';
import type { ConnectInputs } from './clientOptions';
import { describeNetworkError } from './networkErrors';
import type { ConnectionProfile } from './profile';
import { clientTlsAlert } from './tlsAlerts';
import { isPermanentHandshakeRefusal } from './webSocket';

const FATAL_NETWORK_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_GET_ISSUER_CERT',
  'CERT_HAS_EXPIRED',
  'CERT_SIGNATURE_FAILURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'ERR_OSSL_BAD_DECRYPT',
  'ERR_OSSL_PEM_NO_START_LINE',
  'ERR_OSSL_PEM_BAD_BASE64_DECODE',
  'ERR_OSSL_X509_KEY_VALUES_MISMATCH',
]);

/** Loads the TLS material once before connecting, so a wrong passphrase or a non-PEM file fails with its own message. */
export function checkTlsMaterial(profile: ConnectionProfile, inputs: ConnectInputs): string | undefined {
  const files = inputs.tlsFiles;
  if (!profile.tls || !files) return undefined;
  for (const field of ['ca', 'cert', 'key'] as const) {
    const bytes = files[field];
    if (bytes && !Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 65536)).toString('latin1').includes('-----BEGIN')) {
      return `tls.${field} is not in PEM format (expected "-----BEGIN ..."). Check the file.`;
    }
  }
  try {
    createSecureContext({ ca: files.ca && Buffer.from(files.ca), cert: files.cert && Buffer.from(files.cert), key: files.key && Buffer.from(files.key), passphrase: inputs.passphrase });
    return undefined;
  } catch (error) {
    return describeNetworkError(error, profile);
  }
}

/** Errors that retrying with the same settings cannot fix: certificates, keys, passphrases, TLS alerts from the broker, a websocket path. */
export function isFatalNetworkError(error: { code?: unknown; message?: string }): boolean {
  const message = error.message ?? '';
  return (typeof error.code === 'string' && FATAL_NETWORK_CODES.has(error.code)) || /bad decrypt/i.test(message) || clientTlsAlert(message) !== undefined || isPermanentHandshakeRefusal(error);
}
