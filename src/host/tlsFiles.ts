import * as vscode from 'vscode';
import { resolveProfilePath, type TlsFiles } from '../core/clientOptions';
import type { TlsSettings } from '../core/profile';
import { workspacePathVariables } from './paths';

/** The result of reading a profile's certificate files: the bytes, or one message per unreadable file. */
export type TlsFilesResult = { files: TlsFiles; keyEncrypted: boolean } | { problems: string[] };

const PEM_LABELS: Readonly<Record<keyof TlsFiles, string>> = { ca: 'CERTIFICATE', cert: 'CERTIFICATE', key: 'PRIVATE KEY' };

/**
 * Reads tls.ca / tls.cert / tls.key with vscode.workspace.fs (MQTT.js ignores path options), expanding
 * `${workspaceFolder}`, `${userHome}`, `${env:NAME}`. `where` prefixes messages, e.g. "connections[2]".
 */
export async function readTlsFiles(tls: TlsSettings, where: string): Promise<TlsFilesResult> {
  const vars = workspacePathVariables();
  const files: TlsFiles = {};
  const problems: string[] = [];
  for (const field of ['ca', 'cert', 'key'] as const) {
    const raw = tls[field];
    if (raw === undefined) continue;
    const resolved = resolveProfilePath(raw, vars);
    if ('error' in resolved) {
      problems.push(`${where}.tls.${field}: ${resolved.error}`);
      continue;
    }
    try {
      const bytes = await vscode.workspace.fs.readFile(vscode.Uri.file(resolved.path));
      const text = new TextDecoder().decode(bytes.subarray(0, 64 * 1024));
      if (!text.includes('-----BEGIN')) {
        problems.push(`${where}.tls.${field}: not a PEM file (expected "-----BEGIN ${PEM_LABELS[field]}-----"): ${raw}`);
        continue;
      }
      files[field] = bytes;
    } catch (error) {
      const notFound = error instanceof vscode.FileSystemError && error.code === 'FileNotFound';
      problems.push(`${where}.tls.${field}: ${notFound ? 'file not found' : `cannot read (${error instanceof Error ? error.message : String(error)})`}: ${raw}`);
    }
  }
  if (problems.length > 0) return { problems };
  const keyText = files.key ? new TextDecoder().decode(files.key) : '';
  return { files, keyEncrypted: /ENCRYPTED/.test(keyText) };
}
