/**
 * Streams a capture to disk in batches: lines are collected in memory and appended to the file at most every
 * `flushMs` or as soon as `flushBytes` are waiting, one write at a time. Memory stays bounded whatever the rate:
 * while the disk lags more than `maxPendingBytes` behind, further messages are counted as dropped, never queued.
 * Every write ends on a whole line, so a window reload leaves a valid file (at worst its last batch missing).
 */
import { open, type FileHandle } from 'node:fs/promises';
import type { MqttMessage } from '../../shared/mqttMessage';
import { encodeGapLine, encodeHeader, type CaptureHeader } from './format';
import { MessageLineEncoder, type LineTarget } from './lineEncoder';

/** Where a writer appends its text. */
export interface CaptureSink {
  append(bytes: Uint8Array): Promise<void>;
  close(): Promise<void>;
}

/** Tuning of a {@link CaptureWriter}. */
export interface CaptureWriterOptions {
  /** Longest time a line waits in memory, in ms (default 200). */
  flushMs?: number;
  /** Bytes waiting that start a write at once (default 256 KiB). */
  flushBytes?: number;
  /** Bytes allowed to wait while a write is under way; past it messages are dropped and counted (default 32 MiB). */
  maxPendingBytes?: number;
}

/** A file sink that creates the file (failing if it exists) and appends to it. */
export async function fileSink(path: string): Promise<CaptureSink> {
  const handle: FileHandle = await open(path, 'wx');
  return {
    append: async (bytes) => {
      await handle.write(bytes);
    },
    close: () => handle.close(),
  };
}

/** Writes one capture: the header at once, then messages and gap markers in batches. */
export class CaptureWriter {
  /** Filled chunks waiting for the disk; message lines are written into `chunk` as bytes (no string per line). */
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private chunk: Buffer;
  private chunkUsed = 0;
  private writing: Promise<void> | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private closed = false;
  private failure: Error | undefined;
  private readonly flushMs: number;
  private readonly flushBytes: number;
  private readonly maxPendingBytes: number;
  /** Messages accepted (written or waiting). */
  messages = 0;
  /** Bytes written to the file so far. */
  private written = 0;
  /** Bytes of the write under way. */
  private inFlight = 0;
  /** Messages not recorded because the disk could not keep up. */
  dropped = 0;
  private readonly lines = new MessageLineEncoder();
  /** The chunk as the line encoder writes into it. */
  private readonly target: LineTarget = {
    reserve: (bytes) => {
      if (this.chunkUsed + bytes > this.chunk.length) {
        this.seal();
        if (bytes > this.chunk.length) this.chunk = Buffer.allocUnsafe(bytes);
      }
      return { buffer: this.chunk, offset: this.chunkUsed };
    },
    commit: (bytes) => {
      this.chunkUsed += bytes;
      this.pendingBytes += bytes;
      if (this.pendingBytes >= this.flushBytes && !this.writing) this.startWrite();
      else this.flushSoon();
    },
  };

  constructor(
    private readonly sink: CaptureSink,
    header: Omit<CaptureHeader, 'mqttcap'>,
    options: CaptureWriterOptions = {},
  ) {
    this.flushMs = options.flushMs ?? 200;
    this.flushBytes = options.flushBytes ?? 256 * 1024;
    this.maxPendingBytes = options.maxPendingBytes ?? 32 * 1024 * 1024;
    this.chunk = Buffer.allocUnsafe(this.flushBytes * 2);
    this.push(encodeHeader(header));
    this.flushSoon();
  }

  /** Bytes of every line accepted, the header included. */
  get bytes(): number {
    return this.written + this.inFlight + this.pendingBytes;
  }

  /** The first write error, if the file could not be written (the recording should stop). */
  get error(): Error | undefined {
    return this.failure;
  }

  /** Records a message at `t` microseconds since the start. False when it was dropped (disk behind, or closed). */
  add(message: MqttMessage, t: number): boolean {
    if (this.closed || this.failure) return false;
    if (this.pendingBytes > this.maxPendingBytes) {
      this.dropped++;
      return false;
    }
    this.lines.write(message, t, this.target);
    this.messages++;
    return true;
  }

  /** Records a pause in the recording at `t` microseconds. */
  addGap(t: number, reason: string): void {
    if (!this.closed && !this.failure) this.push(encodeGapLine(t, reason));
  }

  /** Writes everything waiting; resolves when it is on disk (rejects with the write error). */
  async flush(): Promise<void> {
    while (this.writing || this.hasPending()) {
      if (!this.writing) this.startWrite();
      await this.writing;
    }
    if (this.failure) throw this.failure;
  }

  /** Flushes and closes the file. Nothing is accepted afterwards. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    try {
      await this.flush();
    } finally {
      await this.sink.close();
    }
  }

  private hasPending(): boolean {
    return this.pending.length > 0 || this.chunkUsed > 0;
  }

  private push(line: string): void {
    // A UTF-16 unit takes at most 3 bytes of UTF-8.
    const { buffer, offset } = this.target.reserve(line.length * 3);
    this.target.commit(buffer.write(line, offset, 'utf8'));
  }

  /** Moves the filled part of the chunk to the waiting list and starts a fresh chunk. */
  private seal(): void {
    if (this.chunkUsed === 0) return;
    this.pending.push(this.chunk.subarray(0, this.chunkUsed));
    this.chunk = Buffer.allocUnsafe(Math.max(this.flushBytes * 2, 1024));
    this.chunkUsed = 0;
  }

  private flushSoon(): void {
    if (this.timer || this.closed) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (!this.writing && this.hasPending()) this.startWrite();
    }, this.flushMs);
  }

  private startWrite(): void {
    this.seal();
    const bytes = this.pending.length === 1 ? this.pending[0] : Buffer.concat(this.pending);
    this.pending = [];
    this.pendingBytes = 0;
    this.inFlight = bytes.byteLength;
    this.writing = this.sink
      .append(bytes)
      .then(() => {
        this.written += this.inFlight;
      })
      .catch((error: unknown) => {
        this.failure ??= error instanceof Error ? error : new Error(String(error));
        this.pending = [];
        this.pendingBytes = 0;
        this.chunkUsed = 0;
      })
      .finally(() => {
        this.inFlight = 0;
        this.writing = undefined;
        if (this.hasPending() && !this.failure) {
          if (this.pendingBytes >= this.flushBytes || this.closed) this.startWrite();
          else this.flushSoon();
        }
      });
  }
}
