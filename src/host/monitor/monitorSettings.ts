import * as vscode from 'vscode';
import { parseAlertRules, type ParsedRules } from '../../core/monitor/ruleParse';
import { parseWatches, watchKey, type WatchDefinition } from '../../core/monitor/watches';
import { SECTION } from '../config';

/** Setting keys, relative to `mqttWorkbench`. */
export const ALERTS_KEY = 'alerts';
export const WATCHES_KEY = 'watches';

/** Whether a configuration change concerns the rules or the watches (saved messages: rules may name them). */
export function affectsMonitor(event: vscode.ConfigurationChangeEvent): boolean {
  return [ALERTS_KEY, WATCHES_KEY, 'savedMessages', 'protobuf', 'structs'].some((key) => event.affectsConfiguration(`${SECTION}.${key}`));
}

/** The rules of `mqttWorkbench.alerts`, checked against the saved messages they name. */
export function readAlertRules(savedMessages: ReadonlySet<string>): ParsedRules {
  return parseAlertRules(vscode.workspace.getConfiguration(SECTION).get<unknown>(ALERTS_KEY), { savedMessages }, ALERTS_KEY);
}

/** The watches of `mqttWorkbench.watches`. */
export function readWatches(): { watches: WatchDefinition[]; problems: string[] } {
  return parseWatches(vscode.workspace.getConfiguration(SECTION).get<unknown>(WATCHES_KEY), WATCHES_KEY);
}

/** The scope watches are written to: where the setting already is, else the workspace (shared with the team) when a folder is open. */
function watchesTarget(): vscode.ConfigurationTarget {
  const inspected = vscode.workspace.getConfiguration(SECTION).inspect<unknown>(WATCHES_KEY);
  if (inspected?.workspaceValue !== undefined) return vscode.ConfigurationTarget.Workspace;
  if (inspected?.globalValue !== undefined) return vscode.ConfigurationTarget.Global;
  return vscode.workspace.workspaceFolders?.length ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
}

function rawWatches(target: vscode.ConfigurationTarget): unknown[] {
  const inspected = vscode.workspace.getConfiguration(SECTION).inspect<unknown>(WATCHES_KEY);
  const value = target === vscode.ConfigurationTarget.Workspace ? inspected?.workspaceValue : inspected?.globalValue;
  return Array.isArray(value) ? [...(value as unknown[])] : [];
}

/** Adds a watch to the setting (nothing when the same watch is there). Returns false when it was already there. */
export async function addWatch(watch: { connection?: string; topic: string; path?: string; format?: string; unit?: string }): Promise<boolean> {
  const target = watchesTarget();
  const list = rawWatches(target);
  const key = watchKey(watch.connection, watch.topic, watch.path ?? '');
  if (readWatches().watches.some((w) => w.key === key)) return false;
  const value: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(watch)) if (field !== undefined && field !== '') value[name] = field;
  list.push(value);
  await vscode.workspace.getConfiguration(SECTION).update(WATCHES_KEY, list, target);
  return true;
}

/** Removes the watch with this key from the scope it is in. */
export async function removeWatch(key: string): Promise<void> {
  for (const target of [vscode.ConfigurationTarget.Workspace, vscode.ConfigurationTarget.Global]) {
    const list = rawWatches(target);
    const kept = list.filter((item) => {
      const parsed = parseWatches([item]).watches[0];
      return parsed === undefined || parsed.key !== key;
    });
    if (kept.length !== list.length) await vscode.workspace.getConfiguration(SECTION).update(WATCHES_KEY, kept.length > 0 ? kept : undefined, target);
  }
}
