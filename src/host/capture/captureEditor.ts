import * as vscode from 'vscode';
import { CaptureView, type CaptureSummary } from '../../core/capture/captureView';
import { CaptureFile } from '../../core/capture/reader';
import { EMPTY_FILTER } from '../../core/history/panelFeed';
import { formatDuration } from '../../core/capture/recordPlan';
import type { CaptureInfo, FromWebview, HistoryFilterInput, ToWebview } from '../../shared/protocol';
import { validateFromWebview } from '../../shared/validateFromWebview';
import type { Logger } from '../log';
import { panelHtml } from '../panel/html';
import { codecOptions, decodedText, decodeForDetail, detailMessage, type DetailContext } from '../panel/messageDetail';
import type { Replays } from './replays';

/** The view type of the capture editor (package.json customEditors). */
export const CAPTURE_EDITOR = 'mqttWorkbench.capture';

/** An open capture: the indexed file and its filtered list. */
class CaptureDocument implements vscode.CustomDocument {
  constructor(
    readonly uri: vscode.Uri,
    readonly view: CaptureView,
  ) {}
  dispose(): void {
    void this.view.file.close();
  }
}

/**
 * Shows a `.mqttcap` file read-only in the message panel's webview, in capture mode: the same list, filter and
 * detail pane (every codec), with a timeline header (duration, count, rate over time, topics) and a Replay button.
 * The file is indexed, never loaded: the list reads the rows it shows by range.
 */
export class CaptureEditorProvider implements vscode.CustomReadonlyEditorProvider<CaptureDocument> {
  constructor(
    private readonly extensionUri: vscode.Uri,
    /** The user's protobuf schemas and C headers, read when a message is decoded. */
    private readonly decodeContext: () => DetailContext,
    private readonly replays: Replays,
    private readonly log: Logger,
  ) {}

  async openCustomDocument(uri: vscode.Uri): Promise<CaptureDocument> {
    const started = performance.now();
    const file = await CaptureFile.open(uri.fsPath);
    this.log.info(`[capture] opened ${vscode.workspace.asRelativePath(uri)}: ${file.count} lines indexed in ${(performance.now() - started).toFixed(0)} ms`);
    return new CaptureDocument(uri, new CaptureView(file));
  }

  resolveCustomEditor(document: CaptureDocument, panel: vscode.WebviewPanel): void {
    const { view } = document;
    const header = view.file.header;
    const relative = vscode.workspace.asRelativePath(document.uri);
    let filter: HistoryFilterInput = EMPTY_FILTER;
    let filterError: string | undefined;
    let summary: CaptureSummary | undefined;
    const post = (message: ToWebview): void => void panel.webview.postMessage(message);
    const status = (): void =>
      post({ type: 'status', count: view.count, offset: 0, dropped: 0, total: view.file.count, paused: false, filterError, connectionState: `capture of ${header.connection}${summary ? ` · ${formatDuration(summary.durationMs)}` : ''}` });
    const info = (): CaptureInfo => ({
      file: relative,
      connection: header.connection,
      broker: header.broker,
      startedAt: header.startedAt,
      startedAtMs: Date.parse(header.startedAt) || 0,
      messages: summary?.messages ?? view.file.count,
      durationMs: summary?.durationMs ?? 0,
      topicCount: summary?.topicCount ?? 0,
      topics: summary?.topics ?? [],
      rate: summary?.rate ?? [],
      gaps: summary?.gaps ?? 0,
      problems: summary?.problems ?? 0,
      firstProblem: summary?.firstProblem ?? (view.file.truncated ? 'The last line was cut short (the recording was interrupted); it is left out.' : undefined),
      complete: summary !== undefined,
    });
    const summarizing = view.summarize().then((s) => {
      summary = s;
      post({ type: 'captureInfo', info: info() });
      status();
    });
    summarizing.catch((error: unknown) => this.log.error(`[capture] summary of ${relative}`, error));
    const handle = async (message: FromWebview): Promise<void> => {
      switch (message.type) {
        case 'ready':
          post({ type: 'init', connection: relative, filter, codecs: codecOptions(), paused: false });
          post({ type: 'captureInfo', info: info() });
          status();
          return;
        case 'setFilter':
          filter = message.filter;
          filterError = await view.setFilter(filter, status);
          status();
          return;
        case 'getRows':
          post({ type: 'rows', requestId: message.requestId, start: message.start, rows: await view.rows(message.start, message.count) });
          return;
        case 'getDetail':
          post(detailMessage(message.requestId, await view.message(message.id), message.codec, this.decodeContext()));
          return;
        case 'copy': {
          const entry = await view.message(message.id);
          await vscode.env.clipboard.writeText(message.what === 'raw' ? new TextDecoder().decode(entry.payload) : decodedText(decodeForDetail(entry, message.codec, this.decodeContext())));
          return;
        }
        case 'openInEditor': {
          const decoded = decodeForDetail(await view.message(message.id), message.codec, this.decodeContext());
          const text = await vscode.workspace.openTextDocument({ content: decodedText(decoded), language: decoded.ok && decoded.language === 'json' ? 'json' : 'plaintext' });
          await vscode.window.showTextDocument(text, { preview: true, viewColumn: vscode.ViewColumn.Beside });
          return;
        }
        case 'replay':
          await vscode.commands.executeCommand('mqttWorkbench.replayCapture', document.uri);
          return;
        case 'pauseReplay':
          await vscode.commands.executeCommand('mqttWorkbench.pauseReplay');
          return;
        default:
          // Live-history actions (pause, clear, export, publish, follow, series) do not apply to a capture.
          return;
      }
    };
    panel.webview.options = { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'dist'), vscode.Uri.joinPath(this.extensionUri, 'media')] };
    panel.webview.html = panelHtml(panel.webview, this.extensionUri, `Capture: ${relative}`);
    const subscriptions = [
      panel.webview.onDidReceiveMessage(async (raw: unknown) => {
        const validated = validateFromWebview(raw);
        if (!validated.ok) {
          this.log.warn(`[capture] rejected a message from the webview: ${validated.reason}`);
          return;
        }
        try {
          await handle(validated.message);
        } catch (error) {
          const requestId = 'requestId' in validated.message ? validated.message.requestId : undefined;
          post({ type: 'error', requestId, message: error instanceof Error ? error.message : String(error) });
        }
      }),
      this.replays.onPosition((p) => p.file === document.uri.fsPath && post({ type: 'replayCursor', t: p.t, sent: p.sent, state: p.state })),
    ];
    panel.onDidDispose(() => subscriptions.forEach((d) => d.dispose()));
  }
}

/** Registers the capture editor. */
export function registerCaptureEditor(provider: CaptureEditorProvider): vscode.Disposable {
  return vscode.window.registerCustomEditorProvider(CAPTURE_EDITOR, provider, { supportsMultipleEditorsPerDocument: true, webviewOptions: { retainContextWhenHidden: false } });
}
