import { readdir } from 'node:fs/promises';
import * as vscode from 'vscode';

/** A per-connection file in the extension's workspace storage. */
export interface SavedConnectionFile {
  connection: string;
  uri: vscode.Uri;
}

/**
 * The per-connection files `<encodeURIComponent(name)><suffix>` in `folder`; none when the folder does not exist
 * yet (nothing was saved in this workspace).
 */
export async function savedConnectionFiles(folder: vscode.Uri, suffix: string): Promise<SavedConnectionFile[]> {
  let entries: Array<[string, vscode.FileType]>;
  try {
    // On disk, read it directly: VS Code's file API logs a stack trace for a folder that is simply not there yet.
    entries = folder.scheme === 'file' ? (await readdir(folder.fsPath, { withFileTypes: true })).map((e) => [e.name, e.isFile() ? vscode.FileType.File : vscode.FileType.Unknown]) : await vscode.workspace.fs.readDirectory(folder);
  } catch {
    return [];
  }
  return entries
    .filter(([file, type]) => type === vscode.FileType.File && file.endsWith(suffix))
    .map(([file]) => ({ connection: decodeURIComponent(file.slice(0, -suffix.length)), uri: vscode.Uri.joinPath(folder, file) }));
}
