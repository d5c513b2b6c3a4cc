/**
 * A recording as asked for: the argument `{ connection, filters, file, maxMegabytes, maxMessages, durationSeconds,
 * includePublished }` read from untyped JSON (problems named by path, "record.filters[0]: ..."), the default file
 * name, the limits check, and the status text `● REC 12,345 msgs · 3.2 MB · 01:23`.
 */
import { FieldReader } from '../fieldReader';
import { formatBytes } from '../payload/preview';
import { formatCount } from '../payload/textPosition';
import { validateTopicFilter } from '../topics';
import { CAPTURE_EXTENSION } from './format';

/** A recording as asked for (absent fields use the defaults). */
export interface RecordRequest {
  connection?: string;
  /** Topic filters to record (default `#`: everything the connection receives). */
  filters: string[];
  /** Capture path, workspace-relative or absolute inside the workspace. */
  file?: string;
  maxMegabytes?: number;
  maxMessages?: number;
  durationSeconds?: number;
  /** Also record the messages published from this window (direction "out"). */
  includePublished?: boolean;
}

/** Why a recording stopped (each a sentence end for "Recording stopped: ..."). */
export type StopReason = 'stopped' | 'maxMessages' | 'maxMegabytes' | 'duration' | 'disconnected' | 'failed';

/** Reads a recording argument; `problems` gets one sentence per wrong field. */
export function readRecordRequest(value: unknown, problems: string[]): RecordRequest | undefined {
  const reader = FieldReader.object(value ?? {}, 'record', problems);
  if (!reader) return undefined;
  const filters = reader.stringArray('filters') ?? ['#'];
  filters.forEach((filter, i) => {
    const problem = validateTopicFilter(filter);
    if (problem) reader.problem(`filters[${i}]`, problem);
  });
  if (filters.length === 0) reader.problem('filters', 'must name at least one topic filter, e.g. ["#"]');
  const request: RecordRequest = {
    connection: reader.string('connection', { nonEmpty: true }),
    filters,
    file: reader.string('file', { nonEmpty: true }),
    maxMegabytes: reader.number('maxMegabytes', 0.001, 1_000_000),
    maxMessages: reader.integer('maxMessages', 1, Number.MAX_SAFE_INTEGER),
    durationSeconds: reader.number('durationSeconds', 0.1, 31 * 24 * 3600),
    includePublished: reader.boolean('includePublished'),
  };
  reader.rejectUnknownFields();
  return request;
}

const two = (n: number): string => String(n).padStart(2, '0');

/** `captures/<connection>-<yyyyMMdd-HHmmss>.mqttcap` (local time); characters unsafe in file names become `_`. */
export function defaultCapturePath(connection: string, at: Date): string {
  const safe = connection.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[.]+/, '_') || 'capture';
  const stamp = `${at.getFullYear()}${two(at.getMonth() + 1)}${two(at.getDate())}-${two(at.getHours())}${two(at.getMinutes())}${two(at.getSeconds())}`;
  return `captures/${safe}-${stamp}${CAPTURE_EXTENSION}`;
}

/** The limit a recording reached with `messages` and `bytes` after `elapsedMs`, if any. */
export function reachedLimit(request: Pick<RecordRequest, 'maxMegabytes' | 'maxMessages' | 'durationSeconds'>, messages: number, bytes: number, elapsedMs: number): StopReason | undefined {
  if (request.maxMessages !== undefined && messages >= request.maxMessages) return 'maxMessages';
  if (request.maxMegabytes !== undefined && bytes >= request.maxMegabytes * 1024 * 1024) return 'maxMegabytes';
  if (request.durationSeconds !== undefined && elapsedMs >= request.durationSeconds * 1000) return 'duration';
  return undefined;
}

/** "01:23", "1:02:03". */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return h > 0 ? `${h}:${two(m)}:${two(s)}` : `${two(m)}:${two(s)}`;
}

/** `● REC 12,345 msgs · 3.2 MB · 01:23`. */
export function recordingStatusText(messages: number, bytes: number, elapsedMs: number): string {
  return `● REC ${formatCount(messages)} msg${messages === 1 ? '' : 's'} · ${formatBytes(bytes)} · ${formatDuration(elapsedMs)}`;
}

/** The sentence saying why a recording stopped. */
export function stopSentence(reason: StopReason, detail?: string): string {
  switch (reason) {
    case 'maxMessages':
      return 'it reached its message limit';
    case 'maxMegabytes':
      return 'it reached its size limit';
    case 'duration':
      return 'it reached its duration';
    case 'disconnected':
      return 'the connection closed';
    case 'failed':
      return `the file could not be written (${detail ?? 'unknown error'})`;
    default:
      return 'stopped';
  }
}
