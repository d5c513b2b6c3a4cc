import * as vscode from 'vscode';
import type { ProfileScope } from '../config';

/**
 * Opens the settings file a profile is saved in and selects its "name" line; with `setting` (e.g.
 * "mqttWorkbench.savedMessages") the first such line after that setting's key.
 */
export async function revealProfileInSettings(scope: ProfileScope, name: string, setting?: string): Promise<void> {
  let editor: vscode.TextEditor | undefined;
  if (scope === 'user') {
    await vscode.commands.executeCommand('workbench.action.openSettingsJson');
    editor = vscode.window.activeTextEditor;
  } else {
    const folder = vscode.workspace.workspaceFolders?.[0];
    const uri = scope === 'workspace' && vscode.workspace.workspaceFile ? vscode.workspace.workspaceFile : folder && vscode.Uri.joinPath(folder.uri, '.vscode', 'settings.json');
    if (!uri) throw new Error('No folder is open.');
    editor = await vscode.window.showTextDocument(uri);
  }
  if (!editor) return;
  const text = editor.document.getText();
  const from = setting === undefined ? 0 : Math.max(0, text.indexOf(JSON.stringify(setting)));
  const pattern = new RegExp(`"name"\\s*:\\s*${escapeRegExp(JSON.stringify(name))}`, 'g');
  pattern.lastIndex = from;
  const match = pattern.exec(text);
  if (!match) return;
  const start = editor.document.positionAt(match.index);
  const end = editor.document.positionAt(match.index + match[0].length);
  editor.selection = new vscode.Selection(start, end);
  editor.revealRange(new vscode.Range(start, end), vscode.TextEditorRevealType.InCenter);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
