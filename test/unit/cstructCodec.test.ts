import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decodePayload, encodePayload, StructRegistry, structFieldValue, type EncodeResult } from '../../src/core/payload/index';
import { gccProblem, runC } from '../helpers/gcc';
import { CORPUS_DIR, CORPUS_HEADERS, corpusFile } from '../helpers/cstructCorpus';

function okBytes(result: EncodeResult): Uint8Array {
  assert.ok(result.ok, result.ok ? '' : result.error);
  return result.bytes;
}

const { registry } = StructRegistry.fromFiles(CORPUS_HEADERS.map(corpusFile));
const TELEMETRY = {
  seq: 4242,
  uptime_ms: 86_400_123,
  battery: { mv: 3712, temp_c: -12, percent: 87 },
  name: 'node-7',
  temps: [215, -40, 0, 1000],
  humidity: 41.5,
  pressure: 1013.25,
  online: true,
  mode: 'MODE_FAULT',
  flags: { charging: 1, level: 5, trend: -3 },
  offset: -123456,
};
const telemetry = { structs: registry, structType: 'telemetry_t' };

describe('C struct codec', () => {
  test('encode -> decode round trip of nested structs, strings, arrays, floats, enums and bit-fields', () => {
    const bytes = okBytes(encodePayload(JSON.stringify(TELEMETRY), 'cstruct', telemetry));
    assert.equal(bytes.length, 62);
    const decoded = decodePayload(bytes, 'cstruct', telemetry);
    assert.ok(decoded.ok);
    assert.deepEqual(decoded.value, TELEMETRY);
    assert.equal(decoded.notes, undefined);
    assert.deepEqual(JSON.parse(decoded.text), TELEMETRY);
  });

  test('the bytes encoded are the bytes gcc makes for the same values', { skip: gccProblem() }, () => {
    const program = `#include <stdio.h>
#include <string.h>
#include "telemetry.h"
int main(void) {
  telemetry_t t; memset(&t, 0, sizeof t);
  t.seq = 4242; t.uptime_ms = 86400123ULL; t.battery.mv = 3712; t.battery.temp_c = -12; t.battery.percent = 87;
  strcpy(t.name, "node-7"); t.temps[0] = 215; t.temps[1] = -40; t.temps[3] = 1000; t.humidity = 41.5f; t.pressure = 1013.25;
  t.online = true; t.mode = MODE_FAULT; t.flags.charging = 1; t.flags.level = 5; t.flags.trend = -3; t.offset = -123456;
  for (size_t i = 0; i < sizeof t; i++) printf("%02x", ((unsigned char *)&t)[i]);
  return 0;
}`;
    const bytes = okBytes(encodePayload(JSON.stringify(TELEMETRY), 'cstruct', telemetry));
    assert.equal(Buffer.from(bytes).toString('hex'), runC(program, CORPUS_DIR).trim());
  });

  test('a short payload decodes what fits and says how many bytes are missing; a long one what is left over', () => {
    const bytes = okBytes(encodePayload(JSON.stringify(TELEMETRY), 'cstruct', telemetry));
    const short = decodePayload(bytes.subarray(0, 20), 'cstruct', telemetry);
    assert.ok(short.ok);
    assert.deepEqual(short.value, { seq: 4242, uptime_ms: 86_400_123, battery: TELEMETRY.battery, name: 'node' });
    assert.deepEqual(short.notes, ['42 bytes missing: telemetry_t is 62 bytes, the payload 20; the fields that fit are shown.']);
    const long = decodePayload(new Uint8Array([...bytes, 1, 2, 3]), 'cstruct', telemetry);
    assert.ok(long.ok);
    assert.deepEqual(long.value, TELEMETRY);
    assert.deepEqual(long.notes, ['3 bytes left over after the 62 bytes of telemetry_t.']);
  });

  test('values that do not fit their field are refused with the field path and the type', () => {
    const cases: Array<[unknown, string]> = [
      [{ battery: { temp_c: 300 } }, 'battery.temp_c: 300 does not fit int8_t.'],
      [{ seq: -1 }, 'seq: -1 does not fit uint32_t.'],
      [{ flags: { level: 9 } }, 'flags.level: 9 does not fit a 3-bit bit-field of uint8_t (0..7).'],
      [{ flags: { trend: -9 } }, 'flags.trend: -9 does not fit a 4-bit bit-field of int8_t (-8..7).'],
      [{ mode: 'MODE_SLEEP' }, 'mode: "MODE_SLEEP" is not a constant of mode_t_ (MODE_IDLE, MODE_RUN, MODE_FAULT).'],
      [{ name: 'a-name-that-is-too-long' }, 'name: "a-name-that-is-too-long" is 23 bytes, longer than char[16].'],
      [{ temps: [1, 2, 3, 4, 5] }, 'temps: 5 elements do not fit int16_t[4].'],
      [{ battery: { volts: 3 } }, 'battery: battery_t has no field "volts" (fields: mv, temp_c, percent).'],
      [{ seq: 1.5 }, 'seq: 1.5 is not an integer (uint32_t).'],
      [{ humidity: 'wet' }, 'humidity: "wet" is not a number (float).'],
      [[1, 2], 'telemetry_t: expected an object with the fields of telemetry_t, not a list.'],
    ];
    for (const [value, error] of cases) assert.deepEqual(encodePayload(JSON.stringify(value), 'cstruct', telemetry), { ok: false, error });
  });

  test('fields left out are zero; 64-bit integers beyond 2^53 travel as decimal strings', () => {
    const bytes = okBytes(encodePayload('{"uptime_ms":"18446744073709551615"}', 'cstruct', telemetry));
    const decoded = decodePayload(bytes, 'cstruct', telemetry);
    assert.ok(decoded.ok);
    assert.equal((decoded.value as { uptime_ms: unknown }).uptime_ms, '18446744073709551615');
    assert.equal((decoded.value as { seq: unknown }).seq, 0);
    assert.equal((decoded.value as { mode: unknown }).mode, 'MODE_IDLE');
  });

  test('an enum value without a name decodes as its number', () => {
    const bytes = okBytes(encodePayload('{"mode":3}', 'cstruct', telemetry));
    const decoded = decodePayload(bytes, 'cstruct', telemetry);
    assert.ok(decoded.ok);
    assert.equal((decoded.value as { mode: unknown }).mode, 3);
  });

  test('big-endian per-type override: multi-byte fields and bit-fields from the most significant end', () => {
    const header = { fileName: 'be.h', source: 'typedef struct { uint16_t a; uint32_t b; uint8_t hi : 3; uint8_t lo : 5; } be_t;' };
    const { registry: be } = StructRegistry.fromFiles([header], { endianness: 'little', packing: 1 }, new Map([['be_t', { endianness: 'big' as const }]]));
    const bytes = okBytes(encodePayload('{"a":4660,"b":305419896,"hi":5,"lo":1}', 'cstruct', { structs: be, structType: 'be_t' }));
    assert.equal(Buffer.from(bytes).toString('hex'), '123412345678a1');
    const decoded = decodePayload(bytes, 'cstruct', { structs: be, structType: 'be_t' });
    assert.ok(decoded.ok);
    assert.deepEqual(decoded.value, { a: 4660, b: 305419896, hi: 5, lo: 1 });
  });

  test('Auto picks C struct for a topic mapped to a type, and the detail lists fields with offsets and bits', () => {
    const bytes = okBytes(encodePayload(JSON.stringify(TELEMETRY), 'cstruct', telemetry));
    const context = { structs: registry, structTypeForTopic: (topic: string) => (topic.endsWith('/telemetry') ? 'telemetry_t' : undefined), topic: 'devices/n7/telemetry', describeFields: true };
    const decoded = decodePayload(bytes, 'auto', context);
    assert.equal(decoded.codec, 'cstruct');
    assert.ok(decoded.ok);
    const rows = decoded.fields ?? [];
    assert.deepEqual(rows.find((r) => r.name === 'mv'), { depth: 1, name: 'mv', type: 'uint16_t', offset: 12, size: 2, value: '3712' });
    assert.deepEqual(rows.find((r) => r.name === 'battery'), { depth: 0, name: 'battery', type: 'battery_t', offset: 12, size: 4 });
    assert.deepEqual(rows.find((r) => r.name === 'name'), { depth: 0, name: 'name', type: 'char[16]', offset: 16, size: 16, value: '"node-7"' });
    assert.deepEqual(rows.find((r) => r.name === 'level'), { depth: 1, name: 'level', type: 'uint8_t : 3', offset: 57, size: 1, bit: 1, bits: 3, value: '5' });
    assert.deepEqual(rows.find((r) => r.name === '[3]'), { depth: 1, name: '[3]', type: 'int16_t', offset: 38, size: 2, value: '1000' });
    assert.equal(decodePayload(bytes, 'auto', { ...context, topic: 'devices/n7/status' }).codec === 'cstruct', false);
  });

  test('a Watch path with or without the type name reads a decoded field', () => {
    const decoded = decodePayload(okBytes(encodePayload(JSON.stringify(TELEMETRY), 'cstruct', telemetry)), 'cstruct', telemetry);
    assert.ok(decoded.ok);
    assert.equal(structFieldValue(decoded.value, 'telemetry_t.battery.mv', 'telemetry_t'), 3712);
    assert.equal(structFieldValue(decoded.value, 'battery.mv'), 3712);
    assert.equal(structFieldValue(decoded.value, 'temps[1]'), -40);
    assert.equal(structFieldValue(decoded.value, 'battery.nope'), undefined);
  });

  test('a 4 KB struct with arrays of structs round-trips', () => {
    const frame = { magic: 0xfeedbeef, version: 2, count: 60, device: 'logger', blocks: [{ t_ms: 1, adc: [1, -2, 3, -4, 5, -6, 7, -8], status: 9, gain: 0.5 }] };
    const bytes = okBytes(encodePayload(JSON.stringify(frame), 'cstruct', { structs: registry, structType: 'logger_frame_t' }));
    assert.equal(bytes.length, 4096);
    const decoded = decodePayload(bytes, 'cstruct', { structs: registry, structType: 'logger_frame_t' });
    assert.ok(decoded.ok);
    const value = decoded.value as typeof frame & { blocks: unknown[] };
    assert.equal(value.blocks.length, 60);
    assert.deepEqual(value.blocks[0], frame.blocks[0]);
    assert.equal(value.device, 'logger');
  });

  test('types are named by typedef, "struct tag" or the bare tag; unknown ones get a sentence', () => {
    assert.ok(registry.lookup('struct telemetry').ok);
    assert.ok(registry.lookup('point').ok);
    assert.deepEqual(registry.lookup('nope_t'), { ok: false, error: 'C struct type "nope_t" is not defined in the headers of mqttWorkbench.structs.files.' });
    assert.deepEqual(encodePayload('{}', 'cstruct', { structType: 'x_t' }), { ok: false, error: 'C struct type "x_t" is not defined: no headers are loaded (setting mqttWorkbench.structs.files).' });
    assert.deepEqual(decodePayload(new Uint8Array(4), 'cstruct', { structs: registry }), { ok: false, error: 'No C struct type chosen: map this topic to a type in mqttWorkbench.structs.types, or pick one.', codec: 'cstruct' });
    assert.ok(registry.typeNames().includes('telemetry_t') && registry.typeNames().includes('struct point') && !registry.typeNames().includes('struct telemetry'));
  });
});

describe('C header problems', () => {
  test('each problem has its file, line and column, and the other declarations stay usable', () => {
    const source = ['#include <stdint.h>', 'typedef struct {', '  u16 mv;', '} bad_t;', 'typedef struct { uint8_t a } missing_semicolon_t;', 'typedef struct { uint8_t *p; } pointer_t;', 'typedef struct { uint8_t n[COUNT]; } undefined_size_t;', 'typedef struct { uint8_t ok; } good_t;'].join('\n');
    const { registry: r, errors } = StructRegistry.fromFiles([{ fileName: 'fw/bad.h', source }]);
    assert.deepEqual(errors, [
      { fileName: 'fw/bad.h', line: 5, column: 28, message: 'Expected ";" but found "}".' },
      { fileName: 'fw/bad.h', line: 7, column: 28, message: '"COUNT" is not a known constant (#define it or declare it in an enum before it is used).' },
      { fileName: 'fw/bad.h', line: 3, column: 3, message: 'Unknown type "u16" (typedef it in one of the listed headers).' },
      { fileName: 'fw/bad.h', line: 6, column: 26, message: 'Not supported in a payload: p is a pointer, whose value means nothing off the device; send the data itself.' },
    ]);
    assert.ok(r.lookup('good_t').ok);
    assert.deepEqual(r.lookup('bad_t'), { ok: false, error: 'C struct type "bad_t" cannot be laid out: Unknown type "u16" (typedef it in one of the listed headers). (fw/bad.h:3:3)' });
  });

  test('bit-field problems: too wide, wrong type, named zero width', () => {
    const source = 'struct a { uint8_t x : 9; };\nstruct b { float f : 3; };\nstruct c { uint8_t z : 0; };';
    const { errors } = StructRegistry.fromFiles([{ fileName: 'b.h', source }]);
    assert.deepEqual(errors.map((e) => `${e.line}:${e.column} ${e.message}`), ['1:20 Bit-field x is 9 bits wide; uint8_t has 8.', '2:18 Bit-field f has type float; a bit-field must be an integer, bool or enum.', '3:20 Bit-field z has width 0; only an unnamed bit-field can.']);
  });

  test('#if 0 / #else, #ifndef guards, line continuations and C23 enums with a base type', () => {
    const source = '#ifndef G\n#define G\n#if 0\ntypedef struct { uint8_t a; } t_t;\n#else\ntypedef struct { uint16_t b; } t_t;\n#endif\n#define W \\\n  (2 + 1)\nenum e : uint8_t { E0, E1 };\ntypedef struct { enum e kind; uint8_t v[W]; } u_t;\n#endif\n';
    const { registry: r, errors } = StructRegistry.fromFiles([{ fileName: 'c.h', source }]);
    assert.deepEqual(errors, []);
    const t = r.lookup('t_t');
    const u = r.lookup('u_t');
    assert.ok(t.ok && u.ok);
    assert.deepEqual(t.struct.type.fields.map((f) => f.name), ['b']);
    assert.equal(u.struct.type.size, 4);
  });
});
