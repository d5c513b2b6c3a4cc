// A simulated greenhouse controller for demos and tests: plain Node + MQTT.js, no VS Code.
import { encode } from 'cbor-x';
import { connect, type IClientPublishOptions, type IPublishPacket, type MqttClient } from 'mqtt';
import { DEMO_TOPICS, Greenhouse } from './telemetry';

export { DEMO_TOPICS } from './telemetry';

/** Options of {@link startDemoDevice}. */
export interface DemoDeviceOptions {
  /** 5 (default) or 4 (MQTT 3.1.1, for brokers without MQTT 5 such as the embedded local broker). */
  readonly protocolVersion?: 4 | 5;
  /** Milliseconds between two rounds of telemetry (default 1000). */
  readonly intervalMs?: number;
  /** Told about connection errors (the device keeps retrying every second). Default: ignored. */
  readonly onError?: (error: Error) => void;
}

/** A running demo device. */
export interface DemoDevice {
  /** The MQTT.js client. */
  readonly client: MqttClient;
  /** Resolves once the device is connected, has published its status and listens for commands. */
  readonly ready: Promise<void>;
  /** Publishes the retained status "offline", disconnects cleanly and stops the timer. */
  stop(): Promise<void>;
}

const STOP_TIMEOUT_MS = 3_000;

/**
 * Connects to `url` and, every second, publishes JSON telemetry (temperature, humidity, a counter) and a CBOR
 * reading; keeps a retained status ("online", with a retained "offline" will) and answers requests on
 * `demo/greenhouse/cmd/#` with `{"ok":true,"echo":<request>}` on their response topic, with their correlation data.
 */
export function startDemoDevice(url: string, options: DemoDeviceOptions = {}): DemoDevice {
  const protocolVersion = options.protocolVersion ?? 5;
  const client = connect(url, {
    protocolVersion,
    clientId: `demo-greenhouse-${Math.random().toString(16).slice(2, 10)}`,
    reconnectPeriod: 1_000,
    connectTimeout: 5_000,
    will: { topic: DEMO_TOPICS.status, payload: Buffer.from('offline'), qos: 1, retain: true },
  });
  const v5 = protocolVersion === 5;
  client.on('error', (error) => options.onError?.(error));
  const ready = new Promise<void>((resolve) => {
    client.on('connect', () => {
      client.publish(DEMO_TOPICS.status, 'online', { qos: 1, retain: true });
      client.subscribe(DEMO_TOPICS.commands, { qos: 1 }, (error) => error || resolve());
    });
  });
  client.on('message', (topic, payload, packet) => answer(client, topic, payload, packet));

  const greenhouse = new Greenhouse();
  const json = (value: unknown): [string, IClientPublishOptions] => [JSON.stringify(value), v5 ? { properties: { contentType: 'application/json', payloadFormatIndicator: true } } : {}];
  const timer = setInterval(() => {
    if (!client.connected) return;
    const now = Date.now();
    const reading = greenhouse.next(now);
    client.publish(DEMO_TOPICS.temperature, ...json(reading.temperature));
    client.publish(DEMO_TOPICS.humidity, ...json(reading.humidity));
    client.publish(DEMO_TOPICS.soilTemperature, ...json(reading.soilTemperature));
    client.publish(DEMO_TOPICS.counter, ...json({ value: reading.counter, ts: now }));
    const cbor = Buffer.from(encode({ temperature: reading.temperature.value, humidity: reading.humidity.value, ts: now }));
    client.publish(DEMO_TOPICS.cbor, cbor, v5 ? { properties: { contentType: 'application/cbor' } } : {});
  }, options.intervalMs ?? 1_000);

  return {
    client,
    ready,
    async stop() {
      clearInterval(timer);
      if (client.connected) {
        await Promise.race([client.publishAsync(DEMO_TOPICS.status, 'offline', { qos: 1, retain: true }), delay(STOP_TIMEOUT_MS)]);
        await Promise.race([client.endAsync(), delay(STOP_TIMEOUT_MS)]);
      }
      client.end(true);
    },
  };
}

/** Answers one request: on its response topic (MQTT 5) or on `response/<name>` (none given, or MQTT 3.1.1). */
function answer(client: MqttClient, topic: string, payload: Buffer, packet: IPublishPacket): void {
  const commandPrefix = DEMO_TOPICS.commands.slice(0, -1);
  if (!topic.startsWith(commandPrefix)) return;
  const text = payload.toString('utf8');
  const reply = JSON.stringify({ ok: true, echo: parseOrText(text) });
  const responseTopic = packet.properties?.responseTopic;
  // A response topic under cmd/ would make the device answer its own answers forever.
  if (responseTopic !== undefined && responseTopic !== '' && !responseTopic.startsWith(commandPrefix)) {
    const correlationData = packet.properties?.correlationData;
    client.publish(responseTopic, reply, { qos: 1, properties: { contentType: 'application/json', ...(correlationData ? { correlationData } : {}) } });
    return;
  }
  client.publish(`${DEMO_TOPICS.responses}/${topic.slice(commandPrefix.length)}`, reply, { qos: 1 });
}

function parseOrText(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
