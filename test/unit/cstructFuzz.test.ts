// Random input for the C struct codec: payload bytes, mangled headers and JSON values. Nothing may throw; a
// failure names its seed and run (mulberry32) so it reproduces.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decodePayload, encodePayload, StructRegistry } from '../../src/core/payload/index';
import { CORPUS_HEADERS, corpusFile } from '../helpers/cstructCorpus';
import { mulberry32, pick, randomBytes, randomValue, show } from '../helpers/fuzzInputs';

const RUNS = 2000;

function each<T>(seed: number, make: (next: () => number) => T, check: (input: T) => void): void {
  const next = mulberry32(seed);
  for (let run = 0; run < RUNS; run++) {
    const input = make(next);
    try {
      check(input);
    } catch (error) {
      throw new Error(`fuzz failure (seed ${seed}, run ${run}) for ${show(input)}: ${error instanceof Error ? error.stack : String(error)}`);
    }
  }
}

const files = CORPUS_HEADERS.map(corpusFile);
const { registry } = StructRegistry.fromFiles(files);
const types = registry.typeNames();
const SENTENCE = /^[^\n]*[.)]$/;

describe('C struct codec on random input', () => {
  test(`${RUNS} random payloads decoded (with the field list) as every corpus type`, () => {
    each(1601, randomBytes, (bytes) => {
      for (const structType of types) {
        const decoded = decodePayload(bytes, 'cstruct', { structs: registry, structType, describeFields: true });
        assert.ok(decoded.ok, `${structType}: ${decoded.ok ? '' : decoded.error}`);
        assert.ok((decoded.fields ?? []).every((r) => r.offset >= 0 && r.size >= 0));
        assert.ok((decoded.notes ?? []).every((n) => SENTENCE.test(n)));
      }
    });
  });

  test(`${RUNS} mangled headers: parsed without a throw, every problem a sentence at a real position`, () => {
    const pieces = ['struct', 'typedef', '{', '}', ';', ':', '[', ']', '(', ')', '*', '#pragma pack(push, 1)', '#pragma pack(pop)', '#define X 3', '#if 0', '#endif', 'enum', '=', ',', 'uint8_t', 'x', '0x', '99999999999', '__attribute__((packed))', '/*', '"'];
    each(
      1602,
      (next) => {
        const file = pick(next, files);
        let source = file.source;
        for (let i = Math.floor(next() * 6); i >= 0; i--) {
          const at = Math.floor(next() * source.length);
          source = next() < 0.5 ? source.slice(0, at) + source.slice(at + Math.floor(next() * 20)) : `${source.slice(0, at)} ${pick(next, pieces)} ${source.slice(at)}`;
        }
        return { fileName: file.fileName, source };
      },
      (file) => {
        const { registry: r, errors } = StructRegistry.fromFiles([file]);
        const lines = file.source.split('\n').length;
        for (const e of errors) assert.ok(e.line >= 1 && e.line <= lines && e.column >= 1 && e.message.length > 0 && !/undefined|NaN/.test(e.message), show(e));
        for (const name of r.typeNames()) {
          const found = r.lookup(name);
          if (found.ok) assert.ok(decodePayload(new Uint8Array(8), 'cstruct', { structs: r, structType: name, describeFields: true }).ok);
        }
      },
    );
  });

  test(`${RUNS} random JSON values encoded as every corpus type: bytes of the struct's size or a sentence`, () => {
    each(
      1603,
      (next) => randomValue(next, 0),
      (value) => {
        for (const structType of types) {
          const result = encodePayload(JSON.stringify(value) ?? 'null', 'cstruct', { structs: registry, structType });
          if (result.ok) {
            const found = registry.lookup(structType);
            assert.ok(found.ok && result.bytes.length === found.struct.type.size);
          } else assert.ok(result.error.length > 0 && !/undefined|\[object/.test(result.error), result.error);
        }
      },
    );
  });
});
