/**
 * MQTT topic names and topic filters (MQTT 3.1.1 and 5): validation, matching and level splitting.
 *
 * Empty levels are real levels: `a//b`, `/a` and `a/` are three distinct topics with three levels,
 * two levels and two levels. Pure TypeScript, no `vscode` and no Node built-ins.
 */

/** The most UTF-8 bytes a topic name or filter may have (the length prefix is 16 bits). */
export const MAX_TOPIC_BYTES = 65_535;

/** The level separator. */
export const LEVEL_SEPARATOR = '/';

/** The first level of a shared subscription filter (`$share/group/filter`, MQTT 5). */
export const SHARE_PREFIX = '$share';
const SHARE_START = SHARE_PREFIX + LEVEL_SEPARATOR;

/** The user-facing sentences returned by the validators; tests and UI may rely on them verbatim. */
export const TopicMessages = {
  topicEmpty: 'Topic must not be empty.',
  topicWildcard: 'Topic must not contain wildcards (+ or #); wildcards are only for subscriptions.',
  topicNul: 'Topic must not contain the NUL character (U+0000).',
  topicSurrogate: 'Topic contains an unpaired UTF-16 surrogate, which cannot be encoded as UTF-8.',
  topicTooLong: (bytes: number): string => `Topic is ${groupDigits(bytes)} bytes long; MQTT allows at most 65,535 bytes of UTF-8.`,
  filterEmpty: 'Filter must not be empty.',
  filterNul: 'Filter must not contain the NUL character (U+0000).',
  filterSurrogate: 'Filter contains an unpaired UTF-16 surrogate, which cannot be encoded as UTF-8.',
  filterTooLong: (bytes: number): string => `Filter is ${groupDigits(bytes)} bytes long; MQTT allows at most 65,535 bytes of UTF-8.`,
  hashNotLast: "'#' must be the last level of a filter, e.g. a/b/#.",
  hashNotWholeLevel: "'#' must occupy a whole level, e.g. a/#.",
  plusNotWholeLevel: "'+' must occupy a whole level, e.g. a/+/c.",
  shareIncomplete: 'A shared subscription needs a group and a filter, e.g. $share/group/a/b.',
  shareGroupEmpty: 'The share group must not be empty, e.g. $share/group/a/b.',
  shareGroupWildcard: 'The share group must not contain wildcards (+ or #).',
  shareFilterMissing: 'A shared subscription needs a filter after the group, e.g. $share/group/a/b.',
} as const;

const SLASH = 0x2f;
const PLUS = 0x2b;
const HASH = 0x23;
const DOLLAR = 0x24;

/** `65535` -> `65,535`, independent of the ICU data Node was built with. */
function groupDigits(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** What one pass over a string found. */
interface Scan {
  /** UTF-8 byte length (lone surrogates counted as 3, as a replacement character would be). */
  bytes: number;
  nul: boolean;
  wildcard: boolean;
  loneSurrogate: boolean;
}

function scan(text: string): Scan {
  let bytes = 0;
  let nul = false;
  let wildcard = false;
  let loneSurrogate = false;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) {
      bytes += 1;
      if (c === 0) nul = true;
      else if (c === PLUS || c === HASH) wildcard = true;
    } else if (c < 0x800) {
      bytes += 2;
    } else if (c >= 0xd800 && c <= 0xdbff) {
      const next = i + 1 < n ? text.charCodeAt(i + 1) : 0;
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        i++;
      } else {
        bytes += 3;
        loneSurrogate = true;
      }
    } else {
      if (c >= 0xdc00 && c <= 0xdfff) loneSurrogate = true;
      bytes += 3;
    }
  }
  return { bytes, nul, wildcard, loneSurrogate };
}

/** Number of bytes `text` takes in UTF-8 (a lone surrogate counts as the 3 bytes of U+FFFD). */
export function utf8ByteLength(text: string): number {
  return scan(text).bytes;
}

/**
 * Checks a topic name a message is published to.
 * @returns `undefined` when valid, else one sentence for the user (see {@link TopicMessages}).
 */
export function validateTopicName(topic: string): string | undefined {
  if (topic.length === 0) return TopicMessages.topicEmpty;
  const s = scan(topic);
  if (s.nul) return TopicMessages.topicNul;
  if (s.wildcard) return TopicMessages.topicWildcard;
  if (s.loneSurrogate) return TopicMessages.topicSurrogate;
  if (s.bytes > MAX_TOPIC_BYTES) return TopicMessages.topicTooLong(s.bytes);
  return undefined;
}

/** A shared subscription filter split into its parts. */
export interface SharedSubscription {
  /** The share name (non-empty, no `/`, `+` or `#` when valid). */
  group: string;
  /** The topic filter after the group. */
  filter: string;
}

/**
 * Splits `$share/group/filter` into group and filter.
 * @returns `undefined` when `filter` is not shaped like a shared subscription (no validation of the parts).
 */
export function parseSharedSubscription(filter: string): SharedSubscription | undefined {
  if (!filter.startsWith(SHARE_START)) return undefined;
  const groupStart = SHARE_START.length;
  const slash = filter.indexOf(LEVEL_SEPARATOR, groupStart);
  if (slash < 0) return undefined;
  return { group: filter.slice(groupStart, slash), filter: filter.slice(slash + 1) };
}

/** The wildcard rules for one filter (no share prefix): `#` alone and last, `+` alone in its level. */
function validateWildcards(filter: string): string | undefined {
  let start = 0;
  for (;;) {
    const slash = filter.indexOf(LEVEL_SEPARATOR, start);
    const end = slash < 0 ? filter.length : slash;
    for (let i = start; i < end; i++) {
      const c = filter.charCodeAt(i);
      if (c === HASH) {
        if (end - start !== 1) return TopicMessages.hashNotWholeLevel;
        if (slash >= 0) return TopicMessages.hashNotLast;
      } else if (c === PLUS && end - start !== 1) {
        return TopicMessages.plusNotWholeLevel;
      }
    }
    if (slash < 0) return undefined;
    start = slash + 1;
  }
}

/**
 * Checks a topic filter a client subscribes with, including shared subscriptions (`$share/group/filter`).
 * @returns `undefined` when valid, else one sentence for the user (see {@link TopicMessages}).
 */
export function validateTopicFilter(filter: string): string | undefined {
  if (filter.length === 0) return TopicMessages.filterEmpty;
  const s = scan(filter);
  if (s.nul) return TopicMessages.filterNul;
  if (s.loneSurrogate) return TopicMessages.filterSurrogate;
  if (s.bytes > MAX_TOPIC_BYTES) return TopicMessages.filterTooLong(s.bytes);
  if (filter === SHARE_PREFIX) return TopicMessages.shareIncomplete;
  if (filter.startsWith(SHARE_START)) {
    const shared = parseSharedSubscription(filter);
    const group = shared?.group ?? filter.slice(SHARE_START.length);
    if (group.length === 0) return TopicMessages.shareGroupEmpty;
    if (group.includes('+') || group.includes('#')) return TopicMessages.shareGroupWildcard;
    if (shared === undefined || shared.filter.length === 0) return TopicMessages.shareFilterMissing;
    return validateWildcards(shared.filter);
  }
  return validateWildcards(filter);
}

/** True when `text` contains `+` or `#` (so it is meant as a filter, not a topic name). */
export function hasWildcards(text: string): boolean {
  return text.includes('+') || text.includes('#');
}

/** True for topics the broker reserves (first character `$`, e.g. `$SYS/broker/uptime`). */
export function isSystemTopicName(topic: string): boolean {
  return topic.charCodeAt(0) === DOLLAR;
}

/**
 * Whether a message on `topic` is delivered to a subscription with `filter` (MQTT rules):
 * `+` matches exactly one level, which may be empty; `#` matches any number of trailing levels,
 * including none (`a/#` matches `a`); a filter starting with a wildcard does not match topics starting
 * with `$`. A shared subscription `$share/group/f` matches what `f` matches. An invalid filter is
 * compared literally where it is not a valid wildcard level (validate first to tell the user).
 */
export function topicMatchesFilter(filter: string, topic: string): boolean {
  const shared = filter.charCodeAt(0) === DOLLAR ? parseSharedSubscription(filter) : undefined;
  const f = shared !== undefined ? shared.filter : filter;
  const fl = f.length;
  const tl = topic.length;
  const first = f.charCodeAt(0);
  if ((first === PLUS || first === HASH) && (fl === 1 || f.charCodeAt(1) === SLASH) && topic.charCodeAt(0) === DOLLAR) {
    return false;
  }
  // fi/ti: start of the current level; ti === tl + 1 once the topic has no level left.
  let fi = 0;
  let ti = 0;
  for (;;) {
    const c = f.charCodeAt(fi);
    const wholeLevel = fi + 1 >= fl || f.charCodeAt(fi + 1) === SLASH;
    if (c === HASH && wholeLevel) return true; // also matches the parent: `a/#` matches `a`
    if (ti > tl) return false;
    if (c === PLUS && wholeLevel) {
      fi++;
      while (ti < tl && topic.charCodeAt(ti) !== SLASH) ti++;
    } else {
      for (; fi < fl && ti < tl; fi++, ti++) {
        const fc = f.charCodeAt(fi);
        if (fc === SLASH || fc !== topic.charCodeAt(ti)) break;
      }
      if ((fi < fl && f.charCodeAt(fi) !== SLASH) || (ti < tl && topic.charCodeAt(ti) !== SLASH)) return false;
    }
    if (fi >= fl) return ti >= tl;
    fi++;
    ti++;
  }
}

/**
 * What a user types into a topic filter box: an MQTT filter when it has `+` or `#` (validated, then
 * matched with MQTT rules), else a case-insensitive substring of the topic; empty text matches all.
 */
export class TopicQuery {
  /** `all` for empty text, `mqtt` for text with `+` or `#`, else `text`. */
  readonly kind: 'all' | 'mqtt' | 'text';
  /** Why an MQTT filter is invalid (then no topic matches); `undefined` otherwise. */
  readonly error: string | undefined;
  private readonly pattern: RegExp | undefined;

  /** @param text the query as typed. */
  constructor(readonly text: string) {
    this.kind = text.length === 0 ? 'all' : hasWildcards(text) ? 'mqtt' : 'text';
    this.error = this.kind === 'mqtt' ? validateTopicFilter(text) : undefined;
    this.pattern = this.kind === 'text' ? new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'iu') : undefined;
  }

  /** Whether a topic name matches the query. */
  test(topic: string): boolean {
    if (this.pattern !== undefined) return this.pattern.test(topic);
    return this.kind === 'all' || (this.error === undefined && topicMatchesFilter(this.text, topic));
  }
}

const collator = new Intl.Collator('en', { numeric: true });

/** Orders level names for display: natural (`b2` before `b10`), case-insensitive first, then by code unit. */
export function compareLevels(a: string, b: string): number {
  return collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);
}

/** Splits a topic or filter into its levels, keeping empty levels (`'/a'` -> `['', 'a']`, `''` -> `['']`). */
export function splitTopicLevels(topic: string): string[] {
  return topic.split(LEVEL_SEPARATOR);
}

/** Joins levels back into a topic; the inverse of {@link splitTopicLevels} for any non-empty array. */
export function joinTopicLevels(levels: readonly string[]): string {
  return levels.join(LEVEL_SEPARATOR);
}
