// Input generators of the fuzz tests (test/unit/fuzz.test.ts): a seeded PRNG and random bytes, texts, topics,
// JSON-like values and webview messages, biased towards what breaks parsers (structure bytes, lone surrogates,
// empty levels, wildcards, wrong field types, out-of-range numbers).

/** A PRNG: the next number in [0, 1). */
export type Next = () => number;

/** mulberry32: a tiny deterministic PRNG, so a failing input is reproduced from its seed. */
export function mulberry32(seed: number): Next {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One of `items`, chosen by `next`. */
export function pick<T>(next: Next, items: readonly T[]): T {
  return items[Math.floor(next() * items.length)] ?? items[0];
}

const STRUCTURE_BYTES = [0x80, 0x9f, 0xa1, 0xbf, 0xff, 0x18, 0x1b, 0x5f, 0x7f, 0xc1, 0xdc, 0xdf, 0xd4, 0x0a, 0x12, 0x08];

/** Random bytes: uniform, printable, CBOR/MessagePack/protobuf structure bytes, or high bytes; mostly short. */
export function randomBytes(next: Next): Uint8Array {
  const length = Math.floor(next() ** 2 * 200);
  const bytes = new Uint8Array(length);
  const mode = Math.floor(next() * 4);
  for (let i = 0; i < length; i++) {
    if (mode === 0) bytes[i] = Math.floor(next() * 256);
    else if (mode === 1) bytes[i] = 0x20 + Math.floor(next() * 95);
    else if (mode === 2) bytes[i] = pick(next, STRUCTURE_BYTES);
    else bytes[i] = next() < 0.5 ? Math.floor(next() * 256) : 0x80 + Math.floor(next() * 64);
  }
  return bytes;
}

const TEXT_PIECES = ['{', '}', '[', ']', '"', ':', ',', ' ', '\n', '0x', '1', '-', '.', 'e', 'true', 'null', 'a', 'Z', '=', '+', '/', '\\', 'é', '✓', '\ud800', '😀', '\t', '$', '$.', 'a.b', '[0]', '["k"]', '"int_value"', '"datatype"', '"Int8"', '"metrics"', '"readings"', '"unit"', '"CELSIUS"'];

/** Random text: JSON-like fragments, path-like pieces, unicode and lone surrogates. */
export function randomText(next: Next): string {
  const count = Math.floor(next() * 40);
  let out = '';
  for (let i = 0; i < count; i++) out += pick(next, TEXT_PIECES);
  return out;
}

const LEVELS = ['a', 'b', 'sensor', '', '+', '#', '$SYS', '$share', 'g', 'é', '水', '😀', 'a+', '#b', '\u0000', '\udc00', ' ', 'x'.repeat(300)];

/** A random topic or filter: 0..6 levels from a small alphabet (so names repeat and match), joined by '/'. */
export function randomTopic(next: Next): string {
  const count = Math.floor(next() * 7);
  const levels: string[] = [];
  for (let i = 0; i < count; i++) levels.push(next() < 0.9 ? pick(next, LEVELS.slice(0, 11)) : pick(next, LEVELS));
  if (next() < 0.01) return 'a/'.repeat(33_000); // longer than 65,535 bytes
  return levels.join('/');
}

/** A filter's topic with each wildcard level replaced by 0..2 random levels, so that pairs match often. */
export function topicFor(filter: string, next: Next): string {
  const levels = filter.startsWith('$share/') ? filter.split('/').slice(2) : filter.split('/');
  return levels.flatMap((level) => (level === '+' ? [pick(next, LEVELS.slice(0, 4))] : level === '#' ? LEVELS.slice(0, Math.floor(next() * 3)) : [level])).join('/');
}

const PATH_PIECES = ['a', 'b', 'metrics', '.a', '.b', '.value', '[0]', '[1]', '[12]', '["k x"]', '["\\""]', '$', '$.', '.', '[', ']', '"', 'é', ' ', '-', '_'];

/** A value path: mostly made of valid steps (keys, indexes, quoted keys), sometimes broken. */
export function randomPath(next: Next): string {
  let out = '';
  for (let i = Math.floor(next() * 6); i > 0; i--) out += next() < 0.8 ? pick(next, PATH_PIECES.slice(0, 10)) : pick(next, PATH_PIECES);
  return out;
}

const NUMBERS = [0, 1, -1, 1.5, 35, 500, 501, 2 ** 31, 2 ** 53, Number.MAX_SAFE_INTEGER + 2, NaN, Infinity, -Infinity, -0];
const STRINGS = ['', 'a', 'json', 'auto', 'hex', 'raw', 'formatted', 'csv', 'jsonl', 'all', 'filtered', 'text', 'sensors/+/temp', '#', 'a.b[0]', 'x'.repeat(70_000), '\ud800', 'AUTO', 'ready'];

/** A random JSON-like value (and a few that are not JSON: undefined, NaN, a Uint8Array), nested a little. */
export function randomValue(next: Next, depth: number): unknown {
  const kind = Math.floor(next() * (depth > 2 ? 6 : 8));
  switch (kind) {
    case 0:
      return pick(next, [null, undefined, true, false]);
    case 1:
    case 2:
      return pick(next, NUMBERS);
    case 3:
    case 4:
      return next() < 0.7 ? pick(next, STRINGS) : randomText(next);
    case 5:
      return next() < 0.5 ? new Uint8Array(3) : { ...pick(next, WEBVIEW_MESSAGES) };
    case 6:
      return Array.from({ length: Math.floor(next() * 4) }, () => randomValue(next, depth + 1));
    default: {
      const out: Record<string, unknown> = {};
      for (let i = Math.floor(next() * 5); i > 0; i--) out[pick(next, FIELDS)] = randomValue(next, depth + 1);
      return out;
    }
  }
}

const DRAFT = { topic: 'a/b', payload: '{}', format: 'json', qos: 1, retain: false, protobufType: '' };
const PROPERTIES = { contentType: 'text/plain', payloadFormatIndicator: true, messageExpiryInterval: '60', responseTopic: 'r', correlationData: 'ab', correlationDataEncoding: 'hex', userProperties: [['k', 'v']], topicAlias: '' };
/** One well-formed message per type of the webview protocol: the starting points of mutation. */
export const WEBVIEW_MESSAGES: ReadonlyArray<Record<string, unknown>> = [
  { type: 'ready' },
  { type: 'clear' },
  { type: 'setFilter', filter: { topicFilter: 'sensors/+/temp', text: '', regex: false } },
  { type: 'getRows', requestId: 1, start: 0, count: 50 },
  { type: 'getDetail', requestId: 2, id: 10, codec: 'auto' },
  { type: 'setPaused', paused: true },
  { type: 'export', format: 'csv', scope: 'filtered' },
  { type: 'copy', id: 3, what: 'formatted', codec: 'json' },
  { type: 'openInEditor', id: 3, codec: 'hex' },
  { type: 'compareWithPrevious', id: 3, codec: 'text' },
  { type: 'getSeries', requestId: 4, id: 3, path: 'data.values[0]' },
  { type: 'watchValue', id: 3, path: 'data.values[0]' },
  { type: 'follow', rows: 43 },
  { type: 'getPublishSetup' },
  { type: 'pickPayloadFile', requestId: 7 },
  { type: 'checkPublish', requestId: 5, draft: DRAFT },
  { type: 'publish', requestId: 6, draft: { ...DRAFT, properties: PROPERTIES } },
  { type: 'request', requestId: 8, draft: { ...DRAFT, topic: 'rpc/version' } },
];
const FIELDS = ['a', 'b', 'value', 'rows', 'metrics', 'k x', 'type', 'requestId', 'start', 'count', 'id', 'codec', 'paused', 'format', 'scope', 'what', 'path', 'filter', 'draft', 'topicFilter', 'text', 'regex', 'properties', 'extra', '__proto__', 'constructor'];

/** A protocol message with 0..3 mutations: a field removed, replaced by a random value, or added. */
export function randomWebviewMessage(next: Next): Record<string, unknown> {
  const message = structuredClone(pick(next, WEBVIEW_MESSAGES));
  for (let i = Math.floor(next() * 4); i > 0; i--) {
    const target = next() < 0.3 && typeof message.draft === 'object' && message.draft !== null ? (message.draft as Record<string, unknown>) : message;
    const keys = Object.keys(target);
    const key = next() < 0.7 && keys.length > 0 ? pick(next, keys) : pick(next, FIELDS);
    if (next() < 0.3) delete target[key];
    else target[key] = randomValue(next, 1);
  }
  return message;
}

/** An input for a failure message: JSON with bytes as hex and non-JSON values named, cut to 2,000 characters. */
export function show(input: unknown): string {
  const text = JSON.stringify(input, (_key, value: unknown) => {
    if (value instanceof Uint8Array) return `<bytes ${Buffer.from(value).toString('hex')}>`;
    if (value === undefined) return '<undefined>';
    if (typeof value === 'number' && !Number.isFinite(value)) return `<${String(value)}>`;
    return value;
  });
  return text.length > 2000 ? `${text.slice(0, 2000)}... (${text.length} characters)` : text;
}
