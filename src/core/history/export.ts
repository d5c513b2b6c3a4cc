/**
 * Export of history entries to JSON Lines and CSV (RFC 4180), whole or streamed line by line.
 *
 * A payload is written as text when it is valid UTF-8 without control characters other than tab, CR and
 * LF (see `payloadAsText`), else as Base64. Times are ISO 8601 in UTC (empty when not a valid date). With a
 * `decode` function, a binary payload in a known format (a C struct, Protobuf, CBOR...) also gets its fields,
 * `decoded`, beside the raw bytes, so a spreadsheet or script reads values without the header or schema.
 */
import type { MqttMessage } from '../../shared/mqttMessage';
import { payloadAsText, propertiesToJson, toBase64 } from './encoding';
import type { PropertiesJson } from './encoding';

/** One JSON Lines record. Exactly one of `payload` and `payloadBase64` is present. */
export interface ExportRecord {
  time: string;
  direction: 'in' | 'out';
  topic: string;
  qos: number;
  retain: boolean;
  dup: boolean;
  payload?: string;
  payloadBase64?: string;
  properties?: PropertiesJson;
  /** The payload's fields, when `decode` read it as a binary format. */
  decoded?: unknown;
}

/** Reads the fields of a message's payload (a JSON value), or undefined when it has none to add. */
export type FieldDecoder = (message: MqttMessage) => unknown;

function isoTime(ms: number): string {
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? '' : d.toISOString();
}

/** The export record of one message (fields in the order they are written). */
export function exportRecord(m: MqttMessage, decode?: FieldDecoder): ExportRecord {
  const record: ExportRecord = { time: isoTime(m.receivedAt), direction: m.direction, topic: m.topic, qos: m.qos, retain: m.retain, dup: m.dup };
  const text = payloadAsText(m.payload);
  if (text !== undefined) record.payload = text;
  else record.payloadBase64 = toBase64(m.payload);
  const properties = propertiesToJson(m.properties);
  if (properties !== undefined) record.properties = properties;
  const decoded = decode?.(m);
  if (decoded !== undefined) record.decoded = decoded;
  return record;
}

/**
 * JSON Lines, one line per entry (each ending in `\n`), e.g.
 * `{"time":"2023-11-14T22:13:20.000Z","direction":"in","topic":"a/b","qos":1,"retain":false,"dup":false,"payload":"21.5"}`.
 */
export function* jsonLines(entries: Iterable<MqttMessage>, decode?: FieldDecoder): Generator<string, void, undefined> {
  for (const m of entries) yield `${JSON.stringify(exportRecord(m, decode))}\n`;
}

/** All of {@link jsonLines} as one string. */
export function exportJsonLines(entries: Iterable<MqttMessage>, decode?: FieldDecoder): string {
  let out = '';
  for (const line of jsonLines(entries, decode)) out += line;
  return out;
}

/** The CSV columns, in order. `payloadEncoding` is `text` or `base64`; `properties` and `decoded` are JSON or empty. */
export const CSV_COLUMNS = ['time', 'direction', 'topic', 'qos', 'retain', 'dup', 'payloadEncoding', 'payload', 'properties', 'decoded'] as const;

/** True for the header line of a CSV export, with or without the `decoded` column (exports before it had none). */
export function isHistoryCsvHeader(line: string): boolean {
  const header = line.trim();
  return header === CSV_COLUMNS.join(',') || header === CSV_COLUMNS.slice(0, -1).join(',');
}

/** One CSV field, quoted (with `"` doubled) when it holds a comma, quote, CR or LF (RFC 4180). */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** CSV lines: the header, then one record per entry; each line ends in CRLF. */
export function* csvLines(entries: Iterable<MqttMessage>, decode?: FieldDecoder): Generator<string, void, undefined> {
  yield `${CSV_COLUMNS.join(',')}\r\n`;
  for (const m of entries) {
    const r = exportRecord(m, decode);
    const fields = [
      r.time,
      r.direction,
      r.topic,
      String(r.qos),
      String(r.retain),
      String(r.dup),
      r.payload !== undefined ? 'text' : 'base64',
      r.payload ?? r.payloadBase64 ?? '',
      r.properties !== undefined ? JSON.stringify(r.properties) : '',
      r.decoded !== undefined ? JSON.stringify(r.decoded) : '',
    ];
    yield `${fields.map(csvField).join(',')}\r\n`;
  }
}

/** All of {@link csvLines} as one string. */
export function exportCsv(entries: Iterable<MqttMessage>, decode?: FieldDecoder): string {
  let out = '';
  for (const line of csvLines(entries, decode)) out += line;
  return out;
}
