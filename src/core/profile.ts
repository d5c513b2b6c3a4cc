import { DEFAULT_BACKOFF, type BackoffPolicy } from './backoff';
import { FieldReader } from './fieldReader';
import { validateTopicFilter, validateTopicName } from './topics';
import type { QoS } from '../shared/mqttMessage';

/** Transport of a connection. */
export type Protocol = 'mqtt' | 'mqtts' | 'ws' | 'wss';
/** MQTT protocol version as written in settings. */
export type ProtocolVersionSetting = '3.1' | '3.1.1' | '5';

export const PROTOCOLS: readonly Protocol[] = ['mqtt', 'mqtts', 'ws', 'wss'];
export const PROTOCOL_VERSIONS: readonly ProtocolVersionSetting[] = ['3.1', '3.1.1', '5'];
export const DEFAULT_PORTS: Readonly<Record<Protocol, number>> = { mqtt: 1883, mqtts: 8883, ws: 80, wss: 443 };

/** One more broker address to fail over to, tried in order after the main one. */
export interface ServerAddress {
  host: string;
  port: number;
  protocol?: Protocol;
}

/** MQTT 5 properties of the will message. */
export interface WillProperties {
  willDelayInterval?: number;
  payloadFormatIndicator?: boolean;
  messageExpiryInterval?: number;
  contentType?: string;
  responseTopic?: string;
  /** Sent as UTF-8 bytes. */
  correlationData?: string;
  userProperties?: Record<string, string | string[]>;
}

/** The message the broker publishes for us when our connection dies without a clean DISCONNECT. */
export interface WillMessage {
  topic: string;
  payload: string;
  qos: QoS;
  retain: boolean;
  properties?: WillProperties;
}

/** TLS settings; file paths are resolved and read by the host (see resolveProfilePath). */
export interface TlsSettings {
  ca?: string;
  cert?: string;
  key?: string;
  servername?: string;
  alpnProtocols?: string[];
  rejectUnauthorized: boolean;
  minVersion?: 'TLSv1.2' | 'TLSv1.3';
}

/** MQTT 5 CONNECT properties. */
export interface ConnectProperties {
  receiveMaximum?: number;
  maximumPacketSize?: number;
  topicAliasMaximum?: number;
  requestResponseInformation?: boolean;
  userProperties?: Record<string, string | string[]>;
}

/** A subscription made every time the connection comes up. */
export interface ProfileSubscription {
  filter: string;
  qos: QoS;
  noLocal?: boolean;
  retainAsPublished?: boolean;
  retainHandling?: 0 | 1 | 2;
}

/** A named broker connection as saved in `mqttWorkbench.connections`, with defaults applied. */
export interface ConnectionProfile {
  name: string;
  protocol: Protocol;
  host: string;
  port: number;
  /** Websocket path (ws/wss only). */
  path?: string;
  servers?: ServerAddress[];
  protocolVersion: ProtocolVersionSetting;
  /** Fixed client id; when absent the host generates one that stays the same for this profile. */
  clientId?: string;
  username?: string;
  /** Clean session (3.1/3.1.1) or clean start (5). */
  clean: boolean;
  /** MQTT 5: seconds the broker keeps the session after the connection closes. */
  sessionExpiryInterval?: number;
  keepalive: number;
  connectTimeout: number;
  reconnect: BackoffPolicy;
  will?: WillMessage;
  tls?: TlsSettings;
  properties?: ConnectProperties;
  subscriptions: ProfileSubscription[];
}

/** The outcome of reading one entry of the connections setting. */
export interface ParsedProfile {
  index: number;
  /** The entry's name if it has one, else "connections[i]". */
  name: string;
  /** Present when the entry is usable (problems may still list warnings-free errors elsewhere). */
  profile?: ConnectionProfile;
  /** Every problem found, each prefixed with its place ("connections[2].port: ..."). */
  problems: string[];
}

const QOS_LEVELS: readonly QoS[] = [0, 1, 2];
const UINT32_MAX = 0xffffffff;

/** Reads the whole `mqttWorkbench.connections` value; never throws. */
export function parseProfiles(value: unknown, settingName = 'connections'): ParsedProfile[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    return [{ index: -1, name: settingName, problems: [`${settingName}: must be an array of connection profiles`] }];
  }
  const parsed = value.map((entry, index) => parseProfile(entry, `${settingName}[${index}]`, index));
  const firstByName = new Map<string, number>();
  for (const item of parsed) {
    if (!item.profile) continue;
    const first = firstByName.get(item.name);
    if (first === undefined) {
      firstByName.set(item.name, item.index);
    } else {
      item.problems.push(`${settingName}[${item.index}].name: "${item.name}" is already used by ${settingName}[${first}]; names must be unique`);
      item.profile = undefined;
    }
  }
  return parsed;
}

/** Reads one profile object; `path` names it in messages. */
export function parseProfile(value: unknown, path: string, index = 0): ParsedProfile {
  const problems: string[] = [];
  const reader = FieldReader.object(value, path, problems);
  if (!reader) return { index, name: path, problems };
  const name = reader.string('name', { required: true, nonEmpty: true })?.trim();
  const protocol = reader.oneOf('protocol', PROTOCOLS) ?? 'mqtt';
  const host = reader.string('host', { required: true, nonEmpty: true })?.trim();
  const port = reader.integer('port', 1, 65535) ?? DEFAULT_PORTS[protocol];
  const wsPath = reader.string('path');
  if (wsPath !== undefined && !wsPath.startsWith('/')) reader.problem('path', 'must start with "/", e.g. "/mqtt"');
  const servers = reader.array('servers', (item, itemPath) => readServer(item, itemPath, problems));
  const protocolVersion = reader.oneOf('protocolVersion', PROTOCOL_VERSIONS) ?? '5';
  const clientId = reader.string('clientId');
  if (clientId !== undefined && new TextEncoder().encode(clientId).length > 65535) reader.problem('clientId', 'is longer than 65,535 bytes');
  const username = reader.string('username');
  const clean = reader.boolean('clean');
  const cleanStart = reader.boolean('cleanStart');
  const sessionExpiryInterval = reader.integer('sessionExpiryInterval', 0, UINT32_MAX);
  const keepalive = reader.integer('keepalive', 0, 65535) ?? 60;
  const connectTimeout = reader.integer('connectTimeout', 100, 600000) ?? 10000;
  const reconnect = readBackoff(reader.object('reconnect'));
  const will = readWill(reader.object('will'));
  const tls = readTls(reader.object('tls'));
  const properties = readConnectProperties(reader.object('properties'));
  const subscriptions = reader.array('subscriptions', (item, itemPath) => readSubscription(item, itemPath, problems)) ?? [];
  reader.rejectUnknownFields();

  if (protocolVersion !== '5') {
    for (const key of ['cleanStart', 'sessionExpiryInterval', 'properties'] as const) {
      if (reader.has(key)) reader.problem(key, `is an MQTT 5 setting; set protocolVersion to "5" or remove it`);
    }
  }
  if (wsPath !== undefined && protocol !== 'ws' && protocol !== 'wss') reader.problem('path', 'only applies to the ws and wss protocols');
  if (tls && protocol !== 'mqtts' && protocol !== 'wss') reader.problem('tls', 'only applies to the mqtts and wss protocols');

  const displayName = name ?? path;
  if (problems.length > 0 || name === undefined || host === undefined) return { index, name: displayName, problems };
  const profile: ConnectionProfile = {
    name,
    protocol,
    host,
    port,
    path: protocol === 'ws' || protocol === 'wss' ? (wsPath ?? '/mqtt') : undefined,
    servers,
    protocolVersion,
    clientId,
    username,
    clean: (protocolVersion === '5' ? (cleanStart ?? clean) : clean) ?? true,
    sessionExpiryInterval,
    keepalive,
    connectTimeout,
    reconnect,
    will,
    tls,
    properties,
    subscriptions,
  };
  return { index, name, profile, problems };
}

function readServer(value: unknown, path: string, problems: string[]): ServerAddress | undefined {
  const reader = FieldReader.object(value, path, problems);
  if (!reader) return undefined;
  const host = reader.string('host', { required: true, nonEmpty: true });
  const protocol = reader.oneOf('protocol', PROTOCOLS);
  const port = reader.integer('port', 1, 65535) ?? DEFAULT_PORTS[protocol ?? 'mqtt'];
  reader.rejectUnknownFields();
  return host === undefined ? undefined : { host, port, protocol };
}

function readBackoff(reader: FieldReader | undefined): BackoffPolicy {
  if (!reader) return { ...DEFAULT_BACKOFF };
  const initialDelay = reader.integer('initialDelay', 100, 3600000) ?? DEFAULT_BACKOFF.initialDelay;
  const maxDelay = reader.integer('maxDelay', 100, 3600000) ?? Math.max(DEFAULT_BACKOFF.maxDelay, initialDelay);
  const jitter = reader.number('jitter', 0, 1) ?? DEFAULT_BACKOFF.jitter;
  reader.rejectUnknownFields();
  if (maxDelay < initialDelay) reader.problem('maxDelay', `must be at least initialDelay (${initialDelay})`);
  return { initialDelay, maxDelay, jitter };
}

function readWill(reader: FieldReader | undefined): WillMessage | undefined {
  if (!reader) return undefined;
  const topic = reader.string('topic', { required: true });
  if (topic !== undefined) {
    const problem = validateTopicName(topic);
    if (problem) reader.problem('topic', problem);
  }
  const payload = reader.string('payload') ?? '';
  const qos = reader.oneOf('qos', QOS_LEVELS) ?? 0;
  const retain = reader.boolean('retain') ?? false;
  const props = reader.object('properties');
  let properties: WillProperties | undefined;
  if (props) {
    properties = {
      willDelayInterval: props.integer('willDelayInterval', 0, UINT32_MAX),
      payloadFormatIndicator: props.boolean('payloadFormatIndicator'),
      messageExpiryInterval: props.integer('messageExpiryInterval', 0, UINT32_MAX),
      contentType: props.string('contentType'),
      responseTopic: props.string('responseTopic'),
      correlationData: props.string('correlationData'),
      userProperties: props.userProperties('userProperties'),
    };
    props.rejectUnknownFields();
  }
  reader.rejectUnknownFields();
  return topic === undefined ? undefined : { topic, payload, qos, retain, properties };
}

function readTls(reader: FieldReader | undefined): TlsSettings | undefined {
  if (!reader) return undefined;
  const tls: TlsSettings = {
    ca: reader.string('ca', { nonEmpty: true }),
    cert: reader.string('cert', { nonEmpty: true }),
    key: reader.string('key', { nonEmpty: true }),
    servername: reader.string('servername', { nonEmpty: true }),
    alpnProtocols: reader.stringArray('alpnProtocols'),
    rejectUnauthorized: reader.boolean('rejectUnauthorized') ?? true,
    minVersion: reader.oneOf('minVersion', ['TLSv1.2', 'TLSv1.3'] as const),
  };
  reader.rejectUnknownFields();
  if ((tls.cert === undefined) !== (tls.key === undefined)) {
    reader.problem(tls.cert === undefined ? 'cert' : 'key', 'tls.cert and tls.key must be set together for a client certificate');
  }
  return tls;
}

function readConnectProperties(reader: FieldReader | undefined): ConnectProperties | undefined {
  if (!reader) return undefined;
  const properties: ConnectProperties = {
    receiveMaximum: reader.integer('receiveMaximum', 1, 65535),
    maximumPacketSize: reader.integer('maximumPacketSize', 1, UINT32_MAX),
    topicAliasMaximum: reader.integer('topicAliasMaximum', 0, 65535),
    requestResponseInformation: reader.boolean('requestResponseInformation'),
    userProperties: reader.userProperties('userProperties'),
  };
  reader.rejectUnknownFields();
  return properties;
}

/** Reads one subscription (profile setting or command argument). */
export function readSubscription(value: unknown, path: string, problems: string[]): ProfileSubscription | undefined {
  const reader = FieldReader.object(value, path, problems);
  if (!reader) return undefined;
  const filter = reader.string('filter', { required: true });
  if (filter !== undefined) {
    const problem = validateTopicFilter(filter);
    if (problem) reader.problem('filter', problem);
  }
  const subscription: ProfileSubscription | undefined =
    filter === undefined
      ? undefined
      : {
          filter,
          qos: reader.oneOf('qos', QOS_LEVELS) ?? 0,
          noLocal: reader.boolean('noLocal'),
          retainAsPublished: reader.boolean('retainAsPublished'),
          retainHandling: reader.oneOf('retainHandling', [0, 1, 2] as const),
        };
  reader.rejectUnknownFields();
  return subscription;
}

/** The key under which a profile's secrets are stored: a secret is only ever sent to this endpoint. */
export function secretKey(profile: Pick<ConnectionProfile, 'name' | 'host' | 'port' | 'username'>, kind: 'password' | 'passphrase'): string {
  return `mqttWorkbench.${kind}:${JSON.stringify([profile.name, profile.host.toLowerCase(), profile.port, profile.username ?? ''])}`;
}

/** "mqtts://broker:8883" for messages and tooltips. */
export function profileEndpoint(profile: Pick<ConnectionProfile, 'protocol' | 'host' | 'port' | 'path'>): string {
  return `${profile.protocol}://${profile.host}:${profile.port}${profile.path ?? ''}`;
}
