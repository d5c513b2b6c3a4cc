import * as os from 'node:os';
import * as vscode from 'vscode';
import type { PathVariables } from '../core/clientOptions';

/** What `${workspaceFolder}`, `${userHome}` and `${env:NAME}` expand to in paths from settings. */
export function workspacePathVariables(): PathVariables {
  return { workspaceFolder: vscode.workspace.workspaceFolders?.[0]?.uri.fsPath, userHome: os.homedir(), env: process.env };
}
