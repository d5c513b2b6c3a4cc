/**
 * CBOR well-formedness check (RFC 8949 appendix C) that says at which byte the data stops being CBOR.
 * cbor-x decodes fast but reports errors without a position; this scan runs first, iteratively (no recursion,
 * so deeply nested or hostile input cannot overflow the stack), and only reads headers.
 */

/** The end of the first CBOR item, or where and why the data is not well-formed. */
export type CborScan = { ok: true; end: number; majorType: number; tag?: number } | { ok: false; offset: number; message: string };

interface Frame {
  /** Items still expected; -1 for an indefinite-length item (ends with a break). */
  remaining: number;
  /** Major type of the container (2, 3 for indefinite strings; 4, 5; 6 for a tag). */
  majorType: number;
  /** Items seen so far in an indefinite map (must be even at the break). */
  seen: number;
}

/** Scans the first CBOR data item of `bytes`, starting at `start`. */
export function scanCbor(bytes: Uint8Array, start = 0): CborScan {
  const n = bytes.length;
  const stack: Frame[] = [];
  let pos = start;
  let topMajor = -1;
  let topTag: number | undefined;
  let containers = 0; // frames that are not tags: 0 means the item being read is the top-level one (maybe tagged)
  const push = (frame: Frame): void => {
    stack.push(frame);
    if (frame.majorType !== 6) containers++;
  };
  const pop = (): void => {
    const frame = stack.pop();
    if (frame !== undefined && frame.majorType !== 6) containers--;
  };
  const end = (): CborScan => ({ ok: false, offset: n, message: 'unexpected end of input' });
  for (;;) {
    if (pos >= n) return end();
    const at = pos;
    const ib = bytes[pos] ?? 0;
    const major = ib >> 5;
    const info = ib & 31;
    const parent = stack[stack.length - 1];
    let complete = true;
    if (ib === 0xff) {
      if (parent === undefined || parent.remaining !== -1) return { ok: false, offset: at, message: 'break (0xff) outside an indefinite-length item' };
      if (parent.majorType === 5 && parent.seen % 2 === 1) return { ok: false, offset: at, message: 'indefinite-length map ends after a key without its value' };
      pop();
      pos++;
    } else {
      if (parent !== undefined && parent.remaining === -1 && (parent.majorType === 2 || parent.majorType === 3) && (major !== parent.majorType || info === 31)) {
        return { ok: false, offset: at, message: `a chunk of an indefinite-length ${parent.majorType === 2 ? 'byte' : 'text'} string must be a definite-length string of the same type` };
      }
      if (info >= 28 && info <= 30) return { ok: false, offset: at, message: `reserved additional information ${info} in initial byte 0x${ib.toString(16)}` };
      if (containers === 0 && major !== 6 && topMajor === -1) topMajor = major;
      const size = info < 24 ? 0 : info === 31 ? 0 : 1 << (info - 24);
      if (pos + 1 + size > n) return end();
      let arg = info;
      if (size > 0) {
        arg = 0;
        for (let k = 1; k <= size; k++) arg = arg * 256 + (bytes[pos + k] ?? 0);
      }
      pos += 1 + size;
      if (info === 31) {
        if (major === 0 || major === 1 || major === 6) return { ok: false, offset: at, message: `indefinite length is not allowed for major type ${major}` };
        push({ remaining: -1, majorType: major, seen: 0 });
        complete = false;
      } else if (major === 2 || major === 3) {
        if (arg > n - pos) return end();
        pos += arg;
      } else if (major === 4 || major === 5) {
        const count = major === 5 ? arg * 2 : arg;
        if (count > 0) {
          push({ remaining: count, majorType: major, seen: 0 });
          complete = false;
        }
      } else if (major === 6) {
        if (containers === 0 && topTag === undefined) topTag = arg;
        push({ remaining: 1, majorType: 6, seen: 0 });
        complete = false;
      } else if (major === 7 && info === 24 && arg < 32) {
        return { ok: false, offset: at, message: `simple value ${arg} must not use a one-byte extension` };
      }
    }
    if (!complete) continue;
    // One item finished: count it in its parents, closing those that are full.
    for (;;) {
      const top = stack[stack.length - 1];
      if (top === undefined) return { ok: true, end: pos, majorType: topMajor, ...(topTag !== undefined ? { tag: topTag } : {}) };
      if (top.remaining === -1) {
        top.seen++;
        break;
      }
      top.remaining--;
      if (top.remaining > 0) break;
      pop();
    }
  }
}
