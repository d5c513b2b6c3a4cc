import * as vscode from 'vscode';
import { exportCsv, exportJsonLines, type FieldDecoder, type HistoryEntry } from '../../core/history';
import { decodedFields, messageContext } from '../../core/payload/decodedPreview';
import { EMPTY_FILTER, PanelFeed } from '../../core/history/panelFeed';
import { parseValuePath, topicSeries } from '../../core/history/series';
import { formatBytes } from '../../core/payload/preview';
import type { MqttMessage } from '../../shared/mqttMessage';
import { MAX_SERIES_POINTS, type FromWebview, type HistoryFilterInput, type ToWebview } from '../../shared/protocol';
import type { ConnectionManager } from '../connections';
import type { HistoryStore } from '../histories';
import type { Logger } from '../log';
import type { StructContext } from '../cstructHeaders';
import type { ProtobufContext } from '../protobufSchemas';
import { checkPublish, publishFromForm, publishSetup, type PickedFile, type PublishTarget } from './publishForm';
import { describeState } from '../views/connectionNode';
import { panelHtml } from './html';
import { chartNumberReader, codecOptions, decodedText, decodeForDetail, detailMessage, type DetailContext } from './messageDetail';
import { validateFromWebview } from '../../shared/validateFromWebview';

/** Status is posted at most this often (10 per second), and only when it changed. */
const STATUS_PERIOD_MS = 100;

/** State the webview keeps (getState/setState) and the serializer hands back after a reload. */
export interface PanelState {
  connection: string;
  filter?: HistoryFilterInput;
}

/** What every message panel uses, shared by the panels of all connections. */
export interface PanelServices {
  histories: HistoryStore;
  connections: ConnectionManager;
  extensionUri: vscode.Uri;
  log: Logger;
  /** The user's protobuf schemas as currently loaded. */
  protobuf(): ProtobufContext;
  /** The user's C struct headers as currently loaded. */
  structs(): StructContext;
  /** The publish form's view of a connection. */
  publishTarget(connection: string): PublishTarget;
}

/**
 * One message panel (a webview) for one connection: serves rows of the connection's history on request,
 * posts a status at most 10 times a second, decodes the selected message on the host (protobuf needs code
 * generation that the webview CSP forbids), and validates every message the webview sends.
 */
export class MessagesPanel implements vscode.Disposable {
  private readonly feed: PanelFeed;
  private readonly timer: NodeJS.Timeout;
  private disposed = false;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly disposeEmitter = new vscode.EventEmitter<void>();
  readonly onDidDispose = this.disposeEmitter.event;

  private readonly histories: HistoryStore;
  /** The file chosen for a 'file' payload: picked by the user in the open dialog, read here, never by the webview. */
  private pickedFile: PickedFile | undefined;
  private readonly log: Logger;

  constructor(
    readonly panel: vscode.WebviewPanel,
    readonly connection: string,
    private readonly services: PanelServices,
    filter: HistoryFilterInput = EMPTY_FILTER,
  ) {
    const { histories, connections, extensionUri } = services;
    this.histories = histories;
    this.log = services.log;
    this.feed = new PanelFeed(
      () => histories.get(connection),
      () => {
        const state = connections.get(connection)?.state;
        return state ? describeState(state) : 'removed';
      },
      (status) => void this.post(status),
      filter,
    );
    panel.webview.options = { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')] };
    panel.webview.html = panelHtml(panel.webview, extensionUri, `Messages: ${connection}`);
    this.disposables.push(
      panel.webview.onDidReceiveMessage((raw: unknown) => void this.receive(raw)),
      panel.onDidDispose(() => this.dispose()),
      histories.onDidRestore((restored) => restored === connection && this.feed.setFilter(this.feed.filter)),
    );
    this.timer = setInterval(() => this.feed.tick(), STATUS_PERIOD_MS);
  }

  /** Shows this panel with a new topic filter (from "Show Messages" on a topic). */
  showTopic(topicFilter: string): void {
    this.feed.setFilter({ ...this.feed.filter, topicFilter });
    void this.postInit();
    this.panel.reveal();
  }


  dispose(): void {
    this.disposed = true;
    clearInterval(this.timer);
    for (const d of this.disposables) d.dispose();
    this.panel.dispose();
    this.disposeEmitter.fire();
    this.disposeEmitter.dispose();
  }

  private async receive(raw: unknown): Promise<void> {
    const validated = validateFromWebview(raw);
    if (!validated.ok) {
      this.log.warn(`[panel ${this.connection}] rejected a message from the webview: ${validated.reason}`);
      return;
    }
    try {
      await this.handle(validated.message);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.log.error(`[panel ${this.connection}] ${validated.message.type}`, error);
      const requestId = 'requestId' in validated.message ? validated.message.requestId : undefined;
      await this.post({ type: 'error', requestId, message });
    }
  }

  private async handle(message: FromWebview): Promise<void> {
    switch (message.type) {
      case 'ready':
        await this.postInit();
        this.feed.resend();
        return;
      case 'setFilter':
        this.feed.setFilter(message.filter);
        return;
      case 'getRows':
        await this.post({ type: 'rows', requestId: message.requestId, start: message.start, rows: this.feed.rows(message.start, message.count) });
        return;
      case 'follow':
        this.feed.follow(message.rows);
        return;
      case 'getDetail':
        await this.postDetail(message.requestId, message.id, message.codec);
        return;
      case 'setPaused':
        this.feed.setPaused(message.paused);
        return;
      case 'clear':
        this.feed.clear();
        return;
      case 'export':
        await this.export(message.format, message.scope);
        return;
      case 'copy': {
        const entry = this.entry(message.id);
        const text = message.what === 'raw' ? new TextDecoder().decode(entry.payload) : decodedText(this.decode(entry, message.codec));
        await vscode.env.clipboard.writeText(text);
        return;
      }
      case 'openInEditor':
        await this.openInEditor(this.entry(message.id), message.codec);
        return;
      case 'compareWithPrevious':
        await this.compareWithPrevious(this.entry(message.id), message.codec);
        return;
      case 'getSeries':
        await this.postSeries(message.requestId, this.entry(message.id), message.path);
        return;
      case 'watchValue':
        await vscode.commands.executeCommand('mqttWorkbench.watchValue', { connection: this.connection, topic: this.entry(message.id).topic, path: message.path });
        return;
      case 'getPublishSetup':
        await this.post({ type: 'publishSetup', setup: publishSetup(this.services.publishTarget(this.connection)) });
        return;
      case 'checkPublish':
        await this.post(checkPublish(message.requestId, message.draft, this.services.publishTarget(this.connection), this.pickedFile));
        return;
      case 'publish':
      case 'request':
        await this.post(await publishFromForm(message.requestId, message.draft, this.services.publishTarget(this.connection), this.pickedFile, message.type));
        return;
      case 'pickPayloadFile':
        await this.pickPayloadFile(message.requestId);
        return;
    }
  }

  /** Asks for a file with the open dialog (the only way the form gets file bytes) and keeps it for publishing. */
  private async pickPayloadFile(requestId: number): Promise<void> {
    const [uri] = (await vscode.window.showOpenDialog({ title: 'Choose the file to publish (sent byte for byte)', canSelectMany: false, defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri })) ?? [];
    if (!uri) return;
    const bytes = await vscode.workspace.fs.readFile(uri);
    this.pickedFile = { name: vscode.workspace.asRelativePath(uri), bytes };
    await this.post({ type: 'payloadFile', requestId, name: this.pickedFile.name, size: bytes.byteLength });
  }

  private postInit(): Thenable<boolean> {
    return this.post({ type: 'init', connection: this.connection, filter: this.feed.filter, codecs: codecOptions(), paused: this.feed.paused });
  }

  private async postSeries(requestId: number, entry: HistoryEntry, path: string): Promise<void> {
    const parsed = parseValuePath(path);
    const series = parsed.ok ? topicSeries(this.histories.get(this.connection).entriesNewestFirst(), entry.topic, parsed.steps, MAX_SERIES_POINTS, chartNumberReader(entry.topic, this.detailContext())) : { points: [], skipped: 0 };
    await this.post({ type: 'series', requestId, topic: entry.topic, ...series, error: parsed.ok ? undefined : parsed.error });
  }

  private async postDetail(requestId: number, id: number, codec: string): Promise<void> {
    await this.post(detailMessage(requestId, this.entry(id), codec, this.detailContext()));
  }

  private async export(format: 'jsonl' | 'csv', scope: 'all' | 'filtered'): Promise<void> {
    const entries = scope === 'all' ? this.histories.get(this.connection).entries() : this.feed.entries();
    const extension = format === 'jsonl' ? 'jsonl' : 'csv';
    const target = await vscode.window.showSaveDialog({
      title: `Export ${scope === 'all' ? 'all' : 'filtered'} messages of ${this.connection}`,
      filters: format === 'jsonl' ? { 'JSON Lines': ['jsonl'] } : { CSV: ['csv'] },
      defaultUri: vscode.workspace.workspaceFolders?.[0] && vscode.Uri.joinPath(vscode.workspace.workspaceFolders[0].uri, `${this.connection.replace(/[^\w.-]+/g, '-')}-messages.${extension}`),
    });
    if (!target) return;
    const schemas = this.detailContext();
    const decode: FieldDecoder = (m) => decodedFields(m.payload, messageContext(m, schemas));
    const text = format === 'jsonl' ? exportJsonLines(entries, decode) : exportCsv(entries, decode);
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(text));
    void vscode.window.showInformationMessage(`Exported ${formatBytes(text.length)} to ${vscode.workspace.asRelativePath(target)}.`);
  }

  private async openInEditor(entry: HistoryEntry, codec: string): Promise<void> {
    const decoded = this.decode(entry, codec);
    const document = await vscode.workspace.openTextDocument({ content: decoded.ok ? decoded.text : decoded.error, language: decoded.ok && decoded.language === 'json' ? 'json' : 'plaintext' });
    await vscode.window.showTextDocument(document, { preview: true, viewColumn: vscode.ViewColumn.Beside });
  }

  private async compareWithPrevious(entry: HistoryEntry, codec: string): Promise<void> {
    const previous = this.previousOnTopic(entry);
    if (!previous) {
      void vscode.window.showInformationMessage(`There is no earlier message on "${entry.topic}" in the history.`);
      return;
    }
    const open = async (e: HistoryEntry) => {
      const decoded = this.decode(e, codec);
      return vscode.workspace.openTextDocument({ content: decoded.ok ? decoded.text : decoded.error, language: decoded.ok && decoded.language === 'json' ? 'json' : 'plaintext' });
    };
    const [left, right] = await Promise.all([open(previous), open(entry)]);
    const time = (e: HistoryEntry) => new Date(e.receivedAt).toLocaleTimeString();
    await vscode.commands.executeCommand('vscode.diff', left.uri, right.uri, `${entry.topic}: ${time(previous)} ↔ ${time(entry)}`);
  }

  private previousOnTopic(entry: HistoryEntry): HistoryEntry | undefined {
    for (const candidate of this.histories.get(this.connection).entriesNewestFirst()) {
      if (candidate.id < entry.id && candidate.topic === entry.topic) return candidate;
    }
    return undefined;
  }

  /** The user's protobuf schemas and C headers, for decoding. */
  private detailContext(): DetailContext {
    return { ...this.services.protobuf(), ...this.services.structs() };
  }

  private decode(entry: MqttMessage, codec: string) {
    return decodeForDetail(entry, codec, this.detailContext());
  }

  private entry(id: number): HistoryEntry {
    const entry = this.histories.get(this.connection).get(id);
    if (!entry) throw new Error('That message is no longer in the history (it was dropped by the history limits or cleared).');
    return entry;
  }

  /** Posts to the webview; an answer that comes after the panel was closed (a reply, a publish result) is dropped. */
  private post(message: ToWebview): Thenable<boolean> {
    if (this.disposed) return Promise.resolve(false);
    return this.panel.webview.postMessage(message);
  }
}
