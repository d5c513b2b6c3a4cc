/**
 * Numbers over time for the panel's chart: the value of a numeric payload, or of a JSON path inside a JSON
 * payload, for every message of one topic in the history.
 */
import type { HistoryEntry } from './view';

/** One step of a value path: an object key or an array index. */
export type PathStep = string | number;

/** A parsed value path, or why it is not one. */
export type ParsedPath = { ok: true; steps: PathStep[] } | { ok: false; error: string };

/** The points of a chart, oldest first, and how many messages of the topic had no number at the path. */
export interface Series {
  points: Array<[time: number, value: number]>;
  skipped: number;
}

/** Payloads longer than this are not parsed for a chart point. */
const MAX_PARSE_BYTES = 256 * 1024;
const decoder = new TextDecoder();

/**
 * Parses `a.b[0].c` (an optional leading `$` or `$.` is ignored). Empty means "the payload itself is the
 * number". Keys are letters, digits, `_` and `-`; any other key can be written `["key with spaces"]`.
 */
export function parseValuePath(path: string): ParsedPath {
  let rest = path.trim().replace(/^\$\.?/, '');
  const steps: PathStep[] = [];
  const token = /^(?:\.?([A-Za-z0-9_-]+)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\])/;
  let position = path.length - rest.length;
  while (rest.length > 0) {
    const match = token.exec(rest);
    if (!match) return { ok: false, error: `Not a valid path at character ${position + 1}: use keys and indexes like data.values[0].temp.` };
    steps.push(match[1] ?? (match[2] !== undefined ? Number(match[2]) : (JSON.parse(match[3] ?? '""') as string)));
    rest = rest.slice(match[0].length);
    position += match[0].length;
  }
  return { ok: true, steps };
}

/** The number at `steps` in a payload (numbers and numeric strings), or `undefined`. */
export function numberAt(payload: Uint8Array, steps: readonly PathStep[]): number | undefined {
  if (payload.byteLength === 0 || payload.byteLength > MAX_PARSE_BYTES) return undefined;
  const text = decoder.decode(payload);
  let value: unknown;
  if (steps.length === 0) {
    value = text.trim();
  } else {
    try {
      value = JSON.parse(text) as unknown;
    } catch {
      return undefined;
    }
    for (const step of steps) {
      if (typeof value !== 'object' || value === null) return undefined;
      value = (value as Record<string | number, unknown>)[step];
    }
  }
  return asNumber(value);
}

function asNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

/**
 * The path a chart should start with for a payload: '' when the payload is a number, else the first numeric
 * leaf of a JSON object (depth first), else `undefined` (nothing to chart).
 */
export function suggestValuePath(payload: Uint8Array): string | undefined {
  if (numberAt(payload, []) !== undefined) return '';
  if (payload.byteLength > MAX_PARSE_BYTES) return undefined;
  let root: unknown;
  try {
    root = JSON.parse(decoder.decode(payload)) as unknown;
  } catch {
    return undefined;
  }
  return firstNumericLeaf(root, '', 0);
}

function firstNumericLeaf(value: unknown, path: string, depth: number): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return path;
  if (typeof value !== 'object' || value === null || depth > 8) return undefined;
  // CBOR and MessagePack maps decode to Map; only string keys can be written as a path.
  const entries: Array<[string, unknown]> = value instanceof Map ? [...value].filter((e): e is [string, unknown] => typeof e[0] === 'string') : Object.entries(value);
  const children: Array<[string, unknown]> = Array.isArray(value) ? value.map((v, i) => [`${path}[${i}]`, v]) : entries.map(([k, v]) => [joinKey(path, k), v]);
  for (const [childPath, child] of children) {
    const found = firstNumericLeaf(child, childPath, depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}

function joinKey(path: string, key: string): string {
  if (/^[A-Za-z0-9_-]+$/.test(key)) return path === '' ? key : `${path}.${key}`;
  return `${path}[${JSON.stringify(key)}]`;
}

/** Reads the number at `steps` of one payload (JSON by default; the host adds the other codecs). */
export type NumberReader = (payload: Uint8Array, steps: readonly PathStep[]) => number | undefined;

/** The first numeric leaf of an already decoded value (a CBOR map, a C struct...), as a path; `undefined` if none. */
export function suggestPathInValue(value: unknown): string | undefined {
  return firstNumericLeaf(value, '', 0);
}

/** The newest `maxPoints` values of `topic` at `steps`, oldest first; `entries` are iterated newest first. */
export function topicSeries(entriesNewestFirst: Iterable<HistoryEntry>, topic: string, steps: readonly PathStep[], maxPoints: number, read: NumberReader = numberAt): Series {
  const points: Array<[number, number]> = [];
  let skipped = 0;
  for (const entry of entriesNewestFirst) {
    if (entry.topic !== topic) continue;
    const value = read(entry.payload, steps);
    if (value === undefined) skipped++;
    else points.push([entry.receivedAt, value]);
    if (points.length >= maxPoints) break;
  }
  return { points: points.reverse(), skipped };
}
