import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { generate } from 'mqtt-packet';
import { packetTooLarge, publishPacketSize, type PublishShape } from '../../src/core/packetSize';

describe('publishPacketSize', () => {
  const shapes: PublishShape[] = [
    { topic: 'a', qos: 0, protocolVersion: 4 },
    { topic: 'big/x', qos: 1, protocolVersion: 5 },
    { topic: 'é/ü/水', qos: 2, protocolVersion: 5, properties: { contentType: 'application/json', userProperties: { site: ['a', 'b'] }, messageExpiryInterval: 60 } },
  ];
  // Around every width of the remaining-length field (1..4 bytes).
  const payloads = [0, 1, 100, 120, 127, 128, 16_370, 16_383, 16_384, 2_097_140, 2_097_152];

  test('equals the length of the packet MQTT.js would write, for every width of the length field', () => {
    for (const shape of shapes) {
      for (const n of payloads) {
        const real = generate({ cmd: 'publish', topic: shape.topic, payload: Buffer.alloc(n), qos: shape.qos, messageId: shape.qos > 0 ? 1 : undefined, retain: false, dup: false, properties: shape.properties }, { protocolVersion: shape.protocolVersion }).length;
        assert.equal(publishPacketSize(shape, n), real, `${shape.topic} qos ${shape.qos} v${shape.protocolVersion} payload ${n}`);
      }
    }
  });

  test('packetTooLarge names both sizes, and says nothing without a maximum or within it', () => {
    const shape: PublishShape = { topic: 'big/x', qos: 1, protocolVersion: 5 };
    assert.equal(packetTooLarge(1000, shape, 2000), 'The message is too large for the broker: 2,013 bytes as an MQTT packet, and the broker accepts at most 1,000 (its maximum packet size). Send a smaller payload.');
    assert.equal(packetTooLarge(1000, shape, 987), undefined, '1,000 bytes exactly fit');
    assert.match(packetTooLarge(1000, shape, 988) ?? '', /1,001 bytes/);
    assert.equal(packetTooLarge(undefined, shape, 10_000_000), undefined);
  });
});
