// The generated whole-struct reader against the composed closures it speeds up: the same values for every corpus
// type, both byte orders, on random bytes (floats with NaN and infinities, enums outside their names, strings with
// UTF-8, signed bit-fields), and the closures still serve a payload shorter than the struct.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { StructRegistry } from '../../src/core/payload/index';
import { compileReader } from '../../src/core/payload/cstruct/decode';
import { generateWholeReader } from '../../src/core/payload/cstruct/generatedReader';
import { CORPUS_HEADERS, corpusFile } from '../helpers/cstructCorpus';
import { mulberry32 } from '../helpers/fuzzInputs';

const files = CORPUS_HEADERS.map(corpusFile);

function randomPayload(next: () => number, size: number): Uint8Array {
  const bytes = new Uint8Array(size);
  const mode = Math.floor(next() * 3);
  for (let i = 0; i < size; i++) bytes[i] = mode === 0 ? Math.floor(next() * 256) : mode === 1 ? (next() < 0.7 ? 0xff : 0) : 0x61 + Math.floor(next() * 26);
  return bytes;
}

describe('generated C struct reader', () => {
  for (const endianness of ['little', 'big'] as const) {
    test(`equals the closures for every corpus type on 300 random payloads each (${endianness} endian)`, () => {
      const { registry } = StructRegistry.fromFiles(files, { endianness });
      const next = mulberry32(endianness === 'little' ? 1701 : 1702);
      let compared = 0;
      for (const name of registry.typeNames()) {
        const found = registry.lookup(name);
        if (!found.ok) continue;
        const { type } = found.struct;
        const whole = generateWholeReader(type, endianness);
        assert.ok(whole !== undefined, `${name} is generated`);
        const closures = compileReader(type, endianness);
        for (let run = 0; run < 300; run++) {
          const bytes = randomPayload(next, type.size);
          const view = new DataView(bytes.buffer);
          assert.deepStrictEqual(whole(view, 0), closures(view, 0, bytes.length), `${name}, run ${run}`);
          assert.deepStrictEqual(found.struct.read(view, 0, bytes.length), closures(view, 0, bytes.length));
          compared++;
        }
      }
      assert.ok(compared >= 300 * 10, `compared ${compared}`);
    });
  }

  test('a payload shorter than the struct gets the fields that fit (the closures), a longer one the whole struct', () => {
    const { registry } = StructRegistry.fromFiles([{ fileName: 'p.h', source: '#pragma pack(1)\ntypedef struct { uint16_t a; uint32_t b; char name[4]; } p_t;' }]);
    const found = registry.lookup('p_t');
    assert.ok(found.ok);
    const bytes = Uint8Array.from([1, 0, 2, 0, 0, 0, 0x41, 0x42, 0, 0, 9, 9]);
    assert.deepStrictEqual(found.struct.read(new DataView(bytes.buffer), 0, 4), { a: 1 });
    assert.deepStrictEqual(found.struct.read(new DataView(bytes.buffer), 0, bytes.length), { a: 1, b: 2, name: 'AB' });
  });

  test('field names reach the generated code as quoted keys only, __proto__ included', () => {
    const { registry } = StructRegistry.fromFiles([{ fileName: 'odd.h', source: 'typedef struct { uint8_t __proto__; uint8_t constructor; uint8_t x; } odd_t;' }]);
    const found = registry.lookup('odd_t');
    assert.ok(found.ok);
    const whole = generateWholeReader(found.struct.type, 'little');
    const value = whole?.(new DataView(Uint8Array.from([7, 8, 9]).buffer), 0) as Record<string, unknown>;
    assert.equal(Object.getPrototypeOf(value), Object.prototype);
    assert.deepStrictEqual(Object.entries(value), [['__proto__', 7], ['constructor', 8], ['x', 9]]);
  });

  test('a bit-field wider than 48 bits keeps the exact BigInt path', () => {
    const { registry } = StructRegistry.fromFiles([{ fileName: 'w.h', source: 'typedef struct { uint64_t wide : 60; uint64_t rest : 4; } w_t;' }]);
    const found = registry.lookup('w_t');
    assert.ok(found.ok);
    assert.equal(generateWholeReader(found.struct.type, 'little'), undefined);
    const bytes = new Uint8Array(8).fill(0xff);
    assert.deepStrictEqual(found.struct.read(new DataView(bytes.buffer), 0, 8), { wide: '1152921504606846975', rest: 15 });
  });
});
