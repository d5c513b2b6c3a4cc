// Binary payloads read by their format: one-line previews (the Topics view's descriptions and tooltips) and the
// `decoded` fields of an export. C structs and Protobuf on mapped topics, CBOR and MessagePack maps, as JSON; text
// and JSON as they are; bytes as hex.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encode as encodeCbor } from 'cbor-x';
import { encode as encodeMsgpack } from '@msgpack/msgpack';
import { encodePayload, ProtoRegistry, StructRegistry } from '../../src/core/payload/index';
import { decodedFields, decodedPreview, messageContext } from '../../src/core/payload/decodedPreview';
import { exportCsv, exportJsonLines, type FieldDecoder } from '../../src/core/history';
import type { MqttMessage } from '../../src/shared/mqttMessage';

const { registry: structs } = StructRegistry.fromFiles([{ fileName: 't.h', source: '#pragma pack(1)\ntypedef struct { uint16_t mv; int8_t temp_c; char name[8]; } cell_t;' }]);
const structContext = { structs, structTypeForTopic: (topic: string) => (topic.endsWith('/cell') ? 'cell_t' : undefined) };

function structBytes(value: unknown): Uint8Array {
  const encoded = encodePayload(JSON.stringify(value), 'cstruct', { structs, structType: 'cell_t' });
  assert.ok(encoded.ok);
  return encoded.bytes;
}

test('a C struct on a mapped topic is previewed by its fields, on one line', () => {
  const bytes = structBytes({ mv: 3712, temp_c: -12, name: 'c1' });
  assert.equal(decodedPreview(bytes, 80, { ...structContext, topic: 'pack/1/cell' }), '{"mv": 3712, "temp_c": -12, "name": "c1"}');
  assert.equal(decodedPreview(bytes, 20, { ...structContext, topic: 'pack/1/cell' }), '{"mv": 3712, "temp_c…');
});

test('the same bytes on a topic without a type stay a hex dump', () => {
  assert.match(decodedPreview(structBytes({ mv: 3712, temp_c: -12, name: 'c1' }), 48, { ...structContext, topic: 'pack/1/raw' }), /^0x 80 0e f4 /);
});

test('Protobuf on a mapped topic, CBOR and MessagePack maps are previewed decoded', () => {
  const loaded = ProtoRegistry.fromFiles([{ fileName: 'r.proto', source: 'syntax = "proto3"; package demo; message Reading { double temp = 1; string unit = 2; }' }]);
  const proto = loaded.registry;
  const encoded = encodePayload('{"temp": 21.5, "unit": "C"}', 'protobuf', { proto, protoType: 'demo.Reading' });
  assert.ok(encoded.ok);
  assert.equal(decodedPreview(encoded.bytes, 80, { proto, protoTypeForTopic: () => 'demo.Reading', topic: 'r/1' }), '{"temp": 21.5, "unit": "C"}');
  assert.equal(decodedPreview(encodeCbor({ t: 21.5, ok: true }), 80, { topic: 'c/1' }), '{"t": 21.5, "ok": true}');
  assert.equal(decodedPreview(encodeMsgpack({ t: 3, tags: ['a', 'b'] }), 80, { topic: 'm/1' }), '{"t": 3, "tags": ["a", "b"]}');
});

test('text and JSON are previewed as sent, empty and unknown bytes as before', () => {
  assert.equal(decodedPreview(new TextEncoder().encode('{"t":  21.5}'), 80, {}), '{"t":  21.5}');
  assert.equal(decodedPreview(new TextEncoder().encode('online'), 80, {}), 'online');
  assert.equal(decodedPreview(new Uint8Array(0), 80, {}), '(empty)');
  assert.equal(decodedPreview(Uint8Array.from([0xde, 0xad, 0xbe, 0xef]), 80, {}), '0x de ad be ef');
});

test('a struct payload too short still previews the fields that fit', () => {
  const bytes = structBytes({ mv: 1, temp_c: 2, name: 'x' }).subarray(0, 3);
  assert.equal(decodedPreview(bytes, 80, { ...structContext, topic: 'a/cell' }), '{"mv": 1, "temp_c": 2}');
});

test('an export carries the decoded fields of a struct beside its raw bytes, in JSON Lines and CSV', () => {
  const at = Date.UTC(2026, 11, 2, 12);
  const messages: MqttMessage[] = [
    { topic: 'pack/1/cell', payload: structBytes({ mv: 3712, temp_c: -12, name: 'c1' }), qos: 1, retain: false, dup: false, direction: 'in', receivedAt: at, seq: 1 },
    { topic: 'pack/1/note', payload: new TextEncoder().encode('ok'), qos: 0, retain: false, dup: false, direction: 'in', receivedAt: at + 1, seq: 2 },
  ];
  const decode: FieldDecoder = (m) => decodedFields(m.payload, messageContext(m, structContext));
  const [cell, note] = exportJsonLines(messages, decode).trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
  assert.deepEqual(cell.decoded, { mv: 3712, temp_c: -12, name: 'c1' });
  assert.equal(typeof cell.payloadBase64, 'string');
  assert.equal('decoded' in note, false);
  const csv = exportCsv(messages, decode).split('\r\n');
  assert.match(csv[1] ?? '', /,"\{""mv"":3712,""temp_c"":-12,""name"":""c1""\}"$/);
  assert.match(csv[2] ?? '', /,text,ok,,$/);
});
