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
    entries = await vscode.workspace.fs.readDirectory(folder);
  } catch {
    return [];
  }
  return entries
    .filter(([file, type]) => type === vscode.FileType.File && file.endsWith(suffix))
    .map(([file]) => ({ connection: decodeURIComponent(file.slice(0, -suffix.length)), uri: vscode.Uri.joinPath(folder, file) }));
}
