/**
 * Makes the messages of one simulated client: topics and payloads from the scenario's templates, with the
 * client's own generators (seeded), encoded in the stream's payload format.
 */
import { encodePayload, type CodecId, type ProtoRegistry } from '../payload';
import { createGenerator, type Generator } from './generators';
import { SeededRandom } from './random';
import type { PublishStream, RespondRule } from './scenario';
import { renderString, renderValue, type StringTemplate, type TemplateValues } from './template';

const utf8 = new TextEncoder();

/** Encodes a rendered payload value; throws an Error with the codec's sentence when it cannot. */
export function encodeValue(value: unknown, format: CodecId, proto: ProtoRegistry | undefined, protoType: string | undefined): Uint8Array {
  if (format === 'json') return utf8.encode(JSON.stringify(value));
  if (format === 'text' && typeof value === 'string') return utf8.encode(value);
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  const encoded = encodePayload(text, format, { proto, protoType });
  if (!encoded.ok) throw new Error(encoded.error);
  return encoded.bytes;
}

/** Renders a client-level template (client id, topics, will) for one client. */
export function renderForClient(template: StringTemplate, index: number, clientId: string): string {
  return renderString(template, (name) => (name === 'index' ? index : name === 'clientId' ? clientId : undefined));
}

/** The publisher of one stream for one client: call `next` for each message. */
export class StreamMessages {
  private readonly topic: string;
  private readonly generators = new Map<string, Generator>();
  private readonly random: SeededRandom;
  private seq = 0;

  constructor(
    private readonly stream: PublishStream,
    private readonly index: number,
    private readonly clientId: string,
    seed: number,
    streamIndex: number,
    private readonly proto?: ProtoRegistry,
  ) {
    this.topic = renderForClient(stream.topic.template, index, clientId);
    this.random = SeededRandom.derive(seed, index, streamIndex);
    for (const [name, spec] of Object.entries(stream.generators)) this.generators.set(name, createGenerator(spec));
  }

  /** Messages made so far. */
  get count(): number {
    return this.seq;
  }

  /** The random source of this client and stream (the scheduler's jitter draws from it too). */
  get rng(): SeededRandom {
    return this.random;
  }

  /** The next message: its topic, its value before encoding, its bytes. */
  next(nowMs: number, elapsedSeconds: number): { topic: string; value: unknown; payload: Uint8Array } {
    this.seq++;
    const context = { nowMs, elapsedSeconds, index: this.index, random: this.random };
    const cache = new Map<string, unknown>();
    const values = (name: string): unknown => {
      if (name === 'index') return this.index;
      if (name === 'clientId') return this.clientId;
      if (name === 'seq') return this.seq;
      if (name === 'timestamp') return nowMs;
      if (cache.has(name)) return cache.get(name);
      const value = this.generators.get(name)?.(context);
      cache.set(name, value);
      return value;
    };
    const value = renderValue(this.stream.payload, values);
    return { topic: this.topic, value, payload: encodeValue(value, this.stream.format, this.proto, this.stream.protobufType) };
  }
}

/** A request as a reply template sees it. */
export interface RequestView {
  topic: string;
  payload: Uint8Array;
}

function jsonField(payload: Uint8Array, path: string): unknown {
  try {
    let value: unknown = JSON.parse(new TextDecoder().decode(payload));
    for (const key of path.split('.')) value = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
    return value;
  } catch {
    return undefined;
  }
}

/** The variables of a reply: `{request.topic}`, `{request.payload}`, `{request.json.id}`, the client's own. */
function requestValues(request: RequestView, index: number, clientId: string, nowMs: number): TemplateValues {
  return (name) => {
    if (name === 'index') return index;
    if (name === 'clientId') return clientId;
    if (name === 'timestamp') return nowMs;
    if (name === 'request.topic') return request.topic;
    if (name === 'request.payload') return new TextDecoder().decode(request.payload);
    return name.startsWith('request.json.') ? jsonField(request.payload, name.slice('request.json.'.length)) : undefined;
  };
}

/** The reply of a respond rule to a request: topic (undefined: use the response topic) and bytes. */
export function replyFor(rule: RespondRule, request: RequestView, index: number, clientId: string, nowMs: number, proto?: ProtoRegistry): { topic?: string; payload: Uint8Array } {
  const values = requestValues(request, index, clientId, nowMs);
  const topic = rule.topic && renderString(rule.topic.template, values);
  return { topic, payload: encodeValue(renderValue(rule.payload, values), rule.format, proto, rule.protobufType) };
}
