// The capture format: what the writer streams the reader gives back field for field, and a damaged file stays
// readable around the damage (each problem a sentence naming its line).
import assert from 'node:assert/strict';
import { appendFile, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { CaptureFile } from '../../src/core/capture/reader';
import { CaptureWriter, fileSink } from '../../src/core/capture/writer';
import { encodeHeader, encodeMessageLine, type CapturedMessage } from '../../src/core/capture/format';
import type { MqttMessage } from '../../src/shared/mqttMessage';

const HEADER = { connection: 'Lab', broker: '127.0.0.1:1883', protocolVersion: '5', filters: ['#'], startedAt: '2026-12-02T16:45:00.000Z', extension: 'mqtt-workbench 0.1.0' };

function message(topic: string, payload: Uint8Array, extra: Partial<MqttMessage> = {}): MqttMessage {
  return { topic, payload, qos: 0, retain: false, dup: false, direction: 'in', receivedAt: 0, seq: 0, ...extra };
}

async function tempPath(name = 'test.mqttcap'): Promise<string> {
  return join(await mkdtemp(join(tmpdir(), 'wb-capture-')), name);
}

async function readAll(file: CaptureFile): Promise<Array<CapturedMessage | string>> {
  const out: Array<CapturedMessage | string> = [];
  for await (const item of file.entries()) out.push('problem' in item ? item.problem : item.entry.kind === 'message' ? item.entry : `gap: ${item.entry.reason}`);
  return out;
}

describe('capture writer and reader', () => {
  test('round trip of every field: v5 properties in order, binary, empty and 1 MB payloads, gaps', async () => {
    const path = await tempPath();
    const writer = new CaptureWriter(await fileSink(path), HEADER, { flushBytes: 1024 });
    const big = new Uint8Array(1024 * 1024).map((_, i) => (i * 7) & 0xff);
    const sent: MqttMessage[] = [
      message('a/b', new TextEncoder().encode('21.5'), { qos: 1, retain: true }),
      message('bin/x', new Uint8Array([0, 255, 10, 13, 0x80])),
      message('empty', new Uint8Array(0), { qos: 2, dup: true, direction: 'out' }),
      message('big', big),
      message('props', new Uint8Array([1]), {
        properties: {
          payloadFormatIndicator: true,
          messageExpiryInterval: 60,
          responseTopic: 'reply/here',
          correlationData: new Uint8Array([0xde, 0xad, 0x00]),
          userProperties: [['b', '2'], ['a', '1'], ['b', '3']],
          contentType: 'application/json',
        },
      }),
    ];
    sent.forEach((m, i) => writer.add(m, i * 1500));
    writer.addGap(9000, 'reconnecting');
    writer.add(message('after/gap', new Uint8Array([2])), 20_000);
    await writer.close();
    assert.equal(writer.messages, 6);
    assert.equal((await readFile(path)).byteLength, writer.bytes);

    const file = await CaptureFile.open(path);
    assert.deepEqual(file.header, { mqttcap: 1, ...HEADER, includesPublished: false });
    assert.equal(file.count, 7);
    assert.equal(file.truncated, false);
    const read = await readAll(file);
    sent.forEach((m, i) => {
      const entry = read[i];
      assert.ok(typeof entry !== 'string');
      assert.deepEqual(
        { topic: entry.topic, payload: Buffer.from(entry.payload), qos: entry.qos, retain: entry.retain, dup: entry.dup, direction: entry.direction, t: entry.t, properties: entry.properties },
        { topic: m.topic, payload: Buffer.from(m.payload), qos: m.qos, retain: m.retain, dup: m.dup, direction: m.direction, t: i * 1500, properties: m.properties },
      );
    });
    assert.equal(read[5], 'gap: reconnecting');
    assert.equal((read[6] as CapturedMessage).topic, 'after/gap');
    const middle = await file.read(3, 2);
    assert.deepEqual(middle.map((item) => ('entry' in item && item.entry.kind === 'message' ? item.entry.topic : '?')), ['big', 'props']);
    await file.close();
  });

  test('a last line cut short (a reload while recording) is left out; the rest reads', async () => {
    const path = await tempPath();
    const full = encodeMessageLine(message('x/1', new Uint8Array([1])), 0);
    await writeFile(path, encodeHeader(HEADER) + full + full.slice(0, 20));
    const file = await CaptureFile.open(path);
    assert.equal(file.truncated, true);
    assert.equal(file.count, 1);
    assert.equal(((await readAll(file))[0] as CapturedMessage).topic, 'x/1');
    await file.close();
  });

  test('damaged lines are skipped with a sentence each; the lines around them still read', async () => {
    const path = await tempPath();
    const good = (topic: string) => encodeMessageLine(message(topic, new Uint8Array([1])), 5);
    await writeFile(path, encodeHeader(HEADER) + good('ok/1'));
    await appendFile(path, '{"t":1,"topic":"x",\n');
    await appendFile(path, '{"t":1,"topic":"x","payload":"not base64!"}\n');
    await appendFile(path, '{"topic":"x","payload":""}\n');
    await appendFile(path, '{"t":1,"payload":""}\n');
    await appendFile(path, '{"t":1,"topic":"x","payload":"","qos":3}\n');
    await appendFile(path, '{"t":1,"topic":"x","payload":"","properties":{"correlationData":"%%%"}}\n');
    await appendFile(path, good('ok/2'));
    const file = await CaptureFile.open(path);
    assert.deepEqual(await readAll(file), [
      (await readAll(file))[0],
      'Line 3 is not valid JSON; it was skipped.',
      'Line 4: the payload is not valid base64; it was skipped.',
      'Line 5 has no valid time "t" (microseconds since the start); it was skipped.',
      'Line 6 has no topic; it was skipped.',
      'Line 7: qos must be 0, 1 or 2, not 3; it was skipped.',
      'Line 8: correlationData is not valid base64; it was skipped.',
      (await readAll(file))[7],
    ]);
    assert.deepEqual(
      (await readAll(file)).filter((e): e is CapturedMessage => typeof e !== 'string').map((e) => e.topic),
      ['ok/1', 'ok/2'],
    );
    assert.equal((await file.problems()).length, 6);
    await file.close();
  });

  test('a wrong header, an unknown version and a missing file each give a sentence', async () => {
    const notCapture = await tempPath('notes.mqttcap');
    await writeFile(notCapture, 'hello world\nmore\n');
    await assert.rejects(CaptureFile.open(notCapture), { message: 'This file is not an MQTT Workbench capture: its first line is not a capture header ({"mqttcap":1,...}).' });
    const future = await tempPath('future.mqttcap');
    await writeFile(future, '{"mqttcap":7,"connection":"x"}\n');
    await assert.rejects(CaptureFile.open(future), { message: 'This capture has format version 7; this version of MQTT Workbench reads version 1. Update the extension.' });
    const missing = join(tmpdir(), 'no-such-dir-wb', 'gone.mqttcap');
    await assert.rejects(CaptureFile.open(missing), { message: `The capture file ${missing} does not exist.` });
  });

  test('memory stays bounded when the disk cannot keep up: messages past the limit are counted as dropped', async () => {
    let release: () => void = () => undefined;
    const written: string[] = [];
    const slowSink = {
      append: (bytes: Uint8Array) => new Promise<void>((resolve) => {
        written.push(Buffer.from(bytes).toString('utf8'));
        release = resolve;
      }),
      close: async () => undefined,
    };
    const writer = new CaptureWriter(slowSink, HEADER, { flushBytes: 100, maxPendingBytes: 2000 });
    for (let i = 0; i < 200; i++) writer.add(message('a/b', new Uint8Array(50)), i);
    assert.ok(writer.dropped > 0, `dropped ${writer.dropped}`);
    assert.equal(writer.messages + writer.dropped, 200);
    const closing = writer.close();
    while (writer.messages > 0 && written.join('').split('\n').length - 2 < writer.messages) {
      release();
      await new Promise((resolve) => setImmediate(resolve));
    }
    release();
    await closing;
    assert.equal(written.join('').split('\n').length - 2, writer.messages);
  });
});
