import * as vscode from 'vscode';
import type { ConnectionManager } from '../connections';
import type { Logger } from '../log';
import type { ConnectionsProvider } from '../views/connectionsProvider';
import type { DetailContext } from '../panel/messageDetail';
import type { TopicsProvider } from '../views/topicsProvider';
import { CaptureEditorProvider, registerCaptureEditor } from './captureEditor';
import { importCapture } from './importCommand';
import { registerReportingCommand } from '../commands/connectionCommands';
import { registerRecordCommands } from './recordCommands';
import { RecordingService } from './recordings';
import { RecordingStatusBar } from './recordingStatusBar';
import { registerReplayCommands } from './replayCommand';
import { Replays } from './replays';

/** What the capture feature gives the rest of the extension. */
export interface CaptureFeature {
  readonly recordings: RecordingService;
  readonly replays: Replays;
  readonly statusBar: RecordingStatusBar;
  readonly disposables: vscode.Disposable[];
}

/**
 * Recording, replay and the capture editor: services, commands, the status bar item, the `mqttWorkbench.recording`
 * context key and the "● REC" marker on a recorded connection in the Connections view.
 */
export function registerCapture(context: vscode.ExtensionContext, connections: ConnectionManager, connectionsView: ConnectionsProvider, topics: TopicsProvider, decodeContext: () => DetailContext, log: Logger): CaptureFeature {
  const version = String((context.extension.packageJSON as { version?: unknown }).version ?? '0.0.0');
  const recordings = new RecordingService(connections, version, log.child('recording'));
  const replays = new Replays();
  const statusBar = new RecordingStatusBar(recordings);
  connectionsView.setMarker((name) => (recordings.get(name) ? '● REC' : undefined), recordings.onDidChange);
  const disposables: vscode.Disposable[] = [
    recordings,
    replays,
    statusBar,
    recordings.onDidChange(() => void vscode.commands.executeCommand('setContext', 'mqttWorkbench.recording', recordings.list().length > 0)),
    ...registerRecordCommands(connections, recordings, topics, log.child('recording')),
    ...registerReplayCommands(connections, replays, log.child('replay')),
    registerReportingCommand(log, 'importCapture', (argument) => importCapture(argument, version, log.child('import')), 'Import Capture'),
    registerCaptureEditor(new CaptureEditorProvider(context.extensionUri, decodeContext, replays, log.child('editor'))),
  ];
  return { recordings, replays, statusBar, disposables };
}
