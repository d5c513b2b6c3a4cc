/**
 * Reads a capture without loading it: one pass indexes where each line starts (8 bytes a line), then entries are
 * read by range, like a hex editor reads pages. The reader is tolerant: a damaged line is reported and skipped,
 * the lines around it stay readable, and a last line cut short (a recording stopped by a window reload) is left out.
 */
import { open, stat, type FileHandle } from 'node:fs/promises';
import { parseEntryLine, parseHeader, type CaptureEntry, type CaptureHeader, type CaptureProblem } from './format';

const CHUNK_BYTES = 4 * 1024 * 1024;
const NEWLINE = 0x0a;

/** A line of a capture, read: its 0-based index among the entry lines, and the entry or the problem. */
export type IndexedEntry = { index: number; line: number } & ({ entry: CaptureEntry } | { problem: string });

/** The sentence for a capture path that does not exist. */
export function missingCaptureMessage(path: string): string {
  return `The capture file ${path} does not exist.`;
}

/** Growable list of line start offsets. */
class OffsetList {
  private data = new Float64Array(1024);
  length = 0;
  push(offset: number): void {
    if (this.length === this.data.length) {
      const bigger = new Float64Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = offset;
  }
  at(i: number): number {
    return this.data[i];
  }
}

/** An open capture file: its header, how many entry lines it has, and reads by range. */
export class CaptureFile {
  private constructor(
    private readonly handle: FileHandle,
    /** The file's path. */
    readonly path: string,
    /** The parsed header line. */
    readonly header: CaptureHeader,
    /** Start offset of each entry line, plus the end offset after the last complete one. */
    private readonly offsets: OffsetList,
    /** Size of the file in bytes when it was indexed. */
    readonly size: number,
    /** Whether the last line had no `\n` (cut short) and was left out. */
    readonly truncated: boolean,
  ) {}

  /**
   * Opens and indexes a capture. Throws an Error with a sentence for the user: a missing file, a first line that
   * is not a capture header, or an unknown format version.
   */
  static async open(path: string): Promise<CaptureFile> {
    const info = await stat(path).catch(() => undefined);
    if (!info || !info.isFile()) throw new Error(missingCaptureMessage(path));
    const handle = await open(path, 'r');
    try {
      const { headerEnd, offsets, truncated } = await indexLines(handle, info.size);
      if (headerEnd < 0) throw new Error(parseHeaderOrThrow(await readText(handle, 0, Math.min(info.size, 4096))));
      const header = parseHeader(await readText(handle, 0, headerEnd));
      return new CaptureFile(handle, path, header, offsets, info.size, truncated);
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  /** Number of entry lines (messages, gap markers and damaged lines) after the header. */
  get count(): number {
    return this.offsets.length - 1;
  }

  /** Reads entry lines `[from, from + count)`; damaged lines come back as problems. */
  async read(from: number, count: number): Promise<IndexedEntry[]> {
    const start = Math.max(0, Math.min(from, this.count));
    const end = Math.max(start, Math.min(this.count, from + count));
    if (start === end) return [];
    const first = this.offsets.at(start);
    const buffer = Buffer.alloc(this.offsets.at(end) - first);
    await this.handle.read(buffer, 0, buffer.length, first);
    const out: IndexedEntry[] = [];
    for (let i = start; i < end; i++) {
      const text = buffer.toString('utf8', this.offsets.at(i) - first, this.offsets.at(i + 1) - first - 1);
      const line = i + 2;
      out.push({ index: i, line, ...parseEntryLine(text, line) });
    }
    return out;
  }

  /** Every entry line in order, read in ranges of `batch` lines. */
  async *entries(from = 0, to = this.count, batch = 2000): AsyncGenerator<IndexedEntry, void, undefined> {
    for (let i = from; i < to; i += batch) yield* await this.read(i, Math.min(batch, to - i));
  }

  /** The problems of every damaged line (reads the whole file once). */
  async problems(): Promise<CaptureProblem[]> {
    const problems: CaptureProblem[] = [];
    for await (const item of this.entries()) if ('problem' in item) problems.push({ line: item.line, message: item.problem });
    return problems;
  }

  /** Closes the file. */
  close(): Promise<void> {
    return this.handle.close();
  }
}

/** Header problems of a file with no complete first line: not a capture, or a bad header. */
function parseHeaderOrThrow(text: string): string {
  try {
    parseHeader(text);
    return 'The capture has a header but no line after it was complete.';
  } catch (error) {
    return (error as Error).message;
  }
}

async function readText(handle: FileHandle, start: number, length: number): Promise<string> {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await handle.read(buffer, 0, length, start);
  return buffer.toString('utf8', 0, bytesRead);
}

/** One pass over the file: where the header ends and where every following complete line starts. */
async function indexLines(handle: FileHandle, size: number): Promise<{ headerEnd: number; offsets: OffsetList; truncated: boolean }> {
  const offsets = new OffsetList();
  const buffer = Buffer.alloc(CHUNK_BYTES);
  let headerEnd = -1;
  let position = 0;
  while (position < size) {
    const { bytesRead } = await handle.read(buffer, 0, Math.min(CHUNK_BYTES, size - position), position);
    if (bytesRead === 0) break;
    let at = buffer.indexOf(NEWLINE, 0);
    while (at >= 0 && at < bytesRead) {
      if (headerEnd < 0) headerEnd = position + at;
      offsets.push(position + at + 1);
      at = buffer.indexOf(NEWLINE, at + 1);
    }
    position += bytesRead;
  }
  // offsets[k] is where entry line k starts: drop the last start when it is the end of the file (no line there).
  const lastStart = offsets.length > 0 ? offsets.at(offsets.length - 1) : 0;
  return { headerEnd, offsets, truncated: headerEnd >= 0 && lastStart < size };
}
