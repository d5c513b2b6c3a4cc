/**
 * The capture file format (`.mqttcap`): JSON Lines, UTF-8, `\n` after every line.
 *
 * Line 1 is the header: `{"mqttcap":1,"connection":"Lab","broker":"127.0.0.1:1883","protocolVersion":"5",
 * "filters":["#"],"startedAt":"2026-12-02T16:45:00.000Z","extension":"mqtt-workbench 0.1.0"}` (never a password).
 * Every other line is a message, `{"t":1520,"topic":"a/b","payload":"MjEuNQ==","qos":1,"retain":false,"dup":false,
 * "dir":"in","properties":{...}}`, or a gap marker `{"t":90000000,"gap":"<why>"}` where the recording paused
 * (a reconnect). `t` is microseconds since `startedAt`; `payload` is standard base64 (RFC 4648, padded);
 * `properties` are the MQTT 5 PUBLISH properties: user properties as ordered `[key, value]` pairs (keys may repeat)
 * and correlation data as base64. Readers ignore fields they do not know, so later versions may add some.
 */
import type { MqttMessage, PublishProperties, QoS } from '../../shared/mqttMessage';
import { propertiesFromJson, propertiesToJson } from '../history/encoding';

/** The format version this code writes and reads. */
export const CAPTURE_FORMAT_VERSION = 1;
/** The file extension of captures. */
export const CAPTURE_EXTENSION = '.mqttcap';

/** The first line of a capture. */
export interface CaptureHeader {
  mqttcap: number;
  /** Name of the connection it was recorded from. */
  connection: string;
  /** `host:port` of the broker. */
  broker: string;
  /** "3.1", "3.1.1" or "5". */
  protocolVersion: string;
  /** The topic filters recorded (messages matching any). */
  filters: string[];
  /** ISO 8601 time the recording started; `t` of every line counts from it. */
  startedAt: string;
  /** `<extension id> <version>` of the writer. */
  extension: string;
  /** Whether messages published from this window were recorded too (direction "out"). */
  includesPublished?: boolean;
}

/** One recorded message: the message and its time in microseconds since the header's `startedAt`. */
export interface CapturedMessage {
  kind: 'message';
  t: number;
  topic: string;
  payload: Uint8Array;
  qos: QoS;
  retain: boolean;
  dup: boolean;
  direction: 'in' | 'out';
  properties?: PublishProperties;
}

/** A pause in the recording (the connection was down), at `t` microseconds. */
export interface CaptureGap {
  kind: 'gap';
  t: number;
  reason: string;
}

/** A line after the header. */
export type CaptureEntry = CapturedMessage | CaptureGap;

/** A line that could not be read, and why (a sentence for the user). */
export interface CaptureProblem {
  /** 1-based line number in the file. */
  line: number;
  message: string;
}

/** The result of reading one line: an entry, or a problem. */
export type ParsedLine = { entry: CaptureEntry } | { problem: string };

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Standard padded base64 of bytes. */
export function bytesToBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/** The bytes of strict standard base64, or undefined when the text is not that. */
export function base64ToBytes(text: string): Uint8Array | undefined {
  if (text.length % 4 !== 0 || !BASE64.test(text)) return undefined;
  const buffer = Buffer.from(text, 'base64');
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

/** The header line (with its `\n`). */
export function encodeHeader(header: Omit<CaptureHeader, 'mqttcap'>): string {
  return `${JSON.stringify({ mqttcap: CAPTURE_FORMAT_VERSION, ...header })}\n`;
}

/** The JSON of a message's properties as a capture writes them (correlation data as base64). */
export function propertiesForCapture(properties: PublishProperties | undefined): Record<string, unknown> | undefined {
  const json = propertiesToJson(properties);
  if (!json) return undefined;
  return properties?.correlationData ? { ...json, correlationData: bytesToBase64(properties.correlationData) } : { ...json };
}

/** One message line (with its `\n`); `t` in microseconds since the recording started. Written by hand: it runs per message. */
export function encodeMessageLine(message: Pick<MqttMessage, 'topic' | 'payload' | 'qos' | 'retain' | 'dup' | 'direction' | 'properties'>, t: number): string {
  const properties = message.properties && propertiesForCapture(message.properties);
  return `{"t":${Math.max(0, Math.round(t))},"topic":${JSON.stringify(message.topic)},"payload":"${bytesToBase64(message.payload)}","qos":${message.qos},"retain":${message.retain},"dup":${message.dup},"dir":"${message.direction === 'out' ? 'out' : 'in'}"${properties ? `,"properties":${JSON.stringify(properties)}` : ''}}\n`;
}

/** A gap marker line (with its `\n`). */
export function encodeGapLine(t: number, reason: string): string {
  return `${JSON.stringify({ t: Math.max(0, Math.round(t)), gap: reason })}\n`;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The sentence for a first line that is not a capture header. */
export const NOT_A_CAPTURE = 'This file is not an MQTT Workbench capture: its first line is not a capture header ({"mqttcap":1,...}).';

/**
 * Reads the header line. Throws an Error whose message is for the user: not a capture, an unknown version,
 * or a header field of the wrong type.
 */
export function parseHeader(text: string): CaptureHeader {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error(NOT_A_CAPTURE);
  }
  if (!isRecord(value) || value.mqttcap === undefined) throw new Error(NOT_A_CAPTURE);
  if (value.mqttcap !== CAPTURE_FORMAT_VERSION) {
    throw new Error(`This capture has format version ${JSON.stringify(value.mqttcap)}; this version of MQTT Workbench reads version ${CAPTURE_FORMAT_VERSION}. Update the extension.`);
  }
  const field = (key: string): string => {
    const v = value[key];
    if (v === undefined) return '';
    if (typeof v !== 'string') throw new Error(`The capture header is damaged: ${key} must be text.`);
    return v;
  };
  const filters = value.filters ?? [];
  if (!Array.isArray(filters) || !filters.every((f) => typeof f === 'string')) throw new Error('The capture header is damaged: filters must be a list of topic filters.');
  return {
    mqttcap: CAPTURE_FORMAT_VERSION,
    connection: field('connection'),
    broker: field('broker'),
    protocolVersion: field('protocolVersion'),
    filters: filters as string[],
    startedAt: field('startedAt'),
    extension: field('extension'),
    includesPublished: value.includesPublished === true,
  };
}

function readProperties(value: unknown): PublishProperties {
  if (!isRecord(value)) throw new Error('properties are not an object');
  const { correlationData, ...rest } = value;
  const properties = propertiesFromJson(rest);
  if (correlationData !== undefined) {
    const bytes = typeof correlationData === 'string' ? base64ToBytes(correlationData) : undefined;
    if (bytes === undefined) throw new Error('correlationData is not valid base64');
    properties.correlationData = bytes;
  }
  return properties;
}

/** Reads one line after the header; `lineNumber` (1-based) is only for the sentence of a problem. */
export function parseEntryLine(text: string, lineNumber: number): ParsedLine {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { problem: `Line ${lineNumber} is not valid JSON; it was skipped.` };
  }
  if (!isRecord(value)) return { problem: `Line ${lineNumber} is not a capture record (a JSON object); it was skipped.` };
  const t = value.t;
  if (typeof t !== 'number' || !Number.isFinite(t) || t < 0) return { problem: `Line ${lineNumber} has no valid time "t" (microseconds since the start); it was skipped.` };
  if (typeof value.gap === 'string') return { entry: { kind: 'gap', t, reason: value.gap } };
  if (typeof value.topic !== 'string' || value.topic === '') return { problem: `Line ${lineNumber} has no topic; it was skipped.` };
  const payload = typeof value.payload === 'string' ? base64ToBytes(value.payload) : undefined;
  if (payload === undefined) return { problem: `Line ${lineNumber}: the payload is not valid base64; it was skipped.` };
  const qos = value.qos ?? 0;
  if (qos !== 0 && qos !== 1 && qos !== 2) return { problem: `Line ${lineNumber}: qos must be 0, 1 or 2, not ${JSON.stringify(qos)}; it was skipped.` };
  let properties: PublishProperties | undefined;
  if (value.properties !== undefined) {
    try {
      properties = readProperties(value.properties);
    } catch (error) {
      return { problem: `Line ${lineNumber}: ${(error as Error).message}; it was skipped.` };
    }
  }
  const entry: CapturedMessage = {
    kind: 'message',
    t,
    topic: value.topic,
    payload,
    qos,
    retain: value.retain === true,
    dup: value.dup === true,
    direction: value.dir === 'out' ? 'out' : 'in',
  };
  if (properties) entry.properties = properties;
  return { entry };
}
