import { MAX_ROWS_PER_REQUEST, MAX_TAIL_ROWS, MAX_VALUE_PATH_LENGTH, type FromWebview, type HistoryFilterInput, type PublishFormDraft, type PublishFormProperties } from './protocol';

/** Why a message from the webview was rejected, for the log. */
export type Validated = { ok: true; message: FromWebview } | { ok: false; reason: string };

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isCount = (v: unknown, max = Number.MAX_SAFE_INTEGER): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= max;
const isCodec = (v: unknown): v is string => typeof v === 'string' && /^[a-z0-9]{1,16}$/.test(v);
const MAX_FILTER_LENGTH = 65_535;

function filter(v: unknown): HistoryFilterInput | undefined {
  if (!isObject(v)) return undefined;
  const { topicFilter, text, regex } = v;
  if (typeof topicFilter !== 'string' || typeof text !== 'string' || typeof regex !== 'boolean') return undefined;
  if (topicFilter.length > MAX_FILTER_LENGTH || text.length > MAX_FILTER_LENGTH) return undefined;
  return { topicFilter, text, regex };
}

/** Longest text field of the publish form (a payload of 16 MB typed or pasted is the most the form sends). */
const MAX_FORM_TEXT = 16 * 1024 * 1024;
const MAX_USER_PROPERTIES = 1000;
const isText = (v: unknown, max = 65_535): v is string => typeof v === 'string' && v.length <= max;

function formProperties(v: unknown): PublishFormProperties | undefined {
  if (!isObject(v)) return undefined;
  const { contentType, payloadFormatIndicator, messageExpiryInterval, responseTopic, correlationData, correlationDataEncoding, userProperties, topicAlias } = v;
  if (!isText(contentType) || typeof payloadFormatIndicator !== 'boolean' || !isText(messageExpiryInterval, 32) || !isText(responseTopic) || !isText(correlationData) || !isText(topicAlias, 32)) return undefined;
  if (correlationDataEncoding !== 'text' && correlationDataEncoding !== 'hex') return undefined;
  if (!Array.isArray(userProperties) || userProperties.length > MAX_USER_PROPERTIES) return undefined;
  const pairs: Array<[string, string]> = [];
  for (const pair of userProperties) {
    if (!Array.isArray(pair) || pair.length !== 2 || !isText(pair[0]) || !isText(pair[1])) return undefined;
    pairs.push([pair[0], pair[1]]);
  }
  return { contentType, payloadFormatIndicator, messageExpiryInterval, responseTopic, correlationData, correlationDataEncoding, userProperties: pairs, topicAlias };
}

function formDraft(v: unknown): PublishFormDraft | undefined {
  if (!isObject(v)) return undefined;
  const { topic, payload, format, qos, retain, protobufType, structType, properties } = v;
  if (!isText(topic, 70_000) || !isText(payload, MAX_FORM_TEXT) || !isCodec(format) || (qos !== 0 && qos !== 1 && qos !== 2) || typeof retain !== 'boolean' || !isText(protobufType, 1024)) return undefined;
  if (structType !== undefined && !isText(structType, 1024)) return undefined;
  const draft: PublishFormDraft = { topic, payload, format, qos, retain, protobufType, ...(structType !== undefined ? { structType } : {}) };
  if (properties === undefined) return draft;
  const checked = formProperties(properties);
  return checked && { ...draft, properties: checked };
}

/**
 * Checks a message posted by the webview against the protocol, field by field. Anything else (unknown type,
 * missing or extra-typed fields, out-of-range numbers) is rejected, so a compromised webview can do no more
 * than the protocol allows.
 */
export function validateFromWebview(raw: unknown): Validated {
  if (!isObject(raw) || typeof raw.type !== 'string') return { ok: false, reason: 'not an object with a type' };
  const m = raw;
  const type = m.type as FromWebview['type'];
  const ok = (message: FromWebview): Validated => ({ ok: true, message });
  const bad = (what: string): Validated => ({ ok: false, reason: `${type}: ${what}` });
  switch (type) {
    case 'ready':
    case 'clear':
      return ok({ type });
    case 'setFilter': {
      const f = filter(m.filter);
      return f ? ok({ type, filter: f }) : bad('filter must be { topicFilter, text, regex }');
    }
    case 'getRows':
      return isCount(m.requestId) && isCount(m.start) && isCount(m.count, MAX_ROWS_PER_REQUEST)
        ? ok({ type, requestId: m.requestId, start: m.start, count: m.count })
        : bad(`requestId, start and count (at most ${MAX_ROWS_PER_REQUEST}) must be whole numbers`);
    case 'getDetail':
      return isCount(m.requestId) && isCount(m.id) && isCodec(m.codec) ? ok({ type, requestId: m.requestId, id: m.id, codec: m.codec }) : bad('requestId, id and codec are required');
    case 'setPaused':
      return typeof m.paused === 'boolean' ? ok({ type, paused: m.paused }) : bad('paused must be true or false');
    case 'export':
      return (m.format === 'jsonl' || m.format === 'csv') && (m.scope === 'all' || m.scope === 'filtered') ? ok({ type, format: m.format, scope: m.scope }) : bad('format and scope are invalid');
    case 'copy':
      return isCount(m.id) && (m.what === 'raw' || m.what === 'formatted') && isCodec(m.codec) ? ok({ type, id: m.id, what: m.what, codec: m.codec }) : bad('id, what and codec are required');
    case 'openInEditor':
    case 'compareWithPrevious':
      return isCount(m.id) && isCodec(m.codec) ? ok({ type, id: m.id, codec: m.codec }) : bad('id and codec are required');
    case 'getSeries':
      return isCount(m.requestId) && isCount(m.id) && typeof m.path === 'string' && m.path.length <= MAX_VALUE_PATH_LENGTH
        ? ok({ type, requestId: m.requestId, id: m.id, path: m.path })
        : bad(`requestId, id and path (at most ${MAX_VALUE_PATH_LENGTH} characters) are required`);
    case 'watchValue':
      return isCount(m.id) && typeof m.path === 'string' && m.path.length <= MAX_VALUE_PATH_LENGTH
        ? ok({ type, id: m.id, path: m.path })
        : bad(`id and path (at most ${MAX_VALUE_PATH_LENGTH} characters) are required`);
    case 'follow':
      return isCount(m.rows, MAX_TAIL_ROWS) ? ok({ type, rows: m.rows }) : bad(`rows (0 to ${MAX_TAIL_ROWS}) is required`);
    case 'getPublishSetup':
      return ok({ type });
    case 'pickPayloadFile':
      return isCount(m.requestId) ? ok({ type, requestId: m.requestId }) : bad('requestId is required');
    case 'replay':
    case 'pauseReplay':
      return ok({ type });
    case 'checkPublish':
    case 'publish':
    case 'request': {
      const draft = formDraft(m.draft);
      return isCount(m.requestId) && draft ? ok({ type, requestId: m.requestId, draft }) : bad('requestId and a well-formed draft are required');
    }
    default:
      return { ok: false, reason: `unknown message type ${JSON.stringify(String(m.type)).slice(0, 40)}` };
  }
}
