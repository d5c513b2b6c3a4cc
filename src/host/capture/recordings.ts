import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import * as vscode from 'vscode';
import { reachedLimit, stopSentence, type RecordRequest, type StopReason } from '../../core/capture/recordPlan';
import { CaptureWriter, fileSink } from '../../core/capture/writer';
import { SessionError, type SessionState } from '../../core/session';
import { topicMatchesFilter } from '../../core/topics';
import type { ConnectionManager } from '../connections';
import type { Logger } from '../log';
import type { MqttMessage } from '../../shared/mqttMessage';

/** Setting: keep recording across reconnects (with a gap marker) or stop when the connection drops. */
export const ACROSS_RECONNECTS_SETTING = 'capture.keepRecordingAcrossReconnects';

/** One running recording. */
export interface Recording {
  readonly connection: string;
  /** Absolute path of the capture file. */
  readonly file: string;
  readonly request: RecordRequest;
  /** performance.now() when it started. */
  readonly startedAt: number;
  readonly writer: CaptureWriter;
}

/** How a recording ended. */
export interface RecordingResult {
  file: string;
  messages: number;
  bytes: number;
  dropped: number;
  reason: StopReason;
  /** "Recording stopped: it reached its message limit." */
  summary: string;
}

interface Running extends Recording {
  gapOpen: boolean;
  timer: ReturnType<typeof setTimeout> | undefined;
  stopping: Promise<RecordingResult> | undefined;
}

/**
 * Records received (and optionally published) messages of connections to capture files, one recording per
 * connection. Stops on command, on a limit, on a write error, or when the connection closes.
 */
export class RecordingService implements vscode.Disposable {
  private readonly running = new Map<string, Running>();
  private readonly changeEmitter = new vscode.EventEmitter<string>();
  private readonly stopEmitter = new vscode.EventEmitter<RecordingResult>();
  private readonly disposables: vscode.Disposable[];
  /** Fires with a connection name when its recording started or stopped. */
  readonly onDidChange = this.changeEmitter.event;
  /** Fires when a recording ended, for whatever reason. */
  readonly onDidStop = this.stopEmitter.event;

  constructor(
    private readonly connections: ConnectionManager,
    private readonly extensionVersion: string,
    private readonly log: Logger,
  ) {
    this.disposables = [
      connections.onMessage(({ connection, message }) => this.record(connection, message)),
      connections.onSent(({ connection, message }) => this.running.get(connection)?.request.includePublished && this.record(connection, message)),
      connections.onDidChange((name) => (name === undefined ? [...this.running.keys()].forEach((n) => this.watchState(n)) : this.watchState(name))),
      this.changeEmitter,
      this.stopEmitter,
    ];
  }

  /** The recording of a connection, if one runs. */
  get(connection: string): Recording | undefined {
    return this.running.get(connection);
  }

  /** Every running recording. */
  list(): Recording[] {
    return [...this.running.values()];
  }

  /** Starts recording `connection` to `file` (absolute, must not exist). Throws a SessionError with a sentence. */
  async start(connection: string, file: string, request: RecordRequest): Promise<Recording> {
    const entry = this.connections.get(connection);
    if (!entry?.entry.profile) throw new SessionError(`There is no valid connection named "${connection}".`);
    if (this.running.has(connection)) throw new SessionError(`"${connection}" is already being recorded to ${this.running.get(connection)?.file}. Stop that recording first.`);
    const profile = entry.entry.profile;
    await mkdir(dirname(file), { recursive: true });
    const sink = await fileSink(file).catch((error: NodeJS.ErrnoException) => {
      throw new SessionError(error.code === 'EEXIST' ? `${file} already exists; choose another file name.` : `The capture file could not be created: ${error.message}`);
    });
    const writer = new CaptureWriter(sink, {
      connection,
      broker: `${profile.host}:${profile.port}`,
      protocolVersion: profile.protocolVersion,
      filters: request.filters,
      startedAt: new Date().toISOString(),
      extension: `mqtt-workbench ${this.extensionVersion}`,
      includesPublished: request.includePublished === true,
    });
    const recording: Running = { connection, file, request, startedAt: performance.now(), writer, gapOpen: false, timer: undefined, stopping: undefined };
    if (request.durationSeconds !== undefined) recording.timer = setTimeout(() => void this.stop(connection, 'duration'), request.durationSeconds * 1000);
    this.running.set(connection, recording);
    this.log.info(`[${connection}] recording ${request.filters.join(', ')} to ${file}`);
    this.changeEmitter.fire(connection);
    return recording;
  }

  /** Stops a recording and closes its file; resolves with what it recorded. */
  stop(connection: string, reason: StopReason = 'stopped'): Promise<RecordingResult> {
    const recording = this.running.get(connection);
    if (!recording) return Promise.reject(new SessionError(`"${connection}" is not being recorded.`));
    recording.stopping ??= this.finish(recording, reason);
    return recording.stopping;
  }

  /** Stops every recording (deactivate): each file is flushed and closed. */
  async stopAll(): Promise<void> {
    await Promise.all([...this.running.keys()].map((name) => this.stop(name).catch(() => undefined)));
  }

  dispose(): void {
    void this.stopAll();
    for (const d of this.disposables) d.dispose();
  }

  private async finish(recording: Running, reason: StopReason): Promise<RecordingResult> {
    if (recording.timer) clearTimeout(recording.timer);
    let finalReason = reason;
    let detail: string | undefined;
    try {
      await recording.writer.close();
    } catch (error) {
      finalReason = 'failed';
      detail = error instanceof Error ? error.message : String(error);
    }
    if (recording.writer.error) {
      finalReason = 'failed';
      detail = recording.writer.error.message;
    }
    this.running.delete(recording.connection);
    const { messages, bytes, dropped } = recording.writer;
    const lost = dropped > 0 ? ` ${dropped} messages were not recorded because the disk could not keep up.` : '';
    const result: RecordingResult = { file: recording.file, messages, bytes, dropped, reason: finalReason, summary: `Recording stopped${finalReason === 'stopped' ? '' : `: ${stopSentence(finalReason, detail)}`}.${lost}` };
    this.log.info(`[${recording.connection}] ${result.summary} ${messages} messages in ${recording.file}`);
    this.changeEmitter.fire(recording.connection);
    this.stopEmitter.fire(result);
    return result;
  }

  private record(connection: string, message: MqttMessage): void {
    const recording = this.running.get(connection);
    if (!recording || recording.stopping) return;
    if (!recording.request.filters.some((filter) => topicMatchesFilter(filter, message.topic))) return;
    const elapsed = performance.now() - recording.startedAt;
    recording.writer.add(message, elapsed * 1000);
    const limit = reachedLimit(recording.request, recording.writer.messages, recording.writer.bytes, elapsed);
    if (limit) void this.stop(connection, limit);
    else if (recording.writer.error) void this.stop(connection, 'failed');
  }

  private watchState(connection: string): void {
    const recording = this.running.get(connection);
    if (!recording || recording.stopping) return;
    const state: SessionState = this.connections.get(connection)?.state ?? { kind: 'disconnected' };
    if (state.kind === 'connected') {
      recording.gapOpen = false;
      return;
    }
    const keep = vscode.workspace.getConfiguration('mqttWorkbench').get<boolean>(ACROSS_RECONNECTS_SETTING, true);
    if (state.kind === 'disconnected' || state.kind === 'failed' || !keep) {
      void this.stop(connection, 'disconnected');
      return;
    }
    if (!recording.gapOpen) {
      recording.gapOpen = true;
      const why = state.kind === 'reconnecting' && state.lastError ? state.lastError : state.kind;
      recording.writer.addGap((performance.now() - recording.startedAt) * 1000, why);
    }
  }
}
