// The alert engine against a real mosquitto: a Session feeds it as the extension does (messages, states), a
// second client publishes. Silence fires after N s and clears on the next message; the will of a killed client
// fires a status rule; a threshold rule's publish action sends exactly one recovery message per cooldown.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { AlertEngine } from '../../src/core/monitor/alertEngine';
import type { AlertEvent } from '../../src/core/monitor/alertRecord';
import { plannedPublish } from '../../src/core/monitor/actionPlan';
import { SYSTEM_CLOCK } from '../../src/core/monitor/clock';
import { parseAlertRules } from '../../src/core/monitor/ruleParse';
import type { Session } from '../../src/core/session';
import { startMosquitto, type Broker } from '../helpers/broker';
import { connectClient, endClient, type Connected } from '../helpers/clients';
import { closeSessions, makeSession, waitForState, waitUntil } from '../helpers/sessions';

/** A session feeding an engine with `rules`, ticking every 100 ms; `act` is called for every event that acts. */
async function monitored(broker: Broker, rules: unknown[], filters: string[], act: (event: AlertEvent, session: Session) => void = () => undefined): Promise<{ engine: AlertEngine; events: AlertEvent[]; stop(): void }> {
  const parsed = parseAlertRules(rules, { savedMessages: new Set() });
  assert.deepEqual(parsed.problems, []);
  const engine = new AlertEngine(SYSTEM_CLOCK);
  engine.setRules(parsed.rules);
  const events: AlertEvent[] = [];
  const session = makeSession({ port: broker.port, subscriptions: filters.map((filter) => ({ filter, qos: 1 })) });
  engine.onEvent((event) => {
    events.push(event);
    if (event.act) act(event, session);
  });
  session.onMessage((message) => engine.message('Lab', message));
  session.onState((state) => engine.connectionState('Lab', state.kind === 'connected' ? true : state.kind === 'disconnected' ? undefined : false));
  await session.connect();
  await waitForState(session, 'connected');
  engine.connectionState('Lab', true);
  const timer = setInterval(() => engine.tick(), 100);
  return { engine, events, stop: () => clearInterval(timer) };
}

describe('alerts against mosquitto', () => {
  let broker: Broker;
  let publisher: Connected;

  before(async () => {
    broker = await startMosquitto();
    publisher = await connectClient(broker.url());
  });

  after(async () => {
    closeSessions();
    await endClient(publisher.client);
    await broker.stop();
  });

  test('silence fires after N s without a message and clears on the next one', async () => {
    const { events, stop } = await monitored(broker, [{ name: 'Heartbeat', topic: 'lab/+/heartbeat', when: { silentForSeconds: 1.5 } }], ['lab/#']);
    try {
      const started = Date.now();
      await waitUntil(() => events.length === 1, 10_000);
      assert.ok(Date.now() - started >= 1400, 'not before the silence lasted');
      assert.equal(events[0]?.alert.reason, 'Heartbeat: no message on lab/+/heartbeat for 1.5 s');
      await publisher.client.publishAsync('lab/d1/heartbeat', 'beat', { qos: 1 });
      await waitUntil(() => events.length === 2, 10_000);
      assert.deepEqual(events.map((e) => e.kind), ['fired', 'cleared']);
      assert.equal(events[1]?.alert.clearReason, 'a message came on lab/d1/heartbeat');
    } finally {
      stop();
      closeSessions();
    }
  });

  test('the will of a killed client fires the status rule', async () => {
    const { events, stop } = await monitored(broker, [{ name: 'Device offline', topic: 'devices/+/status', when: { equals: 'offline' } }], ['devices/+/status']);
    const device = spawn('mosquitto_sub', ['-h', '127.0.0.1', '-p', String(broker.port), '-i', 'device-7', '-t', 'devices/7/cmd', '-k', '5', '--will-topic', 'devices/7/status', '--will-payload', 'offline', '--will-retain'], { stdio: 'ignore' });
    try {
      await publisher.client.publishAsync('devices/7/status', 'online', { qos: 1, retain: true });
      // mosquitto logs the SUBSCRIBE after the CONNECT: once it is there, the will is registered.
      await waitUntil(() => /device-7 \d devices\/7\/cmd/.test(broker.logTail(200)), 10_000);
      assert.equal(events.length, 0);
      device.kill('SIGKILL');
      await waitUntil(() => events.length === 1, 10_000);
      assert.equal(events[0]?.alert.reason, 'Device offline: devices/7/status is "offline" (equals "offline")');
      assert.equal(events[0]?.alert.message?.topic, 'devices/7/status');
    } finally {
      device.kill('SIGKILL');
      stop();
      closeSessions();
    }
  });

  test('a threshold rule with a publish action sends exactly one recovery message per cooldown', async () => {
    const recovery = await connectClient(broker.url());
    await recovery.client.subscribeAsync('boiler/cmd', { qos: 1 });
    const rules = [{ name: 'Boiler hot', topic: 'boiler/+/temp', when: { above: 80, hysteresis: 5 }, cooldownSeconds: 3600, action: { publish: { topic: 'boiler/cmd', payload: 'cool {topic} at {value}', qos: 1 } } }];
    const { events, stop } = await monitored(broker, rules, ['boiler/#'], (event, session) => {
      const publish = plannedPublish(event.alert);
      if (publish) void session.publish(publish.topic, publish.payload, { qos: publish.qos, retain: publish.retain });
    });
    try {
      // Hot, cool, hot again, cool, hot: three fires within one cooldown.
      for (const temp of [85, 70, 90, 60, 95]) await publisher.client.publishAsync('boiler/1/temp', String(temp), { qos: 1 });
      await waitUntil(() => events.filter((e) => e.kind === 'fired').length === 3, 10_000);
      await recovery.inbox.waitFor(1);
      // The marker published after the fires arrives after any recovery message would have.
      await publisher.client.publishAsync('boiler/cmd', 'marker', { qos: 1 });
      await recovery.inbox.waitFor(2);
      assert.deepEqual(recovery.inbox.messages.map((m) => m.payload.toString()), ['cool boiler/1/temp at 85', 'marker']);
      assert.deepEqual(events.map((e) => `${e.kind}${e.act ? '+act' : ''}`), ['fired+act', 'cleared', 'fired', 'cleared', 'fired']);
    } finally {
      stop();
      closeSessions();
      await endClient(recovery.client);
    }
  });
});
