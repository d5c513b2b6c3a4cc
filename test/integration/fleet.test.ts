// The fleet simulator against a real mosquitto, through its child process (dist/simulator.js) and typed protocol:
// 200 clients at 10 msg/s for 10 s (the broker sees 200 client ids, a subscriber counts every message), simulated
// devices answering 100 MQTT 5 requests with their correlation data, and clients refused by a password file,
// counted by reason while the run goes on.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parseProfile, type ConnectionProfile } from '../../src/core/profile';
import type { FleetSnapshot } from '../../src/core/fleet/metrics';
import { SimulatorProcess } from '../../src/core/fleet/simulatorProcess';
import type { RunRequest } from '../../src/core/fleet/simulatorProtocol';
import { startMosquitto, type Broker } from '../helpers/broker';
import { connectClient, endClient } from '../helpers/clients';
import { waitUntil } from '../helpers/sessions';

const SIMULATOR = join(__dirname, '..', '..', '..', 'dist', 'simulator.js');

function profileFor(broker: Broker, extra: Record<string, unknown> = {}): ConnectionProfile {
  const parsed = parseProfile({ name: 'Test broker', host: '127.0.0.1', port: broker.port, ...extra }, 'connections[0]');
  assert.ok(parsed.profile, parsed.problems.join('; '));
  return parsed.profile;
}

function request(scenario: unknown, profile: ConnectionProfile, password?: string): RunRequest {
  return { type: 'run', scenarioText: JSON.stringify(scenario), name: 'test', profile, inputs: { password }, indexOffset: 0, protoFiles: [] };
}

describe('fleet simulator', () => {
  let broker: Broker;
  before(async () => {
    broker = await startMosquitto({ extraConfig: ['max_inflight_messages 0', 'max_queued_messages 100000'] });
  });
  after(() => broker.stop());

  test('200 clients x 10 msg/s x 10 s: the broker sees 200 client ids and a subscriber gets every message', async () => {
    const { client: subscriber } = await connectClient(broker.url(), { protocolVersion: 5 });
    const seen = new Set<string>();
    let received = 0;
    subscriber.on('message', (_topic, payload) => {
      received++;
      const { id, seq } = JSON.parse(payload.toString()) as { id: string; seq: number };
      seen.add(`${id}/${seq}`);
    });
    await subscriber.subscribeAsync('load/+/telemetry', { qos: 1 });
    const scenario = {
      broker: 'Test broker',
      clients: 200,
      clientId: 'load-{index}',
      connectRate: 200,
      duration: 10,
      publish: [{ topic: 'load/{clientId}/telemetry', rate: 10, qos: 1, jitter: 0.2, payload: { id: '{clientId}', seq: '{seq}', t: '{temp}' }, generators: { temp: { type: 'walk', start: 20, step: 0.5, min: 0, max: 40 } } }],
      subscribe: [{ filter: 'load/+/telemetry', qos: 0 }],
    };
    const snapshots: FleetSnapshot[] = [];
    const run = new SimulatorProcess(SIMULATOR, request(scenario, profileFor(broker)), (s) => snapshots.push(s));
    const report = await run.report;
    await waitUntil(() => received >= 20_000, 20_000).catch(() => undefined);
    await endClient(subscriber);

    const ids = new Set([...readFileSync(join(broker.dir, 'mosquitto.log'), 'utf8').matchAll(/ as (load-\d+) /g)].map((m) => m[1]));
    assert.equal(ids.size, 200, 'distinct client ids in the broker log');
    assert.equal(report.totals.sent, 20_000);
    assert.equal(report.totals.acked, 20_000);
    assert.equal(seen.size, 20_000, `distinct messages received (${received} in all)`);
    assert.equal(report.clients.connectedPeak, 200);
    assert.deepEqual(report.errors, []);
    assert.equal(report.ack.count, 20_000);
    assert.ok((report.ack.p50 ?? 0) > 0 && (report.ack.p99 ?? 0) >= (report.ack.p50 ?? 0));
    assert.ok(report.endToEnd.count > 0 && (report.endToEnd.p99 ?? 0) > 0, 'end-to-end latency measured');
    assert.ok(snapshots.some((s) => s.sentPerSecond > 0 && s.clients.connected === 200), 'progress arrived while running');
  });

  test('simulated devices answer 100 MQTT 5 requests with matching correlation data', async () => {
    const scenario = {
      broker: 'Test broker',
      clients: 5,
      clientId: 'dev-{index}',
      respond: [{ filter: 'dev/{clientId}/cmd/#', payload: { ok: true, device: '{clientId}', echo: '{request.json.n}' }, qos: 1 }],
    };
    const run = new SimulatorProcess(SIMULATOR, request(scenario, profileFor(broker)), () => undefined);
    const { client } = await connectClient(broker.url(), { protocolVersion: 5 });
    await client.subscribeAsync('replies/#', { qos: 1 });
    const replies = new Map<string, Record<string, unknown>>();
    client.on('message', (_topic, payload, packet) => {
      const correlation = packet.properties?.correlationData?.toString();
      if (correlation) replies.set(correlation, JSON.parse(payload.toString()) as Record<string, unknown>);
    });
    // The devices subscribe once they are connected: send until the first answer, then the hundred.
    await waitUntil(() => {
      client.publish('dev/dev-0/cmd/probe', '{}', { qos: 1, properties: { responseTopic: 'replies/probe', correlationData: Buffer.from('probe') } });
      return replies.has('probe');
    }, 15_000);
    for (let n = 0; n < 100; n++) {
      client.publish(`dev/dev-${n % 5}/cmd/set`, JSON.stringify({ n }), { qos: 1, properties: { responseTopic: `replies/${n}`, correlationData: Buffer.from(`req-${n}`) } });
    }
    await waitUntil(() => [...replies.keys()].filter((k) => k.startsWith('req-')).length === 100, 15_000);
    for (let n = 0; n < 100; n++) assert.deepEqual(replies.get(`req-${n}`), { ok: true, device: `dev-${n % 5}`, echo: n });
    run.stop();
    const report = await run.report;
    await endClient(client);
    assert.equal(report.runs[0].stoppedBy, 'stopped');
    assert.ok(report.totals.requestsAnswered >= 101, `${report.totals.requestsAnswered} answered`);
  });
});

describe('fleet simulator process crash', () => {
  let broker: Broker;
  before(async () => {
    broker = await startMosquitto();
  });
  after(() => broker.stop());

  test('a simulator that dies is reported in a sentence; the caller goes on', async () => {
    const scenario = { broker: 'Test broker', clients: 2, clientId: 'doomed-{index}', respond: [{ filter: 'doomed/{clientId}', payload: 'ok' }] };
    let connected = false;
    const run = new SimulatorProcess(SIMULATOR, request(scenario, profileFor(broker)), (s) => (connected ||= s.clients.connected === 2));
    await waitUntil(() => connected, 20_000);
    assert.ok(run.pid);
    process.kill(run.pid, 'SIGKILL');
    await assert.rejects(run.report, { name: 'SimulatorError', message: 'The simulator process stopped unexpectedly (signal SIGKILL); the run has no report. The editor is not affected.' });
  });
});

describe('fleet simulator against a broker with a password file', () => {
  let broker: Broker;
  before(async () => {
    broker = await startMosquitto({ users: { device: 'right' } });
  });
  after(() => broker.stop());

  test('refused clients are counted by reason and the run goes on to its report', async () => {
    const scenario = { broker: 'Test broker', clients: 4, clientId: 'locked-{index}', duration: 2, publish: [{ topic: 'x/{clientId}', rate: 5, payload: 'hello' }] };
    const report = await new SimulatorProcess(SIMULATOR, request(scenario, profileFor(broker, { username: 'device' }), 'wrong'), () => undefined).report;
    assert.deepEqual(report.errors, [{ reason: 'The broker refused the connection: Not authorized (0x87)', count: 4 }]);
    assert.equal(report.clients.failedAtEnd, 4);
    assert.equal(report.totals.sent, 0);
    assert.equal(report.runs[0].stoppedBy, 'duration');
  });
});
