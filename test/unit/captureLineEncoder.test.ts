// The capture writer's byte encoder against the reference line (`encodeMessageLine`): the same bytes for random
// messages (unicode and quotes in topics, payloads from 0 bytes to past the native-base64 threshold, every
// qos/retain/dup/direction, MQTT 5 properties), and the lines read back as what was written.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encodeMessageLine, parseEntryLine } from '../../src/core/capture/format';
import { MessageLineEncoder, type LineMessage, type LineTarget } from '../../src/core/capture/lineEncoder';
import { mulberry32 } from '../helpers/fuzzInputs';

/** A target that grows one buffer, as the writer's chunk does. */
function growingTarget(): LineTarget & { text(): string } {
  let buffer = Buffer.alloc(16);
  let used = 0;
  return {
    reserve(bytes) {
      if (used + bytes > buffer.length) buffer = Buffer.concat([buffer.subarray(0, used), Buffer.alloc(bytes + 16)]);
      return { buffer, offset: used };
    },
    commit(bytes) {
      used += bytes;
    },
    text: () => buffer.subarray(0, used).toString('utf8'),
  };
}

const TOPIC_PIECES = ['site', 'température', 'a"b', 'back\\slash', 'tab\there', '😀', 'x', '', 'line\nbreak'];

function randomMessage(next: () => number): LineMessage {
  const levels = 1 + Math.floor(next() * 4);
  const topic = Array.from({ length: levels }, () => TOPIC_PIECES[Math.floor(next() * TOPIC_PIECES.length)]).join('/') || 'x';
  const sizes = [0, 1, 2, 3, 4, 5, 63, 64, 2047, 2048, 2049, 5000];
  const payload = Uint8Array.from({ length: sizes[Math.floor(next() * sizes.length)] as number }, () => Math.floor(next() * 256));
  const withProperties = next() < 0.4;
  return {
    topic,
    payload,
    qos: Math.floor(next() * 3) as 0 | 1 | 2,
    retain: next() < 0.5,
    dup: next() < 0.5,
    direction: next() < 0.5 ? 'in' : 'out',
    properties: withProperties ? { userProperties: [['fw', '1.4"2'], ['k', 'ü']], correlationData: Uint8Array.from([1, 2, 3]), contentType: 'application/json', messageExpiryInterval: 60 } : undefined,
  };
}

test('2,000 random messages: the byte encoder writes exactly the reference line', () => {
  const next = mulberry32(1301);
  const encoder = new MessageLineEncoder();
  for (let run = 0; run < 2000; run++) {
    const message = randomMessage(next);
    const t = Math.floor(next() * 1e12);
    const target = growingTarget();
    const length = encoder.write(message, t, target);
    const expected = encodeMessageLine(message, t);
    assert.equal(target.text(), expected, `run ${run}`);
    assert.equal(length, Buffer.byteLength(expected));
  }
});

test('lines written back to back read back as the messages, in order', () => {
  const next = mulberry32(1302);
  const encoder = new MessageLineEncoder();
  const target = growingTarget();
  const messages = Array.from({ length: 200 }, () => randomMessage(next));
  messages.forEach((m, i) => encoder.write(m, i * 1000, target));
  const lines = target.text().split('\n').slice(0, -1);
  assert.equal(lines.length, messages.length);
  lines.forEach((line, i) => {
    const parsed = parseEntryLine(line, i + 2);
    assert.ok('entry' in parsed && parsed.entry.kind === 'message');
    const m = messages[i] as LineMessage;
    assert.deepEqual([parsed.entry.t, parsed.entry.topic, Buffer.from(parsed.entry.payload), parsed.entry.qos, parsed.entry.retain, parsed.entry.dup, parsed.entry.direction], [i * 1000, m.topic, Buffer.from(m.payload), m.qos, m.retain, m.dup, m.direction]);
  });
});
