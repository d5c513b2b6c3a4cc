import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import mqttPacket from 'mqtt-packet';
import type { Packet } from 'mqtt';
import { ackBatcher } from '../../src/core/ackBatcher';

/** A writable that records each write call it gets (one `_writev` is one system call on a socket). */
function recordingStream(): { stream: Writable; calls: Buffer[][] } {
  const calls: Buffer[][] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      calls.push([chunk]);
      done();
    },
    writev(chunks, done) {
      calls.push(chunks.map((c) => c.chunk as Buffer));
      done();
    },
  });
  return { stream, calls };
}

const publish = (qos: 0 | 1 | 2, messageId: number): Packet => ({ cmd: 'publish', topic: 't', payload: Buffer.from('x'), qos, dup: false, retain: false, messageId });
const puback = (messageId: number): Packet => ({ cmd: 'puback', messageId });
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

test('the PUBACKs written for the QoS 1 messages of one turn leave in one write, in order, when the turn ends', async () => {
  const { stream, calls } = recordingStream();
  const received = ackBatcher();
  for (const id of [1, 2, 3]) {
    received(publish(1, id), stream);
    mqttPacket.writeToStream(puback(id), stream); // as MQTT.js answers each message after handling it
    await Promise.resolve();
  }
  assert.equal(calls.length, 0, 'nothing is written before the turn is over');
  await nextTurn();
  assert.equal(calls.length, 1);
  const expected = Buffer.concat([1, 2, 3].map((id) => mqttPacket.generate(puback(id))));
  assert.deepEqual(Buffer.concat(calls[0]), expected);
  // The next turn corks again and is written on its own.
  received(publish(2, 4), stream);
  mqttPacket.writeToStream({ cmd: 'pubrec', messageId: 4 }, stream);
  await nextTurn();
  assert.equal(calls.length, 2);
  assert.deepEqual(Buffer.concat(calls[1]), mqttPacket.generate({ cmd: 'pubrec', messageId: 4 }));
});

test('packets that get no answer (QoS 0 PUBLISH, PUBACK, PINGRESP) leave the stream uncorked', async () => {
  const { stream } = recordingStream();
  const received = ackBatcher();
  for (const packet of [publish(0, 0), puback(9), { cmd: 'pingresp' } as Packet]) received(packet, stream);
  assert.equal(stream.writableCorked, 0);
  received({ cmd: 'pubrel', messageId: 5 }, stream);
  assert.equal(stream.writableCorked, 1);
  await nextTurn();
  assert.equal(stream.writableCorked, 0);
});

test('a stream that ends while corked writes what it holds (the DISCONNECT of a closing client is not lost)', async () => {
  const { stream, calls } = recordingStream();
  const received = ackBatcher();
  received(publish(1, 1), stream);
  mqttPacket.writeToStream(puback(1), stream);
  mqttPacket.writeToStream({ cmd: 'disconnect' }, stream);
  stream.end();
  await nextTurn();
  assert.deepEqual(Buffer.concat(calls.flat()), Buffer.concat([mqttPacket.generate(puback(1)), mqttPacket.generate({ cmd: 'disconnect' })]));
});
