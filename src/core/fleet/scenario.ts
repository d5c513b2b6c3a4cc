/**
 * A fleet scenario (`*.mqttsim.json`): how many simulated devices, how they connect, what they publish, what
 * they answer, what is measured and for how long. `parseScenario` checks every field and names the place of
 * each problem (`publish[0].rate: must be a positive number, not "fast"`); it never throws.
 */
import { encodableCodecs, type CodecId } from '../payload';
import { FieldReader } from '../fieldReader';
import { validateTopicFilter } from '../topics';
import type { QoS } from '../../shared/mqttMessage';
import type { GeneratorSpec } from './generators';
import { positiveNumber, readGenerators, readStringTemplate, readValueTemplate, type TopicTemplate } from './scenarioParts';
import type { ValueTemplate } from './template';

/** One stream of messages every simulated client publishes. */
export interface PublishStream {
  topic: TopicTemplate;
  /** Milliseconds between two messages of one client (from `interval` or `rate`). */
  intervalMs: number;
  /** 0..1: each send moves by up to this fraction of the interval, at random (seeded). */
  jitter: number;
  qos: QoS;
  retain: boolean;
  payload: ValueTemplate;
  format: CodecId;
  /** Fully qualified message type, for the protobuf format. */
  protobufType?: string;
  generators: Record<string, GeneratorSpec>;
}

/** A simulated device answering requests. */
export interface RespondRule {
  filter: TopicTemplate;
  /** Where to answer; absent: the request's MQTT 5 response topic. */
  topic?: TopicTemplate;
  payload: ValueTemplate;
  format: CodecId;
  protobufType?: string;
  qos: QoS;
  delayMs: number;
}

/** A measuring subscriber: end-to-end latency of the stamped messages it receives. */
export interface SubscribeSpec {
  filter: string;
  qos: QoS;
}

/** The will message of each simulated client. */
export interface ScenarioWill {
  topic: TopicTemplate;
  payload: ValueTemplate;
  qos: QoS;
  retain: boolean;
}

/** A validated scenario. */
export interface Scenario {
  /** Connection name from `mqttWorkbench.connections` (or, headless, a broker URL such as mqtt://host:1883). */
  broker: string;
  clients: number;
  clientId: TopicTemplate;
  /** Clients started per second. */
  connectRate: number;
  clean: boolean;
  keepalive?: number;
  sessionExpiryInterval?: number;
  will?: ScenarioWill;
  publish: PublishStream[];
  respond: RespondRule[];
  subscribe: SubscribeSpec[];
  /** Seconds of load after the last client started; absent: until messagesPerClient, or until stopped. */
  durationSeconds?: number;
  /** Each client stops publishing after this many messages per stream. */
  messagesPerClient?: number;
  seed: number;
  /** The scenario's own safety limits (the settings' ceilings apply as well). */
  limits: { maxClients?: number; maxMessagesPerSecond?: number };
  /** .proto files (relative to the scenario file) for the protobuf format. */
  protoFiles: string[];
}

/** The outcome of reading a scenario: the scenario when usable, and every problem found. */
export type ParsedScenario = { scenario: Scenario; problems: [] } | { scenario?: undefined; problems: string[] };

/** Variables every template knows. */
export const CLIENT_VARIABLES = ['index', 'clientId'] as const;
/** Variables of a publish payload besides its generators. */
export const PUBLISH_VARIABLES = [...CLIENT_VARIABLES, 'seq', 'timestamp'] as const;
/** Variables of a reply payload: the request's topic, its payload as text, a field of a JSON request. */
export const REQUEST_VARIABLES = [...CLIENT_VARIABLES, 'timestamp', 'request.topic', 'request.payload', 'request.json.*'] as const;

const QOS: readonly QoS[] = [0, 1, 2];
const MAX_CLIENTS = 1_000_000;

function readFormat(reader: FieldReader, payloadIsText: boolean): { format: CodecId; protobufType?: string } {
  const format = reader.oneOf('format', encodableCodecs) ?? (payloadIsText ? 'text' : 'json');
  const protobufType = reader.string('protobufType', { nonEmpty: true });
  if (format === 'protobuf' && protobufType === undefined) reader.problem('protobufType', 'is required with format "protobuf" (a fully qualified message type)');
  return { format, protobufType };
}

function readPublish(value: unknown, path: string, problems: string[]): PublishStream | undefined {
  const reader = FieldReader.object(value, path, problems);
  if (!reader) return undefined;
  const before = problems.length;
  const generators = readGenerators(reader, PUBLISH_VARIABLES);
  const topic = readStringTemplate(reader, 'topic', CLIENT_VARIABLES, { required: true });
  const rate = positiveNumber(reader, 'rate', 10_000);
  const interval = positiveNumber(reader, 'interval', 86_400_000);
  if (rate !== undefined && interval !== undefined) reader.problem('rate', 'set rate (messages per second) or interval (milliseconds), not both');
  if (rate === undefined && interval === undefined && !reader.has('rate') && !reader.has('interval')) reader.problem('rate', 'is required (messages per second per client), or set interval in milliseconds');
  const jitter = reader.number('jitter', 0, 1) ?? 0;
  const qos = reader.oneOf('qos', QOS) ?? 0;
  const retain = reader.boolean('retain') ?? false;
  const payload = readValueTemplate(reader, 'payload', [...PUBLISH_VARIABLES, ...Object.keys(generators)]);
  const { format, protobufType } = readFormat(reader, typeof reader.value.payload === 'string');
  reader.rejectUnknownFields();
  if (problems.length > before || topic === undefined) return undefined;
  return { topic, intervalMs: interval ?? 1000 / (rate ?? 1), jitter, qos, retain, payload, format, protobufType, generators };
}

function readRespond(value: unknown, path: string, problems: string[]): RespondRule | undefined {
  const reader = FieldReader.object(value, path, problems);
  if (!reader) return undefined;
  const before = problems.length;
  const filter = readStringTemplate(reader, 'filter', CLIENT_VARIABLES, { required: true });
  if (filter && filter.template.variables.length === 0) {
    const problem = validateTopicFilter(filter.source);
    if (problem) reader.problem('filter', problem);
  }
  const topic = readStringTemplate(reader, 'topic', REQUEST_VARIABLES);
  const payload = readValueTemplate(reader, 'payload', REQUEST_VARIABLES);
  const { format, protobufType } = readFormat(reader, typeof reader.value.payload === 'string');
  const qos = reader.oneOf('qos', QOS) ?? 0;
  const delayMs = reader.integer('delay', 0, 3_600_000) ?? 0;
  reader.rejectUnknownFields();
  if (problems.length > before || filter === undefined) return undefined;
  return { filter, topic, payload, format, protobufType, qos, delayMs };
}

function readSubscribe(value: unknown, path: string, problems: string[]): SubscribeSpec | undefined {
  const reader = FieldReader.object(value, path, problems);
  if (!reader) return undefined;
  const filter = reader.string('filter', { required: true, nonEmpty: true });
  const problem = filter === undefined ? undefined : validateTopicFilter(filter);
  if (problem) reader.problem('filter', problem);
  const qos = reader.oneOf('qos', QOS) ?? 0;
  reader.rejectUnknownFields();
  return filter === undefined || problem ? undefined : { filter, qos };
}

function readWill(reader: FieldReader | undefined): ScenarioWill | undefined {
  if (!reader) return undefined;
  const topic = readStringTemplate(reader, 'topic', CLIENT_VARIABLES, { required: true });
  const payload = readValueTemplate(reader, 'payload', CLIENT_VARIABLES);
  const qos = reader.oneOf('qos', QOS) ?? 0;
  const retain = reader.boolean('retain') ?? false;
  reader.rejectUnknownFields();
  return topic && { topic, payload, qos, retain };
}

/** Reads the top level of the file: its fields are named without a prefix. */
class RootReader extends FieldReader {
  override fieldPath(key: string): string {
    return key;
  }
}

/** Reads a scenario (the parsed JSON of a `*.mqttsim.json` file). */
export function parseScenario(value: unknown): ParsedScenario {
  const problems: string[] = [];
  const reader = FieldReader.object(value, 'scenario', problems);
  if (!reader) return { problems };
  // Positions read "publish[0].rate", not "scenario.publish[0].rate": the file is the scenario.
  const top = new RootReader(reader.value, '', problems);
  top.raw('$schema');
  top.raw('description');
  const broker = top.string('broker', { required: true, nonEmpty: true });
  const clients = top.integer('clients', 1, MAX_CLIENTS) ?? (top.has('clients') ? undefined : 1);
  const clientId = readStringTemplate(top, 'clientId', ['index']) ?? { source: 'sim-{index}', template: { parts: ['sim-', { variable: 'index' }], variables: ['index'] } };
  if (clients !== undefined && clients > 1 && clientId.template.variables.length === 0) top.problem('clientId', 'must contain {index} so that every client has its own id');
  const connectRate = positiveNumber(top, 'connectRate', 100_000);
  const rampUp = positiveNumber(top, 'rampUpSeconds', 86_400);
  const clean = top.boolean('clean') ?? true;
  const keepalive = top.integer('keepalive', 0, 65535);
  const sessionExpiryInterval = top.integer('sessionExpiryInterval', 0, 0xffffffff);
  const will = readWill(top.object('will'));
  const publish = top.array('publish', (item, path) => readPublish(item, path, problems)) ?? [];
  const respond = top.array('respond', (item, path) => readRespond(item, path, problems)) ?? [];
  const subscribe = top.array('subscribe', (item, path) => readSubscribe(item, path, problems)) ?? [];
  const durationSeconds = positiveNumber(top, 'duration', 7 * 86_400);
  const messagesPerClient = top.integer('messages', 1, Number.MAX_SAFE_INTEGER);
  const seed = top.integer('seed', 0, 0xffffffff) ?? 1;
  const limitsReader = top.object('limits');
  const limits = { maxClients: limitsReader?.integer('maxClients', 1, MAX_CLIENTS), maxMessagesPerSecond: limitsReader && positiveNumber(limitsReader, 'maxMessagesPerSecond') };
  limitsReader?.rejectUnknownFields();
  const protoFiles = top.stringArray('protoFiles') ?? [];
  top.rejectUnknownFields();
  if (publish.length === 0 && respond.length === 0 && !top.has('publish') && !top.has('respond')) top.problem('publish', 'add a publish stream or a respond rule: the scenario does nothing');
  if (problems.length > 0 || broker === undefined || clients === undefined) return { problems };
  const rate = Math.min(connectRate ?? Infinity, rampUp ? clients / rampUp : Infinity);
  const scenario: Scenario = {
    broker,
    clients,
    clientId,
    connectRate: Number.isFinite(rate) ? rate : 100,
    clean,
    keepalive,
    sessionExpiryInterval,
    will,
    publish,
    respond,
    subscribe,
    durationSeconds,
    messagesPerClient,
    seed,
    limits,
    protoFiles,
  };
  return { scenario, problems: [] };
}

/** Messages per second the scenario publishes in total once every client is up. */
export function plannedRate(scenario: Pick<Scenario, 'clients' | 'publish'>): number {
  return scenario.clients * scenario.publish.reduce((sum, stream) => sum + 1000 / stream.intervalMs, 0);
}
