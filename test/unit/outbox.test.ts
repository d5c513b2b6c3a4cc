// The offline queue without a broker: order, what is saved (QoS 1/2 always, QoS 0 only when asked), the round
// trip through the JSON file into a new Outbox, the limit, and unreadable saved data reported and kept aside.
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { Outbox, type OutboxSettings } from '../../src/core/publish/outbox';
import type { BuiltPublish } from '../../src/core/publish/publishRequest';
import type { QoS } from '../../src/shared/mqttMessage';
import { directoryStorage } from '../helpers/outboxStorage';

const settings = (overrides: Partial<OutboxSettings> = {}) => () => ({ maxMessages: 10_000, persistQos0: false, ...overrides });

function message(topic: string, payload: string, qos: QoS, extra: Partial<BuiltPublish['options']> = {}): BuiltPublish {
  return { topic, payload: new TextEncoder().encode(payload), options: { qos, retain: false, ...extra } };
}

const summary = (outbox: Outbox) => outbox.entries().map((e) => [e.topic, Buffer.from(e.payload).toString(), e.qos]);

describe('Outbox (no broker)', () => {
  test('publishing without a session queues in order and says how many wait', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wb-outbox-'));
    const outbox = new Outbox('Lab', directoryStorage(dir, 'Lab'), settings());
    const sizes: number[] = [];
    outbox.onChange((n) => sizes.push(n));
    assert.deepEqual(await outbox.submit(message('a/1', 'one', 1)), { queued: 1 });
    assert.deepEqual(await outbox.submit(message('a/2', 'two', 0)), { queued: 2 });
    assert.deepEqual(await outbox.submit(message('a/3', 'three', 2)), { queued: 3 });
    assert.deepEqual(summary(outbox), [['a/1', 'one', 1], ['a/2', 'two', 0], ['a/3', 'three', 2]]);
    assert.deepEqual(sizes, [1, 2, 3]);
  });

  test('QoS 1/2 entries survive into a new Outbox over the same directory, in order, bytes and properties intact; QoS 0 does not', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wb-outbox-'));
    const first = new Outbox('Lab broker/1', directoryStorage(dir, 'Lab broker/1'), settings());
    const properties = { contentType: 'application/octet-stream', correlationData: new Uint8Array([0, 255]), userProperties: [['k', 'v'] as const, ['k', 'w'] as const], messageExpiryInterval: 30, responseTopic: 'r/1', payloadFormatIndicator: true, topicAlias: 2 };
    await first.submit({ topic: 'bin', payload: new Uint8Array([0, 1, 2, 253, 254, 255]), options: { qos: 1, retain: true, properties } });
    await first.submit(message('volatile', 'qos0', 0));
    for (let i = 0; i < 50; i++) await first.submit(message(`seq/${i}`, String(i), i % 2 === 0 ? 1 : 2));
    await first.flush();
    assert.deepEqual(await readdir(dir), ['Lab%20broker%2F1.json'], 'one file named after the connection, no temp file left');

    const second = new Outbox('Lab broker/1', directoryStorage(dir, 'Lab broker/1'), settings());
    assert.deepEqual(await second.restored(), { restored: 51, problems: [] });
    const entries = second.entries();
    assert.deepEqual(entries.map((e) => e.topic), ['bin', ...Array.from({ length: 50 }, (_, i) => `seq/${i}`)]);
    assert.deepEqual([...entries[0].payload], [0, 1, 2, 253, 254, 255]);
    assert.equal(entries[0].retain, true);
    assert.deepEqual({ ...entries[0].properties, correlationData: [...(entries[0].properties?.correlationData ?? [])] }, { ...properties, correlationData: [0, 255], userProperties: [['k', 'v'], ['k', 'w']] });
    assert.deepEqual(await second.submit(message('after', 'reload', 1)), { queued: 52 });
    assert.ok(second.entries()[51].id > entries[50].id, 'new ids continue after the restored ones');
  });

  test('with persistQos0, QoS 0 entries are saved too', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wb-outbox-'));
    const first = new Outbox('c', directoryStorage(dir, 'c'), settings({ persistQos0: true }));
    await first.submit(message('q0', 'x', 0));
    await first.flush();
    const second = new Outbox('c', directoryStorage(dir, 'c'), settings());
    assert.equal((await second.restored()).restored, 1);
    assert.deepEqual(summary(second), [['q0', 'x', 0]]);
  });

  test('saves coalesce: 200 quick submits write far fewer than 200 files', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wb-outbox-'));
    const storage = directoryStorage(dir, 'c');
    const outbox = new Outbox('c', storage, settings());
    await Promise.all(Array.from({ length: 200 }, (_, i) => outbox.submit(message(`t/${i}`, String(i), 1))));
    assert.equal(outbox.size, 200);
    assert.ok(storage.writes < 20, `${storage.writes} writes`);
    const saved = JSON.parse(await readFile(join(dir, 'c.json'), 'utf8')) as { entries: Array<{ topic: string }> };
    assert.deepEqual(saved.entries.map((e) => e.topic), Array.from({ length: 200 }, (_, i) => `t/${i}`));
  });

  test('a full queue refuses with a clear message and queues nothing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wb-outbox-'));
    const outbox = new Outbox('Lab', directoryStorage(dir, 'Lab'), settings({ maxMessages: 2 }));
    await outbox.submit(message('a', '1', 1));
    await outbox.submit(message('b', '2', 0));
    await assert.rejects(outbox.submit(message('c', '3', 1)), {
      message: 'The offline queue of "Lab" is full (2 messages); this message was not queued. Connect to send the queue, clear it, or raise mqttWorkbench.offlineQueue.maxMessages.',
    });
    assert.deepEqual(summary(outbox), [['a', '1', 1], ['b', '2', 0]]);
  });

  test('clear empties the queue and the file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wb-outbox-'));
    const outbox = new Outbox('c', directoryStorage(dir, 'c'), settings());
    await outbox.submit(message('a', '1', 1));
    assert.equal(await outbox.clear(), 1);
    assert.equal(outbox.size, 0);
    assert.deepEqual(await readdir(dir), []);
  });

  test('bad records are reported with their path; the good ones are kept', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wb-outbox-'));
    const good = { id: 4, topic: 'ok', payload: 'aGk=', qos: 1, retain: false, queuedAt: 1 };
    await writeFile(join(dir, 'c.json'), JSON.stringify({ version: 1, entries: [{ ...good, id: 1, qos: 3 }, { ...good, id: 2, topic: 'a/#' }, { ...good, id: 3, payload: '$$' }, good] }));
    const outbox = new Outbox('c', directoryStorage(dir, 'c'), settings());
    assert.deepEqual(await outbox.restored(), {
      restored: 1,
      problems: [
        'outbox[0].qos: must be one of 0, 1, 2, not 3',
        'outbox[1].topic: Topic must not contain wildcards (+ or #); wildcards are only for subscriptions.',
        "outbox[2].payload: Not valid base64 at line 1, column 1: '$' is not a base64 character",
      ],
    });
    assert.deepEqual(summary(outbox), [['ok', 'hi', 1]]);
  });

  test('an unreadable file is moved aside (not overwritten) and the reason is given', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wb-outbox-'));
    await writeFile(join(dir, 'c.json'), '{"entries": [');
    const outbox = new Outbox('c', directoryStorage(dir, 'c'), settings());
    const { restored, problems } = await outbox.restored();
    assert.equal(restored, 0);
    assert.match(problems[0] ?? '', /^The saved offline queue of "c" could not be read: c\.json is not a saved queue \(.+\); it was moved to c\.json\.unreadable-\d+\.$/);
    assert.match((await readdir(dir)).join(','), /^c\.json\.unreadable-\d+$/);
  });
});
