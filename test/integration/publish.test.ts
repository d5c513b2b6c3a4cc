// Publishing as the commands and the panel do it (validateDraft -> Outbox -> Session) against a real mosquitto:
// the summaries users read for QoS 0/1/2, MQTT 5 properties arriving intact, and refusals by name.
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, describe, test } from 'node:test';
import { Outbox } from '../../src/core/publish/outbox';
import { validateDraft, type BuiltPublish, type PublishDraft } from '../../src/core/publish/publishRequest';
import type { Session } from '../../src/core/session';
import { startMosquitto, type Broker } from '../helpers/broker';
import { dynamicSecurity } from '../helpers/dynsec';
import { directoryStorage } from '../helpers/outboxStorage';
import { closeSessions, collectMessages, failureMessage, makeSession, waitUntil } from '../helpers/sessions';

afterEach(() => closeSessions());

function build(draft: Partial<PublishDraft>): BuiltPublish {
  const result = validateDraft({ topic: 'pub/x', payload: '', format: 'text', qos: 0, retain: false, ...draft });
  assert.ok(!('problems' in result), JSON.stringify(result));
  return result;
}

async function outboxFor(session: Session): Promise<Outbox> {
  const outbox = new Outbox(session.profile.name, directoryStorage(await mkdtemp(join(tmpdir(), 'wb-outbox-')), session.profile.name), () => ({ maxMessages: 10_000, persistQos0: false }));
  outbox.attach(session);
  await outbox.restored();
  return outbox;
}

async function subscriber(port: number, filter: string): Promise<ReturnType<typeof collectMessages>> {
  const session = makeSession({ port, subscriptions: [{ filter, qos: 2 }] });
  const inbox = collectMessages(session);
  await session.connect();
  await waitUntil(() => session.subscriptions.get(filter)?.state === 'active');
  return inbox;
}

describe('publish through the outbox while connected', () => {
  let broker: Broker;
  before(async () => {
    broker = await startMosquitto();
  });
  after(() => broker.stop());

  test('QoS 0, 1 and 2 give "Sent", "Acknowledged in N ms" and "Completed in N ms", and arrive', async () => {
    const inbox = await subscriber(broker.port, 'pub/#');
    const session = makeSession({ port: broker.port });
    await session.connect();
    const outbox = await outboxFor(session);
    const summaries = [];
    for (const qos of [0, 1, 2] as const) {
      const result = await outbox.submit(build({ topic: `pub/q${qos}`, payload: `m${qos}`, qos }));
      assert.ok('summary' in result, `QoS ${qos} was sent at once: ${JSON.stringify(result)}`);
      summaries.push(result.summary);
    }
    assert.equal(summaries[0], 'Sent');
    assert.match(summaries[1], /^Acknowledged in \d+ ms$/);
    assert.match(summaries[2], /^Completed in \d+ ms$/);
    const received = await inbox.waitFor(3);
    assert.deepEqual(received.map((m) => [m.topic, Buffer.from(m.payload).toString(), m.qos]), [['pub/q0', 'm0', 0], ['pub/q1', 'm1', 1], ['pub/q2', 'm2', 2]]);
    assert.equal(outbox.size, 0);
  });

  test('MQTT 5 properties typed in a draft arrive intact at a subscriber', async () => {
    const inbox = await subscriber(broker.port, 'props/#');
    const session = makeSession({ port: broker.port });
    await session.connect();
    const outbox = await outboxFor(session);
    await outbox.submit(
      build({
        topic: 'props/cmd',
        format: 'json',
        payload: '{"reboot":true}',
        qos: 1,
        properties: {
          contentType: 'application/json',
          payloadFormatIndicator: true,
          messageExpiryInterval: '120',
          responseTopic: 'props/reply',
          correlationData: 'c0ffee',
          correlationDataEncoding: 'hex',
          userProperties: [['site', 'a'], ['site', 'b'], ['fw', '1.2']],
        },
      }),
    );
    const [message] = await inbox.waitFor(1);
    assert.equal(Buffer.from(message.payload).toString(), '{"reboot":true}');
    const p = message.properties;
    assert.equal(p?.contentType, 'application/json');
    assert.equal(p?.payloadFormatIndicator, true);
    assert.ok(p?.messageExpiryInterval !== undefined && p.messageExpiryInterval <= 120 && p.messageExpiryInterval >= 119, `expiry ${p?.messageExpiryInterval}`);
    assert.equal(p?.responseTopic, 'props/reply');
    assert.deepEqual([...(p?.correlationData ?? [])], [0xc0, 0xff, 0xee]);
    assert.deepEqual(p?.userProperties, [['site', 'a'], ['site', 'b'], ['fw', '1.2']]);
  });

  test('a topic alias is accepted by the broker and the message arrives under its topic', async () => {
    const inbox = await subscriber(broker.port, 'alias/#');
    const session = makeSession({ port: broker.port });
    await session.connect();
    const outbox = await outboxFor(session);
    const result = await outbox.submit(build({ topic: 'alias/a', payload: 'x', qos: 1, properties: { topicAlias: 1 } }));
    assert.ok('summary' in result);
    const [message] = await inbox.waitFor(1);
    assert.equal(message.topic, 'alias/a');
  });

  test('QoS 1 with nobody subscribed: mosquitto answers "No matching subscribers (0x10)"', async () => {
    const session = makeSession({ port: broker.port });
    await session.connect();
    const outbox = await outboxFor(session);
    const result = await outbox.submit(build({ topic: 'nobody/listens', payload: 'x', qos: 1 }));
    assert.ok('summary' in result);
    assert.match(result.summary, /^Acknowledged in \d+ ms \(No matching subscribers \(0x10\)\)$/);
    assert.equal(result.reasonCode, 0x10);
  });
});

describe('publish refused by an ACL (dynamic security)', () => {
  let broker: Broker;
  before(async () => {
    broker = await startMosquitto({ extraConfig: await dynamicSecurity(await mkdtemp(join(tmpdir(), 'wb-dynsec-')), 'dev', 'pw-dynsec', ['public/#']) });
  });
  after(() => broker.stop());

  test('QoS 1 to a forbidden topic is refused with "Not authorized (0x87)" and leaves the queue', async () => {
    const session = makeSession({ port: broker.port, username: 'dev' }, { password: 'pw-dynsec' });
    await session.connect();
    const outbox = await outboxFor(session);
    assert.equal(await failureMessage(outbox.submit(build({ topic: 'private/x', payload: 'x', qos: 1 }))), 'Not authorized (0x87)');
    assert.equal(outbox.size, 0, 'a refused message is not retried');
    const allowed = await outbox.submit(build({ topic: 'public/x', payload: 'x', qos: 1 }));
    assert.ok('summary' in allowed && /^Acknowledged in \d+ ms/.test(allowed.summary));
  });
});
