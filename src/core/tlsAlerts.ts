/**
 * TLS alerts a broker sends during the handshake about this client's certificate or TLS settings. OpenSSL puts
 * the alert number in the message ("... SSL alert number 48"); Node also gives a code such as
 * ERR_SSL_TLSV1_ALERT_UNKNOWN_CA. None of them is fixed by trying again with the same settings.
 */

const ALERT_NUMBER = /alert number (\d+)/i;

/** The sentence for each alert a broker sends about the client side, by alert number (RFC 8446 6.2). */
const ALERT_SENTENCES: Readonly<Record<number, (where: string) => string>> = {
  40: (where) => `The TLS handshake with ${where} failed (handshake failure): the broker accepts none of the TLS versions or ciphers this client offers. Check the broker's TLS settings (ciphers, tls_version).`,
  42: (where) => `The broker at ${where} rejected the client certificate (bad certificate). Check that tls.cert and tls.key are the pair the broker expects.`,
  43: (where) => `The broker at ${where} does not accept this kind of client certificate (unsupported certificate). It must be made for client authentication (extendedKeyUsage clientAuth).`,
  44: (where) => `The broker at ${where} says the client certificate was revoked. Get a new client certificate for tls.cert.`,
  45: (where) => `The broker at ${where} says the client certificate has expired (or is not valid yet: check the clock). Renew the certificate in tls.cert.`,
  46: (where) => `The broker at ${where} could not use the client certificate (certificate unknown). Check tls.cert.`,
  48: (where) => `The broker at ${where} does not trust the client certificate (unknown CA).`,
  49: (where) => `The broker at ${where} refused access for this client certificate (access denied).`,
  70: (where) => `The broker at ${where} does not accept the TLS version this client offers (protocol version). Check the broker's tls_version.`,
  116: (where) => `The broker at ${where} requires a client certificate. Set tls.cert and tls.key.`,
};

/** The TLS alert number in an OpenSSL message, if it names one this module describes. */
export function clientTlsAlert(message: string): number | undefined {
  const match = ALERT_NUMBER.exec(message);
  const alert = match ? Number(match[1]) : /certificate required/i.test(message) ? 116 : /unknown ca/i.test(message) ? 48 : undefined;
  return alert !== undefined && ALERT_SENTENCES[alert] ? alert : undefined;
}

/** The user's sentence for a TLS alert from the broker at `where` ("host:port"), or undefined for another error. */
export function describeTlsAlert(message: string, where: string): string | undefined {
  const alert = clientTlsAlert(message);
  return alert === undefined ? undefined : ALERT_SENTENCES[alert](where);
}
