import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { decodePayload, encodePayload, ProtoRegistry } from '../../src/core/payload/index';
import type { EncodeResult } from '../../src/core/payload/index';

const fixture = (name: string): { fileName: string; source: string } => ({
  fileName: name,
  source: readFileSync(join(__dirname, '..', '..', '..', 'test', 'fixtures', name), 'utf8'),
});

function okBytes(result: EncodeResult): Uint8Array {
  assert.ok(result.ok, result.ok ? '' : result.error);
  return result.bytes;
}

describe('protobuf codec', () => {
  const { registry, errors } = ProtoRegistry.fromFiles([fixture('sensors.proto')]);
  const proto = { proto: registry, protoType: 'acme.sensors.Batch' };

  test('the fixture parses and lists its message types', () => {
    assert.deepEqual(errors, []);
    assert.deepEqual(registry.typeNames(), ['acme.sensors.Batch', 'acme.sensors.Batch.Device', 'acme.sensors.Reading']);
  });

  test('round trip of a nested message, an enum, repeated fields, int64 and bytes', () => {
    const json = JSON.stringify(
      {
        device: { id: 'd1', firmware: 7 },
        readings: [
          { sensor: 't1', value: 21.5, unit: 'CELSIUS', at: 1700000000000 },
          { sensor: 't2', value: -4, unit: 'FAHRENHEIT', at: '9223372036854775807' },
        ],
        raw: 'AQID',
        tags: ['a', 'b'],
      },
      null,
      2,
    );
    const bytes = okBytes(encodePayload(json, 'protobuf', proto));
    assert.equal(bytes.length, 70);
    const decoded = decodePayload(bytes, 'auto', { topic: 'factory/line1', proto: registry, protoTypeForTopic: (t) => (t.startsWith('factory/') ? 'acme.sensors.Batch' : undefined) });
    assert.equal(decoded.codec, 'protobuf');
    assert.equal(decoded.ok ? decoded.text : decoded.error, json);
  });

  test('fields left at their default are shown (proto3 does not send them)', () => {
    const bytes = okBytes(encodePayload('{"sensor":"t1"}', 'protobuf', { proto: registry, protoType: 'acme.sensors.Reading' }));
    const decoded = decodePayload(bytes, 'protobuf', { proto: registry, protoType: 'acme.sensors.Reading' });
    assert.equal(decoded.ok ? decoded.text : decoded.error, '{\n  "sensor": "t1",\n  "value": 0,\n  "unit": "UNIT_UNSPECIFIED",\n  "at": 0\n}');
  });

  test('encode validation names the JSON path', () => {
    const cases: [string, string][] = [
      ['{"readings":[{"unit":"KELVIN"}]}', 'Not valid for protobuf acme.sensors.Batch: at "readings[0].unit": "KELVIN" is not a value of enum acme.sensors.Unit (UNIT_UNSPECIFIED, CELSIUS, FAHRENHEIT)'],
      ['{"readingz":[]}', 'Not valid for protobuf acme.sensors.Batch: unknown field "readingz" in acme.sensors.Batch (fields: device, readings, raw, tags)'],
      ['{"device":{"firmware":-1}}', 'Not valid for protobuf acme.sensors.Batch: at "device.firmware": expected an integer from 0 to 4294967295 (uint32), found number -1'],
      ['{"readings":{}}', 'Not valid for protobuf acme.sensors.Batch: at "readings": expected an array (repeated field), found an object'],
      ['{"readings":[{"at":"12x"}]}', 'Not valid for protobuf acme.sensors.Batch: at "readings[0].at": expected an integer (int64; beyond 2^53 write it as a string), found the string "12x"'],
      ['{"raw":"**"}', 'Not valid for protobuf acme.sensors.Batch: at "raw": Not valid base64 at line 1, column 1: \'*\' is not a base64 character'],
      ['[1]', 'Not valid for protobuf acme.sensors.Batch: expected an object for message acme.sensors.Batch, found an array'],
      ['{"tags": [1,}', "Not valid JSON at line 1, column 13 (byte 12): expected a value, found '}'"],
    ];
    for (const [input, error] of cases) {
      const result = encodePayload(input, 'protobuf', proto);
      assert.equal(result.ok ? 'ok' : result.error, error, input);
    }
  });

  test('a missing type is named, for decode and encode', () => {
    const missing = 'Protobuf type "x.Y" is not defined in mqttWorkbench.protobuf.files.';
    assert.deepEqual(decodePayload(new Uint8Array([8, 1]), 'protobuf', { proto: registry, protoType: 'x.Y' }), { ok: false, error: missing, codec: 'protobuf' });
    assert.deepEqual(encodePayload('{}', 'protobuf', { proto: registry, protoType: 'x.Y' }), { ok: false, error: missing });
    assert.deepEqual(decodePayload(new Uint8Array([8, 1]), 'protobuf', { proto: registry, protoType: 'acme.sensors.Unit' }), {
      ok: false,
      error: 'Protobuf type "acme.sensors.Unit" is an enum, not a message type.',
      codec: 'protobuf',
    });
  });

  test('decode errors give the byte position', () => {
    const bytes = okBytes(encodePayload('{"device":{"id":"d1"},"readings":[{"sensor":"t1","value":1}]}', 'protobuf', proto));
    assert.deepEqual(decodePayload(bytes.subarray(0, 10), 'protobuf', proto), {
      ok: false,
      error: 'Not valid protobuf acme.sensors.Batch at byte 8: a length-delimited field runs past the end of its message',
      offset: 8,
      codec: 'protobuf',
    });
    assert.deepEqual(decodePayload(new Uint8Array([0x0f, 0x01]), 'protobuf', proto), { ok: false, error: 'Not valid protobuf acme.sensors.Batch at byte 1: invalid wire type 7', offset: 1, codec: 'protobuf' });
  });

  test('a syntax error in a .proto names file and line; the other files still load', () => {
    const result = ProtoRegistry.fromFiles([fixture('broken.proto'), fixture('sensors.proto')]);
    assert.deepEqual(result.errors, [{ fileName: 'broken.proto', line: 7, message: "Syntax error in broken.proto at line 7: illegal token 'int32', ';' expected" }]);
    assert.equal(result.registry.lookupType('acme.sensors.Reading').ok, true);
    assert.equal(result.registry.lookupType('acme.broken.Broken').ok, false);
  });

  test('an undefined field type names the field and file', () => {
    const result = ProtoRegistry.fromFiles([{ fileName: 'a.proto', source: 'syntax = "proto3";\npackage p;\nmessage A { Missing m = 1; }\n' }]);
    assert.equal(result.errors.length, 1);
    assert.match(result.errors[0]?.message ?? '', /^Error in a\.proto: field p\.A\.m has type "Missing", which is not defined/);
  });
});

describe('sparkplug codec', () => {
  const payload = {
    timestamp: 1700000000000,
    metrics: [
      { name: 'Node Control/Rebirth', alias: 1, timestamp: 1700000000000, datatype: 'Boolean', boolean_value: false },
      { name: 'temp', alias: 2, datatype: 'Double', double_value: 21.5 },
      { name: 'level', datatype: 'Float', float_value: 1.5 },
      { name: 'count', datatype: 'Int32', int_value: -5 },
      { name: 'small', datatype: 'Int8', int_value: -128 },
      { name: 'uptime', datatype: 'UInt64', long_value: '18446744073709551615' },
      { name: 'offset', datatype: 'Int64', long_value: -42 },
      { name: 'label', datatype: 'String', string_value: 'line 1' },
      { name: 'blob', datatype: 'Bytes', bytes_value: 'AQI=' },
      { name: 'old', datatype: 'Int16', is_historical: true, is_null: true },
      {
        name: 'table',
        datatype: 'DataSet',
        dataset_value: { num_of_columns: 2, columns: ['a', 'b'], types: ['Int32', 'String'], rows: [{ elements: [{ int_value: -1 }, { string_value: 'x' }] }] },
      },
      { name: 'with props', datatype: 'UInt32', properties: { keys: ['engUnit'], values: [{ type: 'String', string_value: 'C' }] }, int_value: 4000000000 },
    ],
    seq: 3,
    uuid: 'u-1',
  };

  test('round trip of a payload with several metric types, data type names and signed integers', () => {
    const json = JSON.stringify(payload, null, 2);
    const bytes = okBytes(encodePayload(json, 'sparkplug'));
    const decoded = decodePayload(bytes, 'auto', { topic: 'spBv1.0/plant/NBIRTH/edge1' });
    assert.equal(decoded.codec, 'sparkplug');
    assert.equal(decoded.ok ? decoded.text : decoded.error, json);
  });

  test('signed values are stored two\'s complement on the wire, as the specification says', () => {
    const bytes = okBytes(encodePayload('{"metrics":[{"datatype":"Int8","int_value":-1}]}', 'sparkplug'));
    // metrics (field 2, len 8): datatype 1, int_value (field 10) = 0xffffffff as varint
    assert.deepEqual(Array.from(bytes), [0x12, 0x08, 0x20, 0x01, 0x50, 0xff, 0xff, 0xff, 0xff, 0x0f]);
  });

  test('errors: unknown data type name, broken bytes', () => {
    assert.deepEqual(encodePayload('{"metrics":[{"datatype":"Int128"}]}', 'sparkplug'), {
      ok: false,
      error:
        'Not a valid Sparkplug B payload: at "metrics[0].datatype": "Int128" is not a Sparkplug data type (Unknown, Int8, Int16, Int32, Int64, UInt8, UInt16, UInt32, UInt64, Float, Double, Boolean, String, DateTime, Text, UUID, DataSet, Bytes, File, Template, PropertySet, PropertySetList, Int8Array, Int16Array, Int32Array, Int64Array, UInt8Array, UInt16Array, UInt32Array, UInt64Array, FloatArray, DoubleArray, BooleanArray, StringArray, DateTimeArray)',
    });
    assert.deepEqual(decodePayload(new Uint8Array([0x12, 0x09, 0x20]), 'sparkplug'), {
      ok: false,
      error: 'Not valid Sparkplug B payload at byte 2: a length-delimited field runs past the end of its message',
      offset: 2,
      codec: 'sparkplug',
    });
  });
});
