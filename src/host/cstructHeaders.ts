import * as vscode from 'vscode';
import { resolveProfilePath } from '../core/clientOptions';
import { StructRegistry, type DecodeContext, type HeaderFile, type HeaderProblem } from '../core/payload';
import { headerNotFound, readStructSettings, STRUCTS_SETTING, structTypeForTopic, unknownMappedTypes } from '../core/payload/cstruct/settings';
import { SECTION } from './config';
import type { Logger } from './log';
import { workspacePathVariables } from './paths';
import { FileBackedContext } from './fileBackedContext';

const KEY = 'structs';

/** The C struct part of a decode context: the parsed headers and the topic filter -> struct type map. */
export type StructContext = Pick<DecodeContext, 'structs' | 'structTypeForTopic'>;

/**
 * The user's C headers (setting `mqttWorkbench.structs`): parsed into a StructRegistry, re-read when the
 * setting or a header changes. Header problems go to the Problems view (file:line:column) and the log;
 * setting problems to the log and one warning with "Open Settings".
 */
export class StructHeaders extends FileBackedContext<StructContext> {
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('mqttWorkbench.structs');

  constructor(log: Logger) {
    super(log, KEY, {}, 'the C headers');
    this.disposables.push(this.diagnostics);
    this.reload();
  }

  protected async load(): Promise<void> {
    const problems: string[] = [];
    const settings = readStructSettings(vscode.workspace.getConfiguration(SECTION).get<unknown>(KEY), problems);
    const files: HeaderFile[] = [];
    const uris = new Map<string, vscode.Uri>();
    const vars = workspacePathVariables();
    for (const raw of settings.files) {
      const resolved = resolveProfilePath(raw, vars);
      if ('error' in resolved) {
        problems.push(`${STRUCTS_SETTING}.files: ${resolved.error}`);
        continue;
      }
      const uri = vscode.Uri.file(resolved.path);
      const fileName = vscode.workspace.asRelativePath(uri);
      uris.set(fileName, uri);
      try {
        files.push({ fileName, source: new TextDecoder().decode(await vscode.workspace.fs.readFile(uri)) });
      } catch {
        problems.push(headerNotFound(raw));
      }
    }
    const { registry, errors } = StructRegistry.fromFiles(files, settings.defaults, settings.overrides);
    if (files.length > 0) problems.push(...unknownMappedTypes(settings, registry));
    this.current = files.length === 0 && settings.types.length === 0 ? {} : { structs: registry, structTypeForTopic: (topic) => structTypeForTopic(settings, topic) };
    this.showDiagnostics(errors, uris);
    this.watch([...uris.values()]);
    if (files.length > 0) this.log.info(`loaded ${files.length} header(s), ${registry.typeNames().length} struct type(s), ${errors.length} problem(s)`);
    for (const problem of problems) this.log.warn(problem);
    if (problems.length > 0) {
      void vscode.window.showWarningMessage(`C struct headers: ${problems.join(' ')}`, 'Open Settings').then((choice) => {
        if (choice) void vscode.commands.executeCommand('workbench.action.openSettings', STRUCTS_SETTING);
      });
    }
  }

  /** Header problems in the Problems view, one diagnostic per problem at its line and column. */
  private showDiagnostics(errors: HeaderProblem[], uris: ReadonlyMap<string, vscode.Uri>): void {
    this.diagnostics.clear();
    const byFile = new Map<vscode.Uri, vscode.Diagnostic[]>();
    for (const error of errors) {
      this.log.warn(`${error.fileName}:${error.line}:${error.column}: ${error.message}`);
      const uri = uris.get(error.fileName);
      if (uri === undefined) continue;
      const position = new vscode.Position(Math.max(0, error.line - 1), Math.max(0, error.column - 1));
      const diagnostic = new vscode.Diagnostic(new vscode.Range(position, position.translate(0, 1)), error.message, vscode.DiagnosticSeverity.Error);
      diagnostic.source = 'MQTT Workbench (C structs)';
      byFile.set(uri, [...(byFile.get(uri) ?? []), diagnostic]);
    }
    for (const [uri, list] of byFile) this.diagnostics.set(uri, list);
  }
}
