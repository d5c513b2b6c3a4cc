import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { StructRegistry } from '../../src/core/payload/index';
import type { LaidType } from '../../src/core/payload/cstruct/layout';
import { CORPUS_DIR, CORPUS_HEADERS, corpusFile } from '../helpers/cstructCorpus';
import { gccProblem, runC } from '../helpers/gcc';

type Record = Extract<LaidType, { kind: 'record' }>;

/** What our layout says, as lines the C program prints the same way: `O path offset size` and `B path mask`. */
function expectedLines(typeName: string, type: Record): string[] {
  const lines = [`S ${typeName} ${type.size} ${type.align}`];
  const walk = (t: Record, prefix: string, base: number): void => {
    for (const f of t.fields) {
      const path = `${prefix}${f.name}`;
      if (f.bits !== undefined) {
        const mask = new Uint8Array(type.size);
        const first = base * 8 + (f.bitPosition ?? 0);
        for (let bit = first; bit < first + f.bits; bit++) mask[Math.floor(bit / 8)] = (mask[Math.floor(bit / 8)] ?? 0) | (1 << bit % 8);
        lines.push(`B ${path} ${Buffer.from(mask).toString('hex')}`);
        continue;
      }
      lines.push(`O ${path} ${base + f.offset} ${f.type.size}`);
      let inner: LaidType = f.type;
      let innerPath = path;
      let innerBase = base + f.offset;
      while (inner.kind === 'array') {
        const index = inner.length > 1 ? 1 : 0;
        innerPath += `[${index}]`;
        innerBase += index * inner.of.size;
        inner = inner.of;
        if (inner.kind !== 'array') lines.push(`O ${innerPath} ${innerBase} ${inner.size}`);
      }
      if (inner.kind === 'record') walk(inner, `${innerPath}.`, innerBase);
    }
  };
  walk(type, '', 0);
  return lines;
}

/** The C program printing the same lines from gcc's sizeof, _Alignof, offsetof and all-ones bit-field masks. */
function probeProgram(header: string, types: Array<[string, Record]>): string {
  const out: string[] = ['#include <stdio.h>', '#include <stddef.h>', '#include <string.h>', `#include "${header}"`, 'int main(void) {'];
  for (const [name, type] of types) {
    out.push(`  printf("S ${name} %zu %zu\\n", sizeof(${name}), _Alignof(${name}));`);
    for (const line of expectedLines(name, type).slice(1)) {
      const [kind, path] = line.split(' ');
      if (kind === 'O') out.push(`  printf("O ${path} %zu %zu\\n", offsetof(${name}, ${path}), sizeof(((${name} *)0)->${path}));`);
      else out.push(`  { ${name} v; memset(&v, 0, sizeof v); v.${path} = ~0ULL; const unsigned char *p = (const unsigned char *)&v; printf("B ${path} "); for (size_t i = 0; i < sizeof v; i++) printf("%02x", p[i]); printf("\\n"); }`);
    }
  }
  out.push('  return 0;', '}');
  return out.join('\n');
}

describe('C struct layouts match gcc', () => {
  const problem = gccProblem();
  if (problem !== undefined && process.env.CI === 'true') throw new Error(`The C struct layout tests need gcc: ${problem}.`);
  for (const header of CORPUS_HEADERS) {
    test(`${header}: sizeof, _Alignof, offsetof and bit-field positions of every struct`, { skip: problem }, () => {
      const { registry, errors } = StructRegistry.fromFiles([corpusFile(header)]);
      assert.deepEqual(errors, []);
      const types = registry.typeNames().map((name): [string, Record] => {
        const found = registry.lookup(name);
        assert.ok(found.ok, found.ok ? '' : found.error);
        return [name, found.struct.type];
      });
      assert.ok(types.length >= 2, `${header} declares its structs`);
      const expected = types.flatMap(([name, type]) => expectedLines(name, type));
      const actual = runC(probeProgram(header, types), CORPUS_DIR).trim().split('\n');
      assert.deepEqual(expected, actual);
    });
  }
});
