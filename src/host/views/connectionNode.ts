import * as vscode from 'vscode';
import { profileEndpoint } from '../../core/profile';
import type { SessionState } from '../../core/session';
import { scopeLabel } from '../config';
import type { Connection } from '../connections';
import { markdownText } from './markdownText';

const STATE_ICONS: Readonly<Record<SessionState['kind'], vscode.ThemeIcon>> = {
  disconnected: new vscode.ThemeIcon('debug-disconnect'),
  connecting: new vscode.ThemeIcon('loading~spin'),
  connected: new vscode.ThemeIcon('pass-filled', new vscode.ThemeColor('testing.iconPassed')),
  reconnecting: new vscode.ThemeIcon('sync~spin', new vscode.ThemeColor('editorWarning.foreground')),
  failed: new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground')),
};

/** "reconnecting in 4 s (attempt 3)", "connected", ... */
export function describeState(state: SessionState, now = Date.now()): string {
  switch (state.kind) {
    case 'reconnecting':
      return `reconnecting in ${Math.max(0, Math.ceil((state.nextAttemptAt - now) / 1000))} s (attempt ${state.attempt})`;
    case 'connecting':
      return state.attempt > 1 ? `connecting (attempt ${state.attempt})` : 'connecting';
    default:
      return state.kind;
  }
}

/** One profile in the Connections view. contextValue: `connection.<state>` or `connection.invalid`. */
export class ConnectionNode extends vscode.TreeItem {
  readonly kind = 'connection';

  constructor(readonly connection: Connection) {
    const { entry, session, state } = connection;
    const subscriptionCount = session?.subscriptions.list().length ?? entry.profile?.subscriptions.length ?? 0;
    super(entry.name, subscriptionCount > 0 ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
    this.id = `connection:${entry.scope}:${entry.name}`;
    const profile = entry.profile;
    if (!profile) {
      this.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('editorWarning.foreground'));
      this.description = 'invalid settings';
      this.contextValue = 'connection.invalid';
      this.tooltip = problemsTooltip(entry.name, entry.problems, scopeLabel(entry.scope));
      return;
    }
    const rtt = state.kind === 'connected' && session?.rttMs !== undefined ? ` · RTT ${session.rttMs} ms` : '';
    const stale = connection.settingsChanged ? ' · settings changed, reconnect to apply' : '';
    const queued = connection.queued > 0 ? ` · ${connection.queued} queued` : '';
    this.description = `${profile.host}:${profile.port} · ${describeState(state)}${queued}${rtt}${stale}`;
    this.iconPath = STATE_ICONS[state.kind];
    this.contextValue = `connection.${state.kind}`;
    this.tooltip = stateTooltip(connection);
    this.accessibilityInformation = { label: `${entry.name}, ${describeState(state)}` };
  }

  get name(): string {
    return this.connection.entry.name;
  }
}

function problemsTooltip(name: string, problems: string[], scope: string): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, true);
  md.appendMarkdown(`**${markdownText(name)}** cannot connect: its ${scope} have problems\n\n`);
  for (const problem of problems) md.appendMarkdown(`- $(warning) ${markdownText(problem)}\n`);
  return md;
}

function stateTooltip({ entry, session, state, queued }: Connection): vscode.MarkdownString {
  const profile = entry.profile;
  const md = new vscode.MarkdownString(undefined, true);
  if (!profile) return md;
  md.appendMarkdown(`**${markdownText(entry.name)}** · ${markdownText(describeState(state))}\n\n`);
  md.appendMarkdown(`${markdownText(profileEndpoint(profile))} · MQTT ${profile.protocolVersion}`);
  md.appendMarkdown(`${profile.username ? ` · user ${markdownText(profile.username)}` : ''} · ${scopeLabel(entry.scope)}\n\n`);
  if (session) md.appendMarkdown(`Client id ${markdownText(session.clientId)}${session.rttMs !== undefined ? ` · RTT ${session.rttMs} ms` : ''}\n\n`);
  if (state.kind === 'connected') {
    md.appendMarkdown(`Connected since ${new Date(state.since).toLocaleTimeString()}${state.sessionPresent ? ' · session resumed' : ''}\n\n`);
  }
  const lastError = state.kind === 'failed' ? state.error : state.kind === 'reconnecting' ? state.lastError : undefined;
  if (lastError) md.appendMarkdown(`$(error) ${markdownText(lastError)}\n\n`);
  if (queued > 0) md.appendMarkdown(`$(mail) ${queued} message${queued === 1 ? '' : 's'} queued: sent in order once connected\n\n`);
  return md;
}
