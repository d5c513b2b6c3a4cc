/**
 * Watches (setting `mqttWorkbench.watches`): a topic, or a field of its payload, pinned with its current value,
 * age, min/max/avg since start, a trend and the last values for a sparkline. Messages only update numbers
 * here and set a dirty flag; the view redraws on its own timer.
 */
import { FieldReader } from '../fieldReader';
import { validateTopicFilter } from '../topics';
import type { MqttMessage } from '../../shared/mqttMessage';
import { DetectedCodecs, numericValue, readField, valueLabel, type FieldSpec } from './fieldValue';
import { FilterIndex } from './filterIndex';
import { readFieldSpec } from './ruleParse';
import type { FieldContext } from './alertEngine';
import type { TopicMemo } from './topicMemo';

/** One watch as configured. */
export interface WatchDefinition {
  /** Stable key: connection, topic and path. */
  readonly key: string;
  readonly label: string;
  readonly connection: string | undefined;
  readonly topic: string;
  readonly field: FieldSpec | undefined;
  readonly unit: string | undefined;
}

/** Values kept per watch for its sparkline. */
export const SPARKLINE_POINTS = 30;

/** The live state of a watch. */
export interface WatchState {
  readonly definition: WatchDefinition;
  /** The last value as one line, undefined before the first message. */
  text: string | undefined;
  /** Why the last message had no value (a path that matches nothing): shown on the watch. */
  problem: string | undefined;
  /** The topic of the last message (a watch may use a filter). */
  lastTopic: string | undefined;
  receivedAt: number | undefined;
  /** Messages seen. */
  count: number;
  /** Numeric values seen (min/max/avg count only these). */
  numericCount: number;
  min: number;
  max: number;
  sum: number;
  /** The last numeric values, oldest first, at most SPARKLINE_POINTS. */
  samples: number[];
  /** Compared with the previous numeric value. */
  trend: 'up' | 'down' | 'flat' | undefined;
}

/** Reads the watches setting; a wrong watch is dropped with a sentence, the others work. */
export function parseWatches(value: unknown, path = 'watches'): { watches: WatchDefinition[]; problems: string[] } {
  const problems: string[] = [];
  if (value === undefined || value === null) return { watches: [], problems };
  if (!Array.isArray(value)) return { watches: [], problems: [`${path}: must be an array of watches`] };
  const watches: WatchDefinition[] = [];
  const keys = new Set<string>();
  value.forEach((item, i) => {
    const before = problems.length;
    const reader = FieldReader.object(item, `${path}[${i}]`, problems);
    if (!reader) return;
    const topic = reader.string('topic', { required: true, nonEmpty: true });
    const topicProblem = topic === undefined ? undefined : validateTopicFilter(topic);
    if (topicProblem !== undefined) reader.problem('topic', topicProblem);
    const connection = reader.string('connection', { nonEmpty: true });
    const field = readFieldSpec(reader);
    const unit = reader.string('unit');
    const label = reader.string('label', { nonEmpty: true });
    reader.rejectUnknownFields();
    if (topic === undefined || problems.length > before) return;
    const key = watchKey(connection, topic, field?.path ?? '');
    if (keys.has(key)) return; // the same watch twice: one row
    keys.add(key);
    watches.push({ key, label: label ?? (field && field.path !== '' ? `${topic} ${field.path}` : topic), connection, topic, field, unit });
  });
  return { watches, problems };
}

/** The key of a watch (to add or remove one by its parts). */
export function watchKey(connection: string | undefined, topic: string, path: string): string {
  return `${connection ?? '*'}\u0000${topic}\u0000${path}`;
}

/** The states of all watches, fed by every received message. */
export class WatchBook {
  private states: WatchState[] = [];
  private index = new FilterIndex<WatchDefinition>([]);
  private readonly byDefinition = new Map<WatchDefinition, WatchState>();
  /** Something changed since the view last looked. */
  dirty = false;
  fieldContext: FieldContext = {};
  private readonly detected = new DetectedCodecs();

  /** Replaces the watches; a watch with the same key keeps its values. */
  setWatches(definitions: readonly WatchDefinition[]): void {
    const old = new Map(this.states.map((s) => [s.definition.key, s]));
    this.states = definitions.map((definition) => ({ ...(old.get(definition.key) ?? emptyState(definition)), definition }));
    this.byDefinition.clear();
    for (const state of this.states) this.byDefinition.set(state.definition, state);
    this.index = new FilterIndex(definitions);
    this.dirty = true;
  }

  list(): readonly WatchState[] {
    return this.states;
  }

  /** A received message: updates the watches whose topic filter matches. `memo`: the topic's memo on this connection (topicMemo.ts). */
  message(connection: string, message: MqttMessage, memo?: TopicMemo): void {
    const definitions = memo === undefined ? this.index.match(connection, message.topic) : this.remembered(connection, message.topic, memo);
    for (const definition of definitions) {
      const state = this.byDefinition.get(definition);
      if (state) this.update(state, message);
    }
  }

  /** The watches of `topic`, from its memo when found under the current watches (the index is their stamp). */
  private remembered(connection: string, topic: string, memo: TopicMemo): readonly WatchDefinition[] {
    if (memo.watchesStamp === this.index && memo.watches !== undefined) return memo.watches;
    memo.watchesStamp = this.index;
    memo.watches = this.index.match(connection, topic);
    return memo.watches;
  }

  private update(state: WatchState, message: MqttMessage): void {
    const field = state.definition.field ?? { codec: 'text', steps: [], path: '' };
    const read = readField(message.payload, field, { ...this.fieldContext, topic: message.topic, contentType: message.properties?.contentType, payloadFormatIndicator: message.properties?.payloadFormatIndicator }, this.detected);
    state.count++;
    state.lastTopic = message.topic;
    state.receivedAt = message.receivedAt;
    this.dirty = true;
    if (!read.ok) {
      state.problem = read.reason;
      return;
    }
    state.problem = undefined;
    state.text = valueLabel(read.value);
    const n = numericValue(read.value);
    if (n === undefined) return;
    const previous = state.samples[state.samples.length - 1];
    state.trend = previous === undefined ? undefined : n > previous ? 'up' : n < previous ? 'down' : 'flat';
    state.numericCount++;
    state.min = Math.min(state.min, n);
    state.max = Math.max(state.max, n);
    state.sum += n;
    state.samples.push(n);
    if (state.samples.length > SPARKLINE_POINTS) state.samples.shift();
  }
}

function emptyState(definition: WatchDefinition): WatchState {
  return { definition, text: undefined, problem: undefined, lastTopic: undefined, receivedAt: undefined, count: 0, numericCount: 0, min: Infinity, max: -Infinity, sum: 0, samples: [], trend: undefined };
}
