import { MAX_ROWS_PER_REQUEST, MAX_VALUE_PATH_LENGTH, type FromWebview, type HistoryFilterInput } from './protocol';

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
    default:
      return { ok: false, reason: `unknown message type ${JSON.stringify(String(m.type)).slice(0, 40)}` };
  }
}
