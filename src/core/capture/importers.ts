/**
 * Other recordings turned into captures: this extension's history export (JSON Lines or CSV, see
 * history/export.ts) and mqtt_recorder's CSV (rows `topic, base64 payload, qos, retain, seconds since the previous
 * message`, no header). Each row becomes one message; a bad row is skipped with a sentence naming its line.
 */
import { CSV_COLUMNS, isHistoryCsvHeader } from '../history/export';
import { encodeUtf8, propertiesFromJson } from '../history/encoding';
import type { MqttMessage, PublishProperties } from '../../shared/mqttMessage';
import { base64ToBytes } from './format';

/** The formats an import reads. */
export type ImportFormat = 'historyJsonl' | 'historyCsv' | 'mqttRecorderCsv';

/** One imported message and its time in microseconds since the first. */
export interface ImportedMessage {
  t: number;
  message: Pick<MqttMessage, 'topic' | 'payload' | 'qos' | 'retain' | 'dup' | 'direction' | 'properties'>;
}

/** The format of a file to import, from its name and first line. */
export function detectImportFormat(fileName: string, firstLine: string): ImportFormat {
  if (/\.jsonl?$/i.test(fileName) || firstLine.trimStart().startsWith('{')) return 'historyJsonl';
  return isHistoryCsvHeader(firstLine) ? 'historyCsv' : 'mqttRecorderCsv';
}

/** Splits CSV text (RFC 4180: quoted fields with `""`, CRLF or LF) into rows with their 1-based line numbers. */
export function* csvRows(text: string): Generator<{ line: number; fields: string[] }> {
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else {
        if (c === '\n') line++;
        field += c;
      }
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      fields.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      fields.push(field);
      if (fields.length > 1 || fields[0] !== '') yield { line: rowLine, fields };
      fields = [];
      field = '';
      line++;
      rowLine = line;
    } else field += c;
  }
  if (field !== '' || fields.length > 0) yield { line: rowLine, fields: [...fields, field] };
}

const qosOf = (value: unknown): 0 | 1 | 2 | undefined => {
  const n = typeof value === 'string' ? Number(value) : value;
  return n === 0 || n === 1 || n === 2 ? n : undefined;
};
const flagOf = (value: unknown): boolean | undefined => {
  if (typeof value === 'boolean') return value;
  const text = String(value).trim().toLowerCase();
  return text === 'true' || text === '1' ? true : text === 'false' || text === '0' || text === '' ? false : undefined;
};

/** A history export record (JSON object or CSV fields by column) -> message and its epoch ms. */
function fromHistory(record: Record<string, unknown>, line: number): { at: number; message: ImportedMessage['message'] } {
  const at = Date.parse(String(record.time));
  if (Number.isNaN(at)) throw new Error(`Line ${line} has no valid time; it was skipped.`);
  if (typeof record.topic !== 'string' || record.topic === '') throw new Error(`Line ${line} has no topic; it was skipped.`);
  const qos = qosOf(record.qos);
  if (qos === undefined) throw new Error(`Line ${line}: qos must be 0, 1 or 2, not ${JSON.stringify(record.qos)}; it was skipped.`);
  let payload: Uint8Array | undefined;
  if (typeof record.payloadBase64 === 'string') payload = base64ToBytes(record.payloadBase64);
  else if (typeof record.payload === 'string') payload = encodeUtf8(record.payload);
  else payload = new Uint8Array(0);
  if (payload === undefined) throw new Error(`Line ${line}: the payload is not valid base64; it was skipped.`);
  let properties: PublishProperties | undefined;
  if (record.properties !== undefined && record.properties !== '') {
    try {
      properties = propertiesFromJson(typeof record.properties === 'string' ? JSON.parse(record.properties) : record.properties);
    } catch (error) {
      throw new Error(`Line ${line}: ${(error as Error).message}; it was skipped.`);
    }
  }
  return { at, message: { topic: record.topic, payload, qos, retain: flagOf(record.retain) === true, dup: flagOf(record.dup) === true, direction: record.direction === 'out' ? 'out' : 'in', ...(properties ? { properties } : {}) } };
}

/** Reads a whole file in `format`; `onProblem` gets a sentence for each skipped row. */
export function* importMessages(text: string, format: ImportFormat, onProblem: (problem: string) => void): Generator<ImportedMessage> {
  let first: number | undefined;
  const timed = (at: number, message: ImportedMessage['message']): ImportedMessage => {
    first ??= at;
    return { t: Math.max(0, Math.round((at - first) * 1000)), message };
  };
  if (format === 'historyJsonl') {
    const lines = text.split('\n');
    for (const [i, raw] of lines.entries()) {
      if (raw.trim() === '') continue;
      try {
        let record: unknown;
        try {
          record = JSON.parse(raw);
        } catch {
          throw new Error(`Line ${i + 1} is not valid JSON; it was skipped.`);
        }
        if (typeof record !== 'object' || record === null || Array.isArray(record)) throw new Error(`Line ${i + 1} is not a JSON object; it was skipped.`);
        const { at, message } = fromHistory(record as Record<string, unknown>, i + 1);
        yield timed(at, message);
      } catch (error) {
        onProblem((error as Error).message);
      }
    }
    return;
  }
  let seconds = 0;
  for (const { line, fields } of csvRows(text)) {
    try {
      if (format === 'historyCsv') {
        if (line === 1) continue; // the header
        const record: Record<string, unknown> = Object.fromEntries(CSV_COLUMNS.map((column, i) => [column, fields[i] ?? '']));
        if (record.payloadEncoding === 'base64') record.payloadBase64 = record.payload;
        const { at, message } = fromHistory(record, line);
        yield timed(at, message);
        continue;
      }
      const [topic, payloadText, qosText, retainText, deltaText] = fields;
      if (fields.length < 5) throw new Error(`Line ${line} of the mqtt_recorder CSV has ${fields.length} fields; expected topic, payload, qos, retain, time delta. It was skipped.`);
      const payload = base64ToBytes(payloadText.trim());
      const qos = qosOf(qosText.trim());
      const retain = flagOf(retainText);
      const delta = Number(deltaText);
      if (topic === '') throw new Error(`Line ${line} has no topic; it was skipped.`);
      if (payload === undefined) throw new Error(`Line ${line}: the payload is not valid base64; it was skipped.`);
      if (qos === undefined) throw new Error(`Line ${line}: qos must be 0, 1 or 2, not ${JSON.stringify(qosText)}; it was skipped.`);
      if (retain === undefined) throw new Error(`Line ${line}: retain must be True or False, not ${JSON.stringify(retainText)}; it was skipped.`);
      if (!Number.isFinite(delta) || delta < 0) throw new Error(`Line ${line}: the time delta must be seconds (a number of at least 0), not ${JSON.stringify(deltaText)}; it was skipped.`);
      seconds += delta;
      yield { t: Math.round(seconds * 1e6), message: { topic, payload, qos, retain, dup: false, direction: 'in' } };
    } catch (error) {
      onProblem((error as Error).message);
    }
  }
}
