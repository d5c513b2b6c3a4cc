/**
 * MQTT reason codes by name, so users read "Not authorized (0x87)" instead of a number.
 * MQTT 3.1.1 CONNACK return codes are a separate, smaller table (1..5) that overlaps the v5 numbers.
 */

const V5_REASON_NAMES: Readonly<Record<number, string>> = {
  0x00: 'Success',
  0x01: 'Granted QoS 1',
  0x02: 'Granted QoS 2',
  0x04: 'Disconnect with will message',
  0x10: 'No matching subscribers',
  0x11: 'No subscription existed',
  0x18: 'Continue authentication',
  0x19: 'Re-authenticate',
  0x80: 'Unspecified error',
  0x81: 'Malformed packet',
  0x82: 'Protocol error',
  0x83: 'Implementation specific error',
  0x84: 'Unsupported protocol version',
  0x85: 'Client identifier not valid',
  0x86: 'Bad user name or password',
  0x87: 'Not authorized',
  0x88: 'Server unavailable',
  0x89: 'Server busy',
  0x8a: 'Banned',
  0x8b: 'Server shutting down',
  0x8c: 'Bad authentication method',
  0x8d: 'Keep alive timeout',
  0x8e: 'Session taken over',
  0x8f: 'Topic filter invalid',
  0x90: 'Topic name invalid',
  0x91: 'Packet identifier in use',
  0x92: 'Packet identifier not found',
  0x93: 'Receive maximum exceeded',
  0x94: 'Topic alias invalid',
  0x95: 'Packet too large',
  0x96: 'Message rate too high',
  0x97: 'Quota exceeded',
  0x98: 'Administrative action',
  0x99: 'Payload format invalid',
  0x9a: 'Retain not supported',
  0x9b: 'QoS not supported',
  0x9c: 'Use another server',
  0x9d: 'Server moved',
  0x9e: 'Shared subscriptions not supported',
  0x9f: 'Connection rate exceeded',
  0xa0: 'Maximum connect time',
  0xa1: 'Subscription identifiers not supported',
  0xa2: 'Wildcard subscriptions not supported',
};

const V3_CONNACK_NAMES: Readonly<Record<number, string>> = {
  1: 'Unacceptable protocol version',
  2: 'Identifier rejected',
  3: 'Server unavailable',
  4: 'Bad user name or password',
  5: 'Not authorized',
};

function hex(code: number): string {
  return `0x${code.toString(16).toUpperCase().padStart(2, '0')}`;
}

/** "Not authorized (0x87)" for an MQTT 5 reason code (or a 3.1.1 SUBACK 0x80 failure). */
export function describeReasonCode(code: number): string {
  if (code === 0x80) return 'Refused by the broker (0x80)';
  const name = V5_REASON_NAMES[code];
  return name ? `${name} (${hex(code)})` : `Unknown reason (${hex(code)})`;
}

/**
 * Describes a CONNACK refusal in the protocol version that was used. A broker without MQTT 5 answers an MQTT 5
 * CONNECT with a 3.1.1 CONNACK (return code 1), whose number would otherwise read as "Granted QoS 1".
 */
export function describeConnackCode(code: number, protocolVersion: 3 | 4 | 5): string {
  if (protocolVersion === 5 && code === 1) return 'MQTT 5 is not supported (return code 1). Set protocolVersion to "3.1.1" for this broker.';
  if (protocolVersion === 5) return describeReasonCode(code);
  const name = V3_CONNACK_NAMES[code];
  return name ? `${name} (return code ${code})` : `Unknown return code ${code}`;
}

/** True for reason codes that report a failure (MQTT 5: 0x80 and above). */
export function isFailureReasonCode(code: number): boolean {
  return code >= 0x80;
}

/** CONNACK refusals that retrying with the same settings cannot fix. */
export function isPermanentConnackRefusal(code: number, protocolVersion: 3 | 4 | 5): boolean {
  if (protocolVersion !== 5) return code === 1 || code === 2 || code === 4 || code === 5;
  return [0x01, 0x84, 0x85, 0x86, 0x87, 0x8a, 0x8c].includes(code);
}

/** CONNACK refusals that mean the user name or password is wrong (so asking again may help). */
export function isCredentialRefusal(code: number, protocolVersion: 3 | 4 | 5): boolean {
  return protocolVersion === 5 ? code === 0x86 || code === 0x87 : code === 4 || code === 5;
}
