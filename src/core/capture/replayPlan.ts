/**
 * What a replay sends: the argument `{ file, connection, speed, loop, topicPrefix, topicMap, filters, from, to,
 * qos, retain }` read from untyped JSON (every problem named by path, "replay.speed: ..."), and the mapping of a
 * recorded message to the publish it becomes (subset by filter and time range, topic remapping, overrides).
 */
import type { PublishProperties, QoS } from '../../shared/mqttMessage';
import { describeJsonType, FieldReader } from '../fieldReader';
import { topicMatchesFilter, validateTopicFilter, validateTopicName } from '../topics';
import type { CapturedMessage } from './format';

/** The slowest and fastest replay speeds (besides 'max'). */
export const MIN_SPEED = 0.1;
export const MAX_SPEED = 100;

/** A replay as asked for. */
export interface ReplayRequest {
  /** Capture path (workspace-relative or absolute); when absent the command asks. */
  file?: string;
  /** Connection to publish on; when absent the command asks. */
  connection?: string;
  speed: number | 'max';
  loop: boolean;
  /** Put before every topic (after `topicMap`). */
  topicPrefix?: string;
  /** Filter -> replacement: the levels the filter names before its first wildcard become the replacement. */
  topicMap?: Array<[filter: string, replacement: string]>;
  /** Only messages on topics matching one of these. */
  filters?: string[];
  /** Seconds from the capture's start: replay from here. */
  from?: number;
  /** Seconds from the capture's start: replay up to here. */
  to?: number;
  /** Send with this QoS instead of the recorded one. */
  qos?: QoS;
  /** Send with this retain flag instead of the recorded one. */
  retain?: boolean;
}

/** One publish of a replay. */
export interface ReplayPublish {
  t: number;
  topic: string;
  payload: Uint8Array;
  qos: QoS;
  retain: boolean;
  properties?: PublishProperties;
}

/** The sentence for a speed that is not one. */
export function speedProblem(value: unknown): string {
  return `must be a number from ${MIN_SPEED} to ${MAX_SPEED} or "max", not ${describeJsonType(value)}`;
}

function readSpeed(reader: FieldReader): number | 'max' {
  const raw = reader.raw('speed');
  if (raw === undefined || raw === 'max') return raw === 'max' ? 'max' : 1;
  if (typeof raw !== 'number' || !Number.isFinite(raw) || raw < MIN_SPEED || raw > MAX_SPEED) {
    reader.problem('speed', speedProblem(raw));
    return 1;
  }
  return raw;
}

function readTopicMap(reader: FieldReader): Array<[string, string]> | undefined {
  const nested = reader.object('topicMap');
  if (!nested) return undefined;
  const pairs: Array<[string, string]> = [];
  for (const [filter, replacement] of Object.entries(nested.value)) {
    nested.raw(filter);
    const filterProblem = validateTopicFilter(filter);
    if (filterProblem) nested.problem(filter, filterProblem);
    else if (typeof replacement !== 'string') nested.problem(filter, `must be a topic, not ${describeJsonType(replacement)}`);
    else pairs.push([filter, replacement]);
  }
  return pairs;
}

/** Reads a replay argument; `problems` gets one sentence per wrong field. */
export function readReplayRequest(value: unknown, problems: string[]): ReplayRequest | undefined {
  const reader = FieldReader.object(value ?? {}, 'replay', problems);
  if (!reader) return undefined;
  const request: ReplayRequest = {
    file: reader.string('file', { nonEmpty: true }),
    connection: reader.string('connection', { nonEmpty: true }),
    speed: readSpeed(reader),
    loop: reader.boolean('loop') ?? false,
    topicPrefix: reader.string('topicPrefix'),
    topicMap: readTopicMap(reader),
    filters: reader.stringArray('filters'),
    from: reader.number('from', 0, Number.MAX_SAFE_INTEGER),
    to: reader.number('to', 0, Number.MAX_SAFE_INTEGER),
    qos: reader.oneOf('qos', [0, 1, 2] as const),
    retain: reader.boolean('retain'),
  };
  for (const [i, filter] of (request.filters ?? []).entries()) {
    const problem = validateTopicFilter(filter);
    if (problem) reader.problem(`filters[${i}]`, problem);
  }
  if (request.from !== undefined && request.to !== undefined && request.to <= request.from) reader.problem('to', `must be after from (${request.from} s), not ${request.to}`);
  reader.rejectUnknownFields();
  return request;
}

/** The level count of a filter's literal head (levels before its first wildcard). */
function literalLevels(filter: string): string[] {
  const levels = filter.split('/');
  const wildcard = levels.findIndex((level) => level === '+' || level === '#');
  return wildcard < 0 ? levels : levels.slice(0, wildcard);
}

/** The topic a recorded topic is replayed to: the first matching `topicMap` entry, then `topicPrefix`. */
export function remapTopic(topic: string, request: Pick<ReplayRequest, 'topicMap' | 'topicPrefix'>): string {
  let mapped = topic;
  for (const [filter, replacement] of request.topicMap ?? []) {
    if (!topicMatchesFilter(filter, topic)) continue;
    const head = literalLevels(filter).length;
    const rest = topic.split('/').slice(head);
    mapped = [replacement, ...rest].filter((level, i) => i > 0 || level !== '').join('/');
    break;
  }
  return (request.topicPrefix ?? '') + mapped;
}

/**
 * The publish a recorded message becomes, or undefined when the request leaves it out (filters, time range).
 * `to` is handled by the caller (it ends the replay). Throws an Error with a sentence for a remapped topic that
 * is not valid.
 */
export function planPublish(message: CapturedMessage, request: ReplayRequest): ReplayPublish | undefined {
  if (request.from !== undefined && message.t < request.from * 1e6) return undefined;
  if (request.to !== undefined && message.t > request.to * 1e6) return undefined;
  if (request.filters?.length && !request.filters.some((filter) => topicMatchesFilter(filter, message.topic))) return undefined;
  const topic = remapTopic(message.topic, request);
  const problem = validateTopicName(topic);
  if (problem) throw new Error(`"${message.topic}" maps to "${topic}": ${problem}`);
  const publish: ReplayPublish = { t: message.t, topic, payload: message.payload, qos: request.qos ?? message.qos, retain: request.retain ?? message.retain };
  if (message.properties) {
    // Subscription identifiers and topic aliases belong to the recording connection, not to the replay's.
    const { subscriptionIdentifiers: _ids, topicAlias: _alias, ...properties } = message.properties;
    if (Object.keys(properties).length > 0) publish.properties = properties;
  }
  return publish;
}

/** Whether a broker host is this machine (loopback names and addresses), where retained replays need no confirmation. */
export function isLoopbackHost(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h.endsWith('.localhost') || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}
