import * as vscode from 'vscode';
import type { ReplayRun } from '../../core/capture/replay';
import { SessionError } from '../../core/session';

/** Where a replay of a file is: the `t` of its last message sent (microseconds), how many were sent, its state. */
export interface ReplayPosition {
  file: string;
  t: number;
  sent: number;
  state: 'running' | 'paused' | 'done';
}

interface Running {
  run: ReplayRun;
  file: string;
  total: number;
  t: number;
  sent: number;
}

/**
 * The replays under way: pause/resume, the capture editor's cursor and Pause button, and a status bar item
 * (`Replay 1,234 / 5,000`, click to pause; `Replay paused`, click to resume) while any runs.
 */
export class Replays implements vscode.Disposable {
  private readonly running = new Map<string, Running>();
  private readonly positionEmitter = new vscode.EventEmitter<ReplayPosition>();
  private readonly item = vscode.window.createStatusBarItem('mqttWorkbench.replay', vscode.StatusBarAlignment.Left, 48);
  /** Fires (at the pace of the replay's throttled progress) where a replay of a file is, and when it pauses or ends. */
  readonly onPosition = this.positionEmitter.event;

  constructor() {
    this.item.name = 'MQTT Replay';
    this.item.command = 'mqttWorkbench.pauseReplay';
  }

  add(id: string, file: string, run: ReplayRun, total: number): void {
    this.running.set(id, { run, file, total, t: 0, sent: 0 });
    this.update();
  }

  remove(id: string): void {
    const replay = this.running.get(id);
    this.running.delete(id);
    if (replay) this.positionEmitter.fire({ file: replay.file, t: replay.t, sent: replay.sent, state: 'done' });
    this.update();
  }

  progress(id: string, t: number, sent: number): void {
    const replay = this.running.get(id);
    if (!replay) return;
    replay.t = t;
    replay.sent = sent;
    this.fire(replay);
    this.update();
  }

  /** Pauses every replay (or resumes when all are paused); returns whether they are paused now. */
  togglePause(): boolean {
    const all = [...this.running.values()];
    if (all.length === 0) throw new SessionError('No replay is running.');
    const pause = all.some((r) => !r.run.scheduler.paused);
    for (const r of all) {
      if (pause) r.run.scheduler.pause();
      else r.run.scheduler.resume();
      this.fire(r);
    }
    this.update();
    return pause;
  }

  dispose(): void {
    for (const r of this.running.values()) r.run.scheduler.cancel();
    this.positionEmitter.dispose();
    this.item.dispose();
  }

  private fire(replay: Running): void {
    this.positionEmitter.fire({ file: replay.file, t: replay.t, sent: replay.sent, state: replay.run.scheduler.paused ? 'paused' : 'running' });
  }

  private update(): void {
    const all = [...this.running.values()];
    if (all.length === 0) {
      this.item.hide();
      return;
    }
    const sent = all.reduce((sum, r) => sum + r.sent, 0).toLocaleString('en-US');
    const total = all.reduce((sum, r) => sum + r.total, 0).toLocaleString('en-US');
    const paused = all.every((r) => r.run.scheduler.paused);
    const files = all.map((r) => vscode.workspace.asRelativePath(r.file)).join(', ');
    this.item.text = paused ? `$(debug-continue) Replay paused ${sent} / ${total}` : `$(debug-pause) Replay ${sent} / ${total}`;
    this.item.tooltip = `${paused ? 'Paused' : 'Replaying'}: ${files}. Click to ${paused ? 'resume' : 'pause'}.`;
    this.item.accessibilityInformation = { label: `${paused ? 'Replay paused' : 'Replaying'}, ${sent} of ${total} messages sent. Click to ${paused ? 'resume' : 'pause'}.` };
    this.item.show();
  }
}
