import * as vscode from 'vscode';

/**
 * Watches the given files (the .proto files, the C headers) and calls `changed` when one is changed, created
 * or deleted; undefined when there is nothing to watch. Dispose the watcher to stop.
 */
export function watchFiles(uris: readonly vscode.Uri[], changed: () => void): vscode.FileSystemWatcher | undefined {
  if (uris.length === 0) return undefined;
  const pattern = uris.length === 1 ? (uris[0] as vscode.Uri).fsPath : `{${uris.map((u) => u.fsPath).join(',')}}`;
  const watcher = vscode.workspace.createFileSystemWatcher(pattern);
  watcher.onDidChange(changed);
  watcher.onDidCreate(changed);
  watcher.onDidDelete(changed);
  return watcher;
}
