import * as vscode from 'vscode';
import { resolveProfilePath } from '../core/clientOptions';
import { ProtoRegistry, type DecodeContext, type ProtoFile } from '../core/payload';
import { topicMatchesFilter, validateTopicFilter } from '../core/topics';
import { SECTION } from './config';
import type { Logger } from './log';
import { workspacePathVariables } from './paths';
import { FileBackedContext } from './fileBackedContext';

const FILES_KEY = 'protobuf.files';
const TYPES_KEY = 'protobuf.types';

/** The protobuf part of a decode context: the parsed .proto files and the topic filter -> message type map. */
export type ProtobufContext = Pick<DecodeContext, 'proto' | 'protoTypeForTopic'>;

/**
 * The user's protobuf schemas: `mqttWorkbench.protobuf.files` (.proto paths, `${workspaceFolder}` etc.) and
 * `mqttWorkbench.protobuf.types` (MQTT topic filter -> fully qualified message type). Reloaded when either
 * setting or a listed file changes; every problem is logged and shown once, with the file and line.
 */
export class ProtobufSchemas extends FileBackedContext<ProtobufContext> {
  constructor(log: Logger) {
    super(log, 'protobuf', {}, 'the schemas');
    this.reload();
  }

  protected async load(): Promise<void> {
    const config = vscode.workspace.getConfiguration(SECTION);
    const problems: string[] = [];
    const paths = readPaths(config.get<unknown>(FILES_KEY, []), problems);
    const files: ProtoFile[] = [];
    const vars = workspacePathVariables();
    const uris: vscode.Uri[] = [];
    for (const raw of paths) {
      const resolved = resolveProfilePath(raw, vars);
      if ('error' in resolved) {
        problems.push(`${SECTION}.${FILES_KEY}: ${resolved.error}`);
        continue;
      }
      const uri = vscode.Uri.file(resolved.path);
      uris.push(uri);
      try {
        files.push({ fileName: vscode.workspace.asRelativePath(uri), source: new TextDecoder().decode(await vscode.workspace.fs.readFile(uri)) });
      } catch {
        problems.push(`${SECTION}.${FILES_KEY}: file not found: ${raw}`);
      }
    }
    const { registry, errors } = ProtoRegistry.fromFiles(files);
    problems.push(...errors.map((e) => e.message));
    const typeMap = readTypeMap(config.get<unknown>(TYPES_KEY, {}), problems);
    this.current = files.length === 0 && typeMap.length === 0 ? {} : { proto: registry, protoTypeForTopic: (topic) => typeMap.find(([filter]) => topicMatchesFilter(filter, topic))?.[1] };
    this.watch(uris);
    if (files.length > 0) this.log.info(`loaded ${files.length} file(s), ${registry.typeNames().length} message type(s)`);
    if (problems.length > 0) {
      for (const problem of problems) this.log.warn(problem);
      void vscode.window.showWarningMessage(`Protobuf schemas: ${problems.join(' ')}`, 'Open Settings').then((choice) => {
        if (choice) void vscode.commands.executeCommand('workbench.action.openSettings', `${SECTION}.protobuf`);
      });
    }
  }
}

function readPaths(value: unknown, problems: string[]): string[] {
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
    problems.push(`${SECTION}.${FILES_KEY} must be a list of paths to .proto files.`);
    return [];
  }
  return value as string[];
}

/** The map in setting order; a bad filter or a non-string type is reported and left out. */
function readTypeMap(value: unknown, problems: string[]): Array<[filter: string, type: string]> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    problems.push(`${SECTION}.${TYPES_KEY} must be an object mapping topic filters to message types, e.g. { "sensors/+/reading": "acme.Reading" }.`);
    return [];
  }
  const map: Array<[string, string]> = [];
  for (const [filter, type] of Object.entries(value)) {
    const filterProblem = validateTopicFilter(filter);
    if (filterProblem) problems.push(`${SECTION}.${TYPES_KEY}: "${filter}": ${filterProblem}`);
    else if (typeof type !== 'string' || type.trim() === '') problems.push(`${SECTION}.${TYPES_KEY}: "${filter}" must map to a message type name such as "acme.Reading".`);
    else map.push([filter, type.trim()]);
  }
  return map;
}
