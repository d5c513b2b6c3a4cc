import { isAbsolute, relative, resolve } from 'node:path';
import * as vscode from 'vscode';
import { SessionError } from '../../core/session';

/** The sentence for a capture path outside every workspace folder. */
export function outsideWorkspaceMessage(path: string): string {
  return `${path} is outside the workspace folders; captures are read and written only inside the workspace.`;
}

/** The sentence when no folder is open. */
export const NO_WORKSPACE_MESSAGE = 'Open a folder first: captures are kept in the workspace.';

/** The first workspace folder's path, or a SessionError saying to open one. */
export function workspaceRoot(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder || folder.uri.scheme !== 'file') throw new SessionError(NO_WORKSPACE_MESSAGE);
  return folder.uri.fsPath;
}

/**
 * An absolute path for a capture: relative paths start at the first workspace folder; the result must lie inside
 * a workspace folder (a task or keybinding cannot read or write files elsewhere). Throws a SessionError.
 */
export function captureFilePath(file: string): string {
  const root = workspaceRoot();
  const absolute = isAbsolute(file) ? resolve(file) : resolve(root, file);
  const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
  const inside = folders.some((folder) => {
    const rel = relative(folder, absolute);
    return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
  });
  if (!inside) throw new SessionError(outsideWorkspaceMessage(file));
  return absolute;
}
