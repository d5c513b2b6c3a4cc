import { mkdir, readFile } from 'node:fs/promises';
import { basename, dirname, extname } from 'node:path';
import * as vscode from 'vscode';
import { CAPTURE_EXTENSION } from '../../core/capture/format';
import { detectImportFormat, importMessages } from '../../core/capture/importers';
import { CaptureWriter, fileSink } from '../../core/capture/writer';
import { FieldReader } from '../../core/fieldReader';
import { SessionError } from '../../core/session';
import type { Logger } from '../log';
import { CAPTURE_EDITOR } from './captureEditor';
import { captureFilePath } from './workspacePaths';

/** What an import did. */
export interface ImportResult {
  file: string;
  messages: number;
  problems: string[];
}

/**
 * Turns a history export (JSON Lines or CSV) or an mqtt_recorder CSV into a capture next to the other captures:
 * argument `{ file, output? }` (workspace paths), or a file picked in the open dialog. Opens the capture.
 */
export async function importCapture(argument: unknown, extensionVersion: string, log: Logger): Promise<ImportResult | undefined> {
  let source: string | undefined;
  let output: string | undefined;
  if (argument instanceof vscode.Uri) source = argument.fsPath;
  else if (argument !== undefined) {
    const problems: string[] = [];
    const reader = FieldReader.object(argument, 'import', problems);
    source = reader?.string('file', { required: true, nonEmpty: true });
    output = reader?.string('output', { nonEmpty: true });
    reader?.rejectUnknownFields();
    if (problems.length > 0) throw new SessionError(`Nothing was imported: ${problems.join('; ')}`);
  } else {
    const [picked] = (await vscode.window.showOpenDialog({ title: 'Import a history export or an mqtt_recorder CSV as a capture', canSelectMany: false, filters: { 'Exports and recordings': ['jsonl', 'csv'] } })) ?? [];
    source = picked?.fsPath;
  }
  if (source === undefined) return undefined;
  const input = captureFilePath(source);
  const text = await readFile(input, 'utf8').catch(() => {
    throw new SessionError(`The file ${source} does not exist.`);
  });
  const target = captureFilePath(output ?? `captures/${basename(input, extname(input))}${CAPTURE_EXTENSION}`);
  const format = detectImportFormat(input, text.slice(0, text.indexOf('\n') >>> 0));
  await mkdir(dirname(target), { recursive: true });
  const sink = await fileSink(target).catch(() => {
    throw new SessionError(`${vscode.workspace.asRelativePath(target)} already exists; choose another output file.`);
  });
  const writer = new CaptureWriter(sink, { connection: `imported from ${basename(input)}`, broker: '', protocolVersion: '', filters: ['#'], startedAt: new Date().toISOString(), extension: `mqtt-workbench ${extensionVersion}` });
  const problems: string[] = [];
  for (const { t, message } of importMessages(text, format, (problem) => problems.push(problem))) {
    writer.add({ ...message, receivedAt: 0, seq: 0 }, t);
    if (writer.messages % 10_000 === 0) await writer.flush();
  }
  await writer.close();
  log.info(`[import] ${vscode.workspace.asRelativePath(input)} (${format}) -> ${vscode.workspace.asRelativePath(target)}: ${writer.messages} messages, ${problems.length} skipped`);
  for (const problem of problems.slice(0, 20)) log.warn(`[import] ${problem}`);
  const skipped = problems.length > 0 ? ` ${problems.length} line${problems.length === 1 ? ' was' : 's were'} skipped (first: ${problems[0]})` : '';
  void vscode.window.showInformationMessage(`Imported ${writer.messages.toLocaleString('en-US')} messages into ${vscode.workspace.asRelativePath(target)}.${skipped}`);
  if (argument === undefined || argument instanceof vscode.Uri) await vscode.commands.executeCommand('vscode.openWith', vscode.Uri.file(target), CAPTURE_EDITOR);
  return { file: target, messages: writer.messages, problems };
}
