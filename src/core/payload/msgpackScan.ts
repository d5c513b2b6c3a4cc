/**
 * MessagePack structure check that says at which byte the data stops being MessagePack. @msgpack/msgpack
 * reports most errors without a position; this scan runs first. Iterative: a count of items still expected.
 */

/** The end of the first MessagePack object and its family, or where and why the data is broken. */
export type MsgpackScan = { ok: true; end: number; kind: 'map' | 'array' | 'other'; size: number } | { ok: false; offset: number; message: string };

/** Reads a big-endian unsigned integer of `size` bytes (as a double: exact up to 2^53). */
function readUint(bytes: Uint8Array, pos: number, size: number): number {
  let value = 0;
  for (let k = 0; k < size; k++) value = value * 256 + (bytes[pos + k] ?? 0);
  return value;
}

/** Scans the first MessagePack object of `bytes`. */
export function scanMsgpack(bytes: Uint8Array, start = 0): MsgpackScan {
  const n = bytes.length;
  let pos = start;
  let pending = 1;
  let kind: 'map' | 'array' | 'other' = 'other';
  let size = 0;
  let first = true;
  const end = (): MsgpackScan => ({ ok: false, offset: n, message: 'unexpected end of input' });
  while (pending > 0) {
    if (pos >= n) return end();
    const at = pos;
    const b = bytes[pos] ?? 0;
    pos++;
    pending--;
    let children = 0;
    let skip = 0; // payload bytes after the header
    let header = 0; // length field bytes
    let lengthTimes = 0; // for str/bin/ext: payload = length; for containers: children = length * k
    let extType = 0; // 1 when an ext type byte follows the length
    if (b <= 0x7f || b >= 0xe0 || b === 0xc0 || b === 0xc2 || b === 0xc3) skip = 0;
    else if (b <= 0x8f) children = (b & 0x0f) * 2;
    else if (b <= 0x9f) children = b & 0x0f;
    else if (b <= 0xbf) skip = b & 0x1f;
    else if (b === 0xc1) return { ok: false, offset: at, message: 'byte 0xc1 is never used in MessagePack' };
    else if (b >= 0xc4 && b <= 0xc6) [header, lengthTimes] = [1 << (b - 0xc4), 1];
    else if (b >= 0xc7 && b <= 0xc9) [header, lengthTimes, extType] = [1 << (b - 0xc7), 1, 1];
    else if (b === 0xca) skip = 4;
    else if (b === 0xcb) skip = 8;
    else if (b >= 0xcc && b <= 0xcf) skip = 1 << (b - 0xcc);
    else if (b >= 0xd0 && b <= 0xd3) skip = 1 << (b - 0xd0);
    else if (b >= 0xd4 && b <= 0xd8) skip = 1 + (1 << (b - 0xd4));
    else if (b >= 0xd9 && b <= 0xdb) [header, lengthTimes] = [1 << (b - 0xd9), 1];
    else if (b === 0xdc || b === 0xdd) [header, lengthTimes] = [b === 0xdc ? 2 : 4, -1];
    else [header, lengthTimes] = [b === 0xde ? 2 : 4, -2];
    if (header > 0) {
      if (pos + header > n) return end();
      const length = readUint(bytes, pos, header);
      pos += header;
      if (lengthTimes > 0) skip = length + extType;
      else children = length * -lengthTimes;
    }
    if (skip > n - pos) return end();
    pos += skip;
    if (first) {
      first = false;
      if ((b >= 0x80 && b <= 0x8f) || b === 0xde || b === 0xdf) kind = 'map';
      else if ((b >= 0x90 && b <= 0x9f) || b === 0xdc || b === 0xdd) kind = 'array';
      size = kind === 'map' ? children / 2 : children;
    }
    // Each child needs at least one byte: a count larger than what is left cannot be complete.
    if (children > n - pos + 1) return end();
    pending += children;
  }
  return { ok: true, end: pos, kind, size };
}
