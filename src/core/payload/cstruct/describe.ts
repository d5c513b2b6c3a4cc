import type { StructFieldRow } from '../../../shared/structFields';
import { compileReader } from './decode';
import type { Endianness, LaidType } from './layout';

/** At most this many rows go to the detail pane (a 4 KB struct of byte arrays would otherwise be thousands). */
export const MAX_FIELD_ROWS = 2000;
/** Arrays of scalars longer than this show one row with all values rather than a row per element. */
const INLINE_ARRAY = 16;

/** A leaf value as text: char[N] strings quoted, enum names and wide integers as they are, lists joined. */
function valueText(value: unknown, quote: boolean): string {
  if (Array.isArray(value)) return `[${value.map((v) => valueText(v, quote)).join(', ')}]`;
  return typeof value === 'string' && quote ? JSON.stringify(value) : String(value);
}

/** True for the types whose text values are strings (char arrays), not names or numbers. */
const isText = (t: LaidType): boolean => t.kind === 'array' && (t.string || isText(t.of));

/**
 * The rows of the detail pane's field tree for `type` decoded from `bytes`: every field with its offset and
 * size, bit-fields with their bit, values of leaves; fields past the end of a short payload are marked missing.
 */
export function describeFields(type: Extract<LaidType, { kind: 'record' }>, bytes: Uint8Array, endianness: Endianness): { rows: StructFieldRow[]; cut: boolean } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const rows: StructFieldRow[] = [];
  let cut = false;
  const add = (row: StructFieldRow): boolean => {
    if (rows.length >= MAX_FIELD_ROWS) {
      cut = true;
      return false;
    }
    rows.push(row);
    return true;
  };
  const leaf = (t: LaidType, name: string, depth: number, offset: number): void => {
    const value = compileReader(t, endianness)(view, offset, bytes.length);
    add({ depth, name, type: t.name, offset, size: t.size, ...(value === undefined ? { missing: true } : { value: valueText(value, isText(t)) }) });
  };
  const fields = (t: Extract<LaidType, { kind: 'record' }>, depth: number, offset: number): void => {
    for (const f of t.fields) {
      if (cut) return;
      if (f.bits === undefined) {
        walk(f.type, f.name, depth, offset + f.offset);
        continue;
      }
      const position = f.bitPosition ?? 0;
      const record = compileReader({ ...t, fields: [f] }, endianness)(view, offset, bytes.length) as Record<string, unknown> | undefined;
      const value = record?.[f.name];
      add({ depth, name: f.name, type: `${f.type.name} : ${f.bits}`, offset: offset + Math.floor(position / 8), size: Math.ceil(((position % 8) + f.bits) / 8), bit: position % 8, bits: f.bits, ...(value === undefined ? { missing: true } : { value: valueText(value, false) }) });
    }
  };
  const walk = (t: LaidType, name: string, depth: number, offset: number): void => {
    const container = t.kind === 'record' || (t.kind === 'array' && !t.string && (t.of.kind === 'record' || t.of.kind === 'array' || t.length <= INLINE_ARRAY));
    if (!container) {
      leaf(t, name, depth, offset);
      return;
    }
    if (!add({ depth, name, type: t.name, offset, size: t.size, ...(offset + t.size > bytes.length ? { missing: true } : {}) })) return;
    if (t.kind === 'record') fields(t, depth + 1, offset);
    else if (t.kind === 'array') for (let i = 0; i < t.length && !cut; i++) walk(t.of, `[${i}]`, depth + 1, offset + i * t.of.size);
  };
  fields(type, 0, 0);
  return { rows, cut };
}
