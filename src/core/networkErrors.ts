import { describeTlsAlert } from './tlsAlerts';

/**
 * Turns Node socket, DNS and TLS errors into sentences that say what happened and what to do.
 * The raw error is kept for the log; this text is what the user sees.
 */

/** Where the session was trying to go when the error happened. */
export interface Endpoint {
  host: string;
  port: number;
  /** Keepalive in seconds, for the sentence of a keepalive timeout. */
  keepalive?: number;
}

interface NodeLikeError {
  code?: unknown;
  message?: unknown;
  reason?: unknown;
  /** The peer certificate of a host name mismatch (tls.checkServerIdentity). */
  cert?: { subjectaltname?: unknown; subject?: { CN?: unknown } };
}

/**
 * Node's reason for a host name mismatch. For an IP address it lists only the certificate's IP names, so a
 * certificate with DNS names alone gives an empty list ("IP: 127.0.0.1 is not in the cert's list: "): then the
 * names are read from the certificate itself (subjectAltName, else its CN).
 */
function mismatchReason(err: NodeLikeError, message: string): string {
  const reason = typeof err.reason === 'string' ? err.reason : message;
  if (!/list: ?$/.test(reason)) return reason;
  const altNames = err.cert?.subjectaltname;
  const commonName = err.cert?.subject?.CN;
  const names = typeof altNames === 'string' && altNames !== '' ? altNames : typeof commonName === 'string' ? `CN=${commonName}` : 'no names';
  return `${reason.replace(/ ?$/, ' ')}${names}`;
}

function codeOf(error: NodeLikeError): string {
  return typeof error.code === 'string' ? error.code : '';
}

function messageOf(error: NodeLikeError): string {
  return typeof error.message === 'string' ? error.message : String(error);
}

const TLS_TRUST_MESSAGES: Readonly<Record<string, string>> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: 'Certificate not trusted: self-signed. Set tls.ca to the certificate that signed it.',
  SELF_SIGNED_CERT_IN_CHAIN: 'Certificate not trusted: self-signed certificate in the chain. Set tls.ca to your CA certificate.',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'Certificate not trusted: its issuer is unknown. Set tls.ca to the CA that signed the broker certificate.',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'Certificate not trusted: its issuer is unknown. Set tls.ca to the CA that signed the broker certificate.',
  UNABLE_TO_GET_ISSUER_CERT: 'Certificate not trusted: its issuer is unknown. Set tls.ca to the CA that signed the broker certificate.',
  CERT_HAS_EXPIRED: 'Certificate not trusted: the broker certificate has expired.',
  CERT_NOT_YET_VALID: 'Certificate not trusted: the broker certificate is not valid yet (check the clock).',
  CERT_SIGNATURE_FAILURE: 'Certificate not trusted: its signature does not verify against tls.ca.',
};

/** A user-facing sentence for a connection-level error. */
export function describeNetworkError(error: unknown, endpoint: Endpoint): string {
  const err: NodeLikeError = typeof error === 'object' && error !== null ? (error as NodeLikeError) : { message: String(error) };
  const code = codeOf(err);
  const message = messageOf(err);
  const where = `${endpoint.host}:${endpoint.port}`;
  if (TLS_TRUST_MESSAGES[code]) return TLS_TRUST_MESSAGES[code];
  switch (code) {
    case 'ECONNREFUSED':
      return `Nothing is listening on ${where}. Check that the broker is running and the port is right.`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_NONAME':
      return `Host not found: ${endpoint.host}. Check the host name.`;
    case 'ETIMEDOUT':
      return `No answer from ${where}: the connection timed out.`;
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `${where} cannot be reached from this machine (no route).`;
    case 'ECONNRESET':
    case 'EPIPE':
      return `The connection to ${where} was reset by the other side.`;
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return `Certificate does not match the host: ${mismatchReason(err, message)}. Use the name in the certificate or set tls.servername.`;
    case 'ERR_OSSL_BAD_DECRYPT':
      return 'The private key could not be decrypted: the key passphrase is wrong.';
    case 'ERR_OSSL_PEM_NO_START_LINE':
    case 'ERR_OSSL_PEM_BAD_BASE64_DECODE':
      return 'A TLS file is not in PEM format (expected "-----BEGIN ..."). Check tls.ca, tls.cert and tls.key.';
    case 'ERR_OSSL_X509_KEY_VALUES_MISMATCH':
      return 'tls.key does not belong to tls.cert: the private key and the client certificate do not match.';
  }
  if (/bad decrypt/i.test(message)) return 'The private key could not be decrypted: the key passphrase is wrong.';
  const alert = describeTlsAlert(message, where);
  if (alert) return alert;
  if (/wrong version number|packet length too long/i.test(message)) {
    return `${where} did not answer TLS. Is it a plain (non-TLS) port? Try protocol "mqtt".`;
  }
  if (/Unexpected server response: (\d+)/.test(message)) {
    const status = /Unexpected server response: (\d+)/.exec(message)?.[1];
    return `The websocket handshake with ${where} failed (HTTP ${status}). Check the path (often "/mqtt").`;
  }
  if (message === 'Keepalive timeout') {
    // MQTT.js gives up when no packet came back for 1.5 x keepalive (it pings after one keepalive).
    const seconds = endpoint.keepalive === undefined ? '' : ` for ${Math.ceil(endpoint.keepalive * 1.5)} s (keepalive ${endpoint.keepalive} s)`;
    return `No answer from ${where}${seconds}: the broker or the network stopped responding.`;
  }
  if (/connack timeout|connect timeout/i.test(message)) {
    return `No MQTT answer from ${where} within the connect timeout. Is it an MQTT port, and is the protocol (mqtt/mqtts/ws/wss) right?`;
  }
  return message;
}

/**
 * Why the broker keeps closing connections it just accepted, without a reason (no DISCONNECT, no socket error).
 * Mosquitto 2.0 does this to the older of two clients with one client id each time the other connects.
 */
export function closedAfterConnectMessage(clientId: string): string {
  return `The broker keeps closing the connection soon after accepting it, without a reason. Another client connecting with the same client id ("${clientId}") does this; give each client its own id.`;
}

/** The sentence for an MQTT 5 DISCONNECT "Session taken over (0x8E)". */
export function takenOverMessage(reason: string, clientId: string): string {
  return `The broker closed the connection: ${reason}. Another client connected with the same client id ("${clientId}"); give each client its own id.`;
}
