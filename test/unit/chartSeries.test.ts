// The panel's chart reads numbers from every payload format: JSON directly, the others through their codec (the
// way watches read fields), and it suggests the first numeric field of a decoded value.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { HistoryEntry } from '../../src/core/history';
import { topicSeries } from '../../src/core/history/series';
import { encodePayload } from '../../src/core/payload/index';
import { StructRegistry } from '../../src/core/payload/cstruct/registry';
import { chartNumberReader, detailMessage } from '../../src/host/panel/messageDetail';

const entry = (id: number, topic: string, payload: Uint8Array): HistoryEntry => ({ id, topic, payload, qos: 0, retain: false, dup: false, receivedAt: 1000 + id, seq: id, direction: 'in' });
const { registry } = StructRegistry.fromFiles([{ fileName: 'fw/t.h', source: 'typedef struct { uint32_t seq; int16_t temp_c10; } reading_t;' }], { endianness: 'little', packing: 1 });
const context = { structs: registry, structTypeForTopic: (topic: string) => (topic.startsWith('fw/') ? 'reading_t' : undefined) };
const struct = (seq: number, temp: number) => Uint8Array.from([seq, 0, 0, 0, temp & 0xff, (temp >> 8) & 0xff]);

test('C struct fields are charted, with or without the type name, and the first numeric field is suggested', () => {
  const entries = [entry(3, 'fw/a', struct(3, -15)), entry(2, 'fw/a', struct(2, 215)), entry(1, 'fw/a', Uint8Array.from([1]))];
  const series = topicSeries(entries, 'fw/a', ['temp_c10'], 10, chartNumberReader('fw/a', context));
  assert.deepEqual(series, { points: [[1002, 215], [1003, -15]], skipped: 1 });
  assert.deepEqual(topicSeries(entries, 'fw/a', ['reading_t', 'seq'], 10, chartNumberReader('fw/a', context)).points.map(([, v]) => v), [2, 3]);
  assert.equal(detailMessage(1, entries[0], 'auto', context).chartPath, 'seq');
});

test('CBOR payloads are charted through their codec; JSON still reads directly', () => {
  const cbor = encodePayload('{"reading":{"temp":21.5}}', 'cbor', {});
  assert.ok(cbor.ok);
  const entries = [entry(2, 's/1', cbor.bytes), entry(1, 's/1', new TextEncoder().encode('{"reading":{"temp":20}}'))];
  assert.deepEqual(topicSeries(entries, 's/1', ['reading', 'temp'], 10, chartNumberReader('s/1', {})).points, [[1001, 20], [1002, 21.5]]);
  assert.equal(detailMessage(1, entries[0], 'auto', {}).chartPath, 'reading.temp');
});
