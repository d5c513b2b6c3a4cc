import * as vscode from 'vscode';
import { PAYLOAD_FORMAT_LABELS, PAYLOAD_FORMATS, validateDraft, type PayloadFormat } from '../../core/publish/publishRequest';
import { validateTopicName } from '../../core/topics';
import type { QoS } from '../../shared/mqttMessage';
import type { PublishHistory } from '../publishHistory';

interface TopicItem extends vscode.QuickPickItem {
  topic: string;
  problem?: string;
}

/**
 * Asks for a topic: recent publishes of the connection first, then topics seen in its topic tree; typing a new
 * one is allowed, and an invalid one says why instead of being accepted. Undefined when cancelled.
 */
export function pickTopic(history: PublishHistory, connection: string, title: string, initial = ''): Promise<string | undefined> {
  const { recent, seen } = history.topicsFor(connection);
  const known: TopicItem[] = [
    ...recent.map((topic) => ({ label: topic, description: 'recently published', topic })),
    ...seen.map((topic) => ({ label: topic, description: 'seen', topic })),
  ];
  const pick = vscode.window.createQuickPick<TopicItem>();
  pick.title = title;
  pick.placeholder = 'Topic to publish to (type a new one or pick one)';
  pick.ignoreFocusOut = true;
  pick.matchOnDescription = true;
  pick.value = initial;
  const refresh = (): void => {
    const typed = pick.value;
    const problem = typed === '' ? undefined : validateTopicName(typed);
    const typedItem: TopicItem[] = typed === '' || known.some((k) => k.topic === typed) ? [] : [{ label: typed, description: problem ? '' : 'new topic', detail: problem && `$(error) ${problem}`, topic: typed, problem, alwaysShow: true }];
    pick.items = [...typedItem, ...known];
  };
  refresh();
  return new Promise((resolve) => {
    pick.onDidChangeValue(refresh);
    pick.onDidAccept(() => {
      const chosen = pick.selectedItems[0] ?? (pick.value !== '' ? { topic: pick.value, problem: validateTopicName(pick.value), label: pick.value } : undefined);
      if (!chosen || chosen.problem) return; // the problem is shown on the item; keep the picker open
      resolve(chosen.topic);
      pick.hide();
    });
    pick.onDidHide(() => {
      resolve(undefined);
      pick.dispose();
    });
    pick.show();
  });
}

/** Where the payload comes from. */
export type PayloadSource = 'type' | 'selection' | 'file' | 'clipboard';

/** Asks where the payload comes from; the selection is offered only when the active editor has one. */
export async function pickPayloadSource(title: string): Promise<PayloadSource | undefined> {
  const selection = selectedText();
  const items: Array<vscode.QuickPickItem & { source: PayloadSource }> = [
    { label: '$(edit) Type the payload', source: 'type' },
    ...(selection ? [{ label: '$(selection) Editor selection', description: preview(selection), source: 'selection' as const }] : []),
    { label: '$(file) From a file…', description: 'sent byte for byte', source: 'file' },
    { label: '$(clippy) From the clipboard', source: 'clipboard' },
  ];
  return (await vscode.window.showQuickPick(items, { title, placeHolder: 'Payload', ignoreFocusOut: true }))?.source;
}

/** The selected text of the active editor (or undefined when nothing is selected). */
export function selectedText(): string | undefined {
  const editor = vscode.window.activeTextEditor;
  if (!editor) return undefined;
  const text = editor.selections.map((s) => editor.document.getText(s)).join('\n');
  return text === '' ? undefined : text;
}

function preview(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 40 ? `${line.slice(0, 40)}…` : line;
}

/** The format that best fits text: JSON when it parses as an object or array, else Text. */
export function guessFormat(text: string): PayloadFormat {
  const trimmed = text.trim();
  if (!/^[[{]/.test(trimmed)) return 'text';
  return 'problems' in validateDraft({ topic: 't', payload: text, format: 'json', qos: 0, retain: false }) ? 'text' : 'json';
}

/** Asks for a payload format (the guess first). */
export async function pickFormat(title: string, guess: PayloadFormat): Promise<PayloadFormat | undefined> {
  const order = [guess, ...PAYLOAD_FORMATS.filter((f) => f !== guess)];
  const picked = await vscode.window.showQuickPick(
    order.map((format) => ({ label: PAYLOAD_FORMAT_LABELS[format], format })),
    { title, placeHolder: 'Payload format' },
  );
  return picked?.format;
}

/** Asks for QoS and retain in one step. */
export async function pickQosAndRetain(title: string): Promise<{ qos: QoS; retain: boolean } | undefined> {
  const names = ['at most once', 'at least once', 'exactly once'];
  const items = [false, true].flatMap((retain) => ([0, 1, 2] as const).map((qos) => ({ label: `QoS ${qos}${retain ? ' · retained' : ''}`, description: names[qos], qos, retain })));
  const picked = await vscode.window.showQuickPick(items, { title, placeHolder: 'QoS and retain' });
  return picked && { qos: picked.qos, retain: picked.retain };
}
