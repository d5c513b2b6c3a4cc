import * as path from 'node:path';
import type { IClientOptions } from 'mqtt';
import type { ConnectionProfile, WillProperties } from './profile';
import { createMqttWebSocket } from './webSocket';

/**
 * The Receive Maximum an MQTT 5 CONNECT carries when the profile sets none: 65,535, what MQTT 5 says an absent one
 * means, sent explicitly because mosquitto treats an absent one as its own max_inflight_messages (20). With only 20
 * unacknowledged QoS 1/2 messages in flight, a subscriber whose acknowledgements take a millisecond (any client in a
 * busy editor) tops out at 20,000 msg/s and the broker drops the rest once its queue (1,000) is full. The client
 * acknowledges each message as soon as it is handled, so a wide window costs it nothing.
 */
const DEFAULT_RECEIVE_MAXIMUM = 65535;

/** Values `${...}` variables in profile paths expand to. */
export interface PathVariables {
  /** Absolute path of the workspace folder; relative paths are resolved against it. */
  workspaceFolder?: string;
  userHome: string;
  env: Readonly<Record<string, string | undefined>>;
}

/** Expands `${workspaceFolder}`, `${userHome}` and `${env:NAME}` and makes the path absolute. */
export function resolveProfilePath(raw: string, vars: PathVariables): { path: string } | { error: string } {
  let error: string | undefined;
  const expanded = raw.replace(/\$\{([^}]*)\}/g, (whole, name: string) => {
    if (name === 'workspaceFolder') {
      if (vars.workspaceFolder) return vars.workspaceFolder;
      error ??= `${whole} is used but no folder is open`;
    } else if (name === 'userHome') {
      return vars.userHome;
    } else if (name.startsWith('env:')) {
      const value = vars.env[name.slice(4)];
      if (value !== undefined) return value;
      error ??= `environment variable ${name.slice(4)} is not set`;
    } else {
      error ??= `unknown variable ${whole}; use \${workspaceFolder}, \${userHome} or \${env:NAME}`;
    }
    return whole;
  });
  if (error) return { error };
  if (path.isAbsolute(expanded)) return { path: path.normalize(expanded) };
  if (!vars.workspaceFolder) return { error: `relative path "${raw}" needs an open folder; use an absolute path or \${userHome}` };
  return { path: path.join(vars.workspaceFolder, expanded) };
}

/** The TLS files of a profile, already read by the host. */
export interface TlsFiles {
  ca?: Uint8Array;
  cert?: Uint8Array;
  key?: Uint8Array;
}

/** What the host adds to a profile to connect: the stable client id and the secrets from SecretStorage. */
export interface ConnectInputs {
  clientId: string;
  password?: string;
  passphrase?: string;
  tlsFiles?: TlsFiles;
}

const PROTOCOL_VERSION_NUMBERS = { '3.1': 3, '3.1.1': 4, '5': 5 } as const;

/** The MQTT.js protocol version number (3 = 3.1, 4 = 3.1.1, 5 = 5) of a profile. */
export function protocolVersionNumber(profile: Pick<ConnectionProfile, 'protocolVersion'>): 3 | 4 | 5 {
  return PROTOCOL_VERSION_NUMBERS[profile.protocolVersion];
}

const skipLog = (): void => undefined;

/**
 * Builds MQTT.js options from a validated profile. MQTT.js' own reconnect timer is driven by the Session
 * (it sets `reconnectPeriod` before each attempt), and resubscription is done by the Session, not MQTT.js.
 */
export function buildClientOptions(profile: ConnectionProfile, inputs: ConnectInputs): IClientOptions {
  const version = protocolVersionNumber(profile);
  const v5 = version === 5;
  const options: IClientOptions = {
    protocol: profile.protocol,
    host: profile.host,
    hostname: profile.host,
    port: profile.port,
    path: profile.path,
    protocolVersion: version,
    protocolId: version === 3 ? 'MQIsdp' : 'MQTT',
    clientId: inputs.clientId,
    clean: profile.clean,
    keepalive: profile.keepalive,
    connectTimeout: profile.connectTimeout,
    reconnectPeriod: profile.reconnect.initialDelay,
    resubscribe: false,
    queueQoSZero: false,
    manualConnect: true,
    // Used only for ws/wss (also for failover servers): names a refused websocket handshake (wrong path).
    createWebsocket: createMqttWebSocket,
  };
  // MQTT.js asks its `debug` logger several times per packet whether it is on (7 % of the receive path at full
  // rate); with no DEBUG=mqttjs* set it never is, so it gets a logger that does nothing instead.
  if (!/mqttjs/.test(process.env.DEBUG ?? '')) options.log = skipLog;
  if (profile.servers?.length) {
    options.servers = [
      { host: profile.host, port: profile.port, protocol: profile.protocol },
      ...profile.servers.map((s) => ({ host: s.host, port: s.port, protocol: s.protocol ?? profile.protocol })),
    ];
  }
  if (profile.username !== undefined) options.username = profile.username;
  if (inputs.password !== undefined) options.password = inputs.password;
  if (profile.will) {
    options.will = {
      topic: profile.will.topic,
      payload: Buffer.from(profile.will.payload, 'utf8'),
      qos: profile.will.qos,
      retain: profile.will.retain,
      properties: v5 && profile.will.properties ? willProperties(profile.will.properties) : undefined,
    };
  }
  if (v5) {
    options.properties = {
      sessionExpiryInterval: profile.sessionExpiryInterval,
      receiveMaximum: profile.properties?.receiveMaximum ?? DEFAULT_RECEIVE_MAXIMUM,
      maximumPacketSize: profile.properties?.maximumPacketSize,
      topicAliasMaximum: profile.properties?.topicAliasMaximum,
      requestResponseInformation: profile.properties?.requestResponseInformation,
      userProperties: profile.properties?.userProperties,
    };
  }
  if (profile.tls) {
    const files = inputs.tlsFiles ?? {};
    options.rejectUnauthorized = profile.tls.rejectUnauthorized;
    if (files.ca) options.ca = Buffer.from(files.ca);
    if (files.cert) options.cert = Buffer.from(files.cert);
    if (files.key) options.key = Buffer.from(files.key);
    if (inputs.passphrase !== undefined) Object.assign(options, { passphrase: inputs.passphrase });
    if (profile.tls.servername) options.servername = profile.tls.servername;
    if (profile.tls.alpnProtocols) options.ALPNProtocols = profile.tls.alpnProtocols;
    if (profile.tls.minVersion) Object.assign(options, { minVersion: profile.tls.minVersion });
  }
  return options;
}

function willProperties(p: WillProperties): NonNullable<NonNullable<IClientOptions['will']>['properties']> {
  return {
    willDelayInterval: p.willDelayInterval,
    payloadFormatIndicator: p.payloadFormatIndicator,
    messageExpiryInterval: p.messageExpiryInterval,
    contentType: p.contentType,
    responseTopic: p.responseTopic,
    correlationData: p.correlationData === undefined ? undefined : Buffer.from(p.correlationData, 'utf8'),
    userProperties: p.userProperties,
  };
}

/** Generates a client id for a profile that has none: "mqttwb-" and 12 random hex digits. */
export function generateClientId(random: () => number = Math.random): string {
  let id = 'mqttwb-';
  for (let i = 0; i < 12; i++) id += Math.floor(random() * 16).toString(16);
  return id;
}
