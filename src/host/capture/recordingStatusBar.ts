import * as vscode from 'vscode';
import { recordingStatusText } from '../../core/capture/recordPlan';
import type { RecordingService } from './recordings';

/** `● REC 12,345 msgs · 3.2 MB · 01:23` while anything records (the total of all recordings); click stops. */
export class RecordingStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('mqttWorkbench.recording', vscode.StatusBarAlignment.Left, 49);
  private readonly subscription: vscode.Disposable;
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly recordings: RecordingService) {
    this.item.name = 'MQTT Recording';
    this.item.command = 'mqttWorkbench.stopRecording';
    this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
    this.subscription = recordings.onDidChange(() => this.update());
  }

  /** The text shown now (for tests); undefined when hidden. */
  get text(): string | undefined {
    return this.recordings.list().length > 0 ? this.item.text : undefined;
  }

  private update(): void {
    const all = this.recordings.list();
    if (all.length === 0) {
      if (this.timer) clearInterval(this.timer);
      this.timer = undefined;
      this.item.hide();
      return;
    }
    // Counts change with every message: redraw once a second, never per message.
    this.timer ??= setInterval(() => this.update(), 1000);
    const messages = all.reduce((sum, r) => sum + r.writer.messages, 0);
    const bytes = all.reduce((sum, r) => sum + r.writer.bytes, 0);
    const oldest = Math.min(...all.map((r) => r.startedAt));
    this.item.text = recordingStatusText(messages, bytes, performance.now() - oldest);
    this.item.tooltip = `${all.map((r) => `Recording ${r.connection} to ${vscode.workspace.asRelativePath(r.file)}`).join('\n')}\nClick to stop.`;
    this.item.accessibilityInformation = { label: `Recording MQTT messages: ${messages}. Click to stop.` };
    this.item.show();
  }

  dispose(): void {
    if (this.timer) clearInterval(this.timer);
    this.subscription.dispose();
    this.item.dispose();
  }
}
