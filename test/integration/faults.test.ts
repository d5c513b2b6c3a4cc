// Faults a user meets, against a real mosquitto per test: the broker crashing during a stream, a second client
// with the same id, a message over the broker's maximum packet size, an administrative kick, and a hung broker.
// Each test asserts what the user sees: the state kinds, the sentences, and what arrived.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, test } from 'node:test';
import { connect as mqttConnect } from 'mqtt';
import type { IPublishPacket } from 'mqtt-packet';
import { SessionError, type SessionState } from '../../src/core/session';
import { startMosquitto, type Broker } from '../helpers/broker';
import { dynamicSecurity, dynsecCommands } from '../helpers/dynsec';
import { startFakeBroker } from '../helpers/fakeBroker';
import { assertBackoff, publishStream, reconnectReasons, recordStates, sleep, stateStory } from '../helpers/faults';
import { closeSessions, collectMessages, makeSession, waitForState, waitUntil } from '../helpers/sessions';
import { startTcpProxy } from '../helpers/tcpProxy';

const brokers: Broker[] = [];
async function broker(options: Parameters<typeof startMosquitto>[0] = {}): Promise<Broker> {
  const started = await startMosquitto(options);
  brokers.push(started);
  return started;
}

afterEach(async () => {
  closeSessions();
  for (const b of brokers.splice(0)) await b.stop();
});

/** Resolves once mosquitto saved its database (persistence) after this call: what it holds now survives a crash. */
async function waitForSave(mosquitto: Broker): Promise<void> {
  const saves = (): number => (readFileSync(join(mosquitto.dir, 'mosquitto.log'), 'utf8').match(/Saving in-memory database/g) ?? []).length;
  const before = saves();
  await waitUntil(() => saves() > before, 10_000);
}

/** How often each payload occurs in a list of payload texts. */
function tally(payloads: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const p of payloads) counts.set(p, (counts.get(p) ?? 0) + 1);
  return counts;
}

describe('broker killed during a stream of QoS 1 publishes', () => {
  test('a persistent subscriber gets all 1,000 messages; the publisher reconnects with backoff and resends', async () => {
    // Between two saves (every 2 s) mosquitto keeps the messages it queued for a subscriber in memory only, so a
    // crash loses acknowledged messages that waited behind its in-flight window (20): no window, nothing waits.
    const mosquitto = await broker({ persistence: true, extraConfig: ['max_inflight_messages 0'] });
    const proxy = await startTcpProxy(mosquitto.port); // sees what the publisher sends, to tell its resends
    const policy = { initialDelay: 200, maxDelay: 1600, jitter: 0.2 };
    try {
      const subscriberProfile = { port: mosquitto.port, clientId: 'wb-faults-sub', cleanStart: false, sessionExpiryInterval: 600, reconnect: policy, subscriptions: [{ filter: 'faults/stream', qos: 1 }] };
      const subscriber = makeSession(subscriberProfile, { clientId: 'wb-faults-sub' });
      const inbox = collectMessages(subscriber);
      const subscriberStates = recordStates(subscriber);
      await subscriber.connect();
      await waitUntil(() => subscriber.subscriptions.get('faults/stream')?.state === 'active');
      await waitForSave(mosquitto); // the subscription is on disk before the crash

      const publisher = makeSession({ port: proxy.port, reconnect: policy });
      const states = recordStates(publisher);
      await publisher.connect();
      let crash: Promise<void> | undefined;
      const report = await publishStream(publisher, 'faults/stream', 1000, 20, ({ acknowledged }) => {
        if (acknowledged < 300 || crash) return;
        crash = (async () => {
          // Stop the broker first so that the 20 publishes after this one are surely unacknowledged when it dies.
          mosquitto.pause();
          await sleep(300);
          await mosquitto.kill();
          await sleep(1500);
          await mosquitto.restart();
        })();
      });
      await crash;
      assert.equal(report.acknowledged, 1000);

      const distinct = (): Set<string> => new Set(inbox.messages.map((m) => Buffer.from(m.payload).toString()));
      await waitUntil(() => distinct().size >= 1000, 30_000).catch(() => {
        const missing = Array.from({ length: 1000 }, (_, i) => i).filter((i) => !distinct().has(`m${i}`));
        assert.fail(`the subscriber has ${distinct().size} of 1,000 distinct messages; missing ${missing.slice(0, 5).join(', ')}..${missing.slice(-3).join(', ')}; its states ${JSON.stringify(subscriberStates)}\n${mosquitto.logTail(60)}`);
      });
      assert.deepEqual([...distinct()].sort(), Array.from({ length: 1000 }, (_, i) => `m${i}`).sort());

      // A duplicate is the broker's redelivery (DUP set) or the publisher's resend of an unacknowledged message.
      const sent = tally(proxy.sent.filter((p): p is IPublishPacket => p.cmd === 'publish').map((p) => Buffer.from(p.payload).toString()));
      const resent = [...sent].filter(([, n]) => n > 1).map(([payload]) => payload);
      assert.ok(resent.length > 0, 'the publisher sent the unacknowledged messages again after reconnecting');
      for (const [payload, n] of tally(inbox.messages.map((m) => Buffer.from(m.payload).toString()))) {
        if (n === 1) continue;
        const redelivered = inbox.messages.some((m) => m.dup && Buffer.from(m.payload).toString() === payload);
        assert.ok(redelivered || resent.includes(payload), `${payload} arrived ${n} times without DUP and was sent once`);
      }

      assert.deepEqual(stateStory(states), ['connected', 'reconnecting', 'connected']);
      // The publisher goes through the proxy, which accepts and then closes while the broker is down.
      assert.deepEqual(new Set(reconnectReasons(states)), new Set([`The connection to 127.0.0.1:${proxy.port} was closed.`]));
      const [dropped, ...down] = reconnectReasons(subscriberStates);
      assert.match(dropped, new RegExp(`^The connection to 127\\.0\\.0\\.1:${mosquitto.port} was (reset by the other side|closed)\\.$`));
      for (const reason of down) assert.equal(reason, `Nothing is listening on 127.0.0.1:${mosquitto.port}. Check that the broker is running and the port is right.`);
      assert.ok(publisher.reconnectDelays.length >= 2, `the broker was down for several attempts: ${publisher.reconnectDelays.join(', ')}`);
      assertBackoff(publisher.reconnectDelays, policy);
      assert.deepEqual(stateStory(subscriberStates), ['connected', 'reconnecting', 'connected']);
      const resumed = subscriberStates.at(-1);
      assert.ok(resumed?.kind === 'connected' && resumed.sessionPresent, 'the restarted broker resumed the subscriber session from disk');
    } finally {
      await proxy.close();
    }
  });
});

describe('session takeover', () => {
  test('mosquitto closes the older of two clients with one id without a reason: the state says why, and reconnects slow down', async () => {
    const mosquitto = await broker();
    const policy = { initialDelay: 200, maxDelay: 3200, jitter: 0.2 };
    const session = makeSession({ port: mosquitto.port, reconnect: policy }, { clientId: 'wb-faults-twin' });
    const states = recordStates(session);
    await session.connect();
    await sleep(200);
    // Another tool with the same client id that retries every 100 ms, as hard as it can.
    const twin = mqttConnect(mosquitto.url(), { protocolVersion: 5, clientId: 'wb-faults-twin', reconnectPeriod: 100, connectTimeout: 2000 });
    twin.on('error', () => undefined);
    try {
      await sleep(6000);
    } finally {
      twin.end(true);
    }
    const delays = [...session.reconnectDelays];
    assert.ok(delays.length >= 3 && delays.length <= 6, `few reconnects in 6 s (a tight loop makes 20 or more): ${delays.join(', ')}`);
    assertBackoff(delays, policy);
    const reasons = reconnectReasons(states);
    assert.equal(reasons[0], `The connection to 127.0.0.1:${mosquitto.port} was closed.`);
    for (const reason of reasons.slice(1)) {
      assert.equal(reason, 'The broker keeps closing the connection soon after accepting it, without a reason. Another client connecting with the same client id ("wb-faults-twin") does this; give each client its own id.');
    }
    await waitForState(session, 'connected', 10_000);
  });

  test('a broker that says "Session taken over (0x8E)": the state names it and the delays grow', async () => {
    const fake = await startFakeBroker();
    try {
      const policy = { initialDelay: 200, maxDelay: 3200, jitter: 0 };
      const session = makeSession({ port: fake.port, reconnect: policy }, { clientId: 'wb-faults-named' });
      const states = recordStates(session);
      await session.connect();
      for (let i = 0; i < 3; i++) {
        fake.disconnectAll(0x8e);
        await waitForState(session, 'reconnecting');
        await waitForState(session, 'connected');
      }
      assert.deepEqual(session.reconnectDelays, [200, 400, 800]);
      const named = 'The broker closed the connection: Session taken over (0x8E). Another client connected with the same client id ("wb-faults-named"); give each client its own id.';
      assert.deepEqual(reconnectReasons(states), [named, named, named]);
    } finally {
      await fake.close();
    }
  });
});

describe('maximum packet size', () => {
  test('a message over the size the broker announced is refused with both sizes; the session stays connected', async () => {
    const mosquitto = await broker({ maxPacketSize: 1000 });
    const session = makeSession({ port: mosquitto.port, subscriptions: [{ filter: 'big/#', qos: 1 }] });
    const inbox = collectMessages(session);
    const states = recordStates(session);
    await session.connect();
    const state = session.state;
    assert.ok(state.kind === 'connected' && state.maximumPacketSize === 1000, `CONNACK announced the maximum: ${JSON.stringify(state)}`);
    await waitUntil(() => session.subscriptions.get('big/#')?.state === 'active');

    const refusal = async (qos: 0 | 1): Promise<SessionError> => {
      const error: unknown = await session.publish('big/x', new Uint8Array(2000), { qos }).then(() => undefined, (e: unknown) => e);
      assert.ok(error instanceof SessionError, `refused with a SessionError, not ${String(error)}`);
      return error;
    };
    const qos1 = await refusal(1);
    assert.equal(qos1.message, 'The message is too large for the broker: 2,013 bytes as an MQTT packet, and the broker accepts at most 1,000 (its maximum packet size). Send a smaller payload.');
    assert.equal(qos1.retryable, false, 'sending it again cannot help');
    assert.match((await refusal(0)).message, /: 2,011 bytes as an MQTT packet, and the broker accepts at most 1,000 /);

    const fits = await session.publish('big/x', new Uint8Array(980), { qos: 1 }); // 993 bytes as a packet
    assert.match(fits.summary, /^Acknowledged in \d+ ms$/);
    await inbox.waitFor(1);
    assert.deepEqual(stateStory(states), ['connected'], 'the connection never dropped');
  });
});

describe('the broker ends the connection with a reason', () => {
  for (const [protocolVersion, kicked, refused] of [
    ['5', 'The broker closed the connection: Administrative action (0x98)', 'The broker refused the connection: Not authorized (0x87)'],
    ['3.1.1', undefined, 'The broker refused the connection: Not authorized (return code 5)'],
  ] as const) {
    test(`dynamic security disables the client (MQTT ${protocolVersion}): kicked, then refused by name, and no more retries`, async () => {
      const dir = await mkdtemp(join(tmpdir(), 'wb-faults-dynsec-'));
      const mosquitto = await broker({ extraConfig: await dynamicSecurity(dir, 'admin', 'admin-pw', ['public/#']) });
      await dynsecCommands(mosquitto.url(), 'admin', 'admin-pw', [{ command: 'createClient', username: 'device-7', password: 'pw-7' }]);
      const session = makeSession({ port: mosquitto.port, protocolVersion, username: 'device-7', reconnect: { initialDelay: 200, maxDelay: 1600 } }, { password: 'pw-7' });
      const states = recordStates(session);
      await session.connect();
      await dynsecCommands(mosquitto.url(), 'admin', 'admin-pw', [{ command: 'disableClient', username: 'device-7' }]);
      const failed = await waitForState(session, 'failed');
      assert.deepEqual(failed, { kind: 'failed', error: refused });
      // MQTT 3.1.1 has no DISCONNECT from the broker: the kick is a closed connection.
      assert.deepEqual(reconnectReasons(states), [kicked ?? `The connection to 127.0.0.1:${mosquitto.port} was closed.`]);
      assert.deepEqual(stateStory(states), ['connected', 'reconnecting', 'failed']);
    });
  }
});

describe('keepalive', () => {
  test('a hung broker (SIGSTOP) is noticed within 1.5 x keepalive and named; after SIGCONT the session is back', async () => {
    const mosquitto = await broker();
    const session = makeSession({ port: mosquitto.port, keepalive: 2, connectTimeout: 1500, reconnect: { initialDelay: 500, maxDelay: 1000, jitter: 0 } });
    const states = recordStates(session);
    await session.connect();
    await sleep(2500); // a ping went out and came back: the keepalive timer runs
    mosquitto.pause();
    const stoppedAt = Date.now();
    let left: SessionState;
    try {
      left = await waitForState(session, 'reconnecting', 10_000);
    } finally {
      mosquitto.resume();
    }
    const noticedAfter = Date.now() - stoppedAt;
    assert.ok(noticedAfter <= 3000 + 1500, `noticed after ${noticedAfter} ms (keepalive 2 s: at most 3 s, plus scheduling slack)`);
    assert.equal(left.kind === 'reconnecting' && left.lastError, `No answer from 127.0.0.1:${mosquitto.port} for 3 s (keepalive 2 s): the broker or the network stopped responding.`);
    await waitForState(session, 'connected', 20_000);
    assert.equal(stateStory(states).slice(0, 3).join(' -> '), 'connected -> reconnecting -> connected');
    assert.match((await session.publish('alive/again', 'x', { qos: 1 })).summary, /^Acknowledged/);
  });
});
