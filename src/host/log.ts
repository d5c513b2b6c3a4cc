import * as vscode from 'vscode';

/** A `[component]`-prefixed view of the one "MQTT Workbench" log channel. Never pass secrets or payloads at info level. */
export interface Logger {
  trace(message: string): void;
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string, error?: unknown): void;
  child(component: string): Logger;
}

/** Creates the extension's LogOutputChannel and a root logger writing to it. */
export function createLog(): { channel: vscode.LogOutputChannel; log: Logger } {
  const channel = vscode.window.createOutputChannel('MQTT Workbench', { log: true });
  return { channel, log: prefixed(channel, 'extension') };
}

function prefixed(channel: vscode.LogOutputChannel, component: string): Logger {
  const tag = `[${component}]`;
  return {
    trace: (m) => channel.trace(`${tag} ${m}`),
    debug: (m) => channel.debug(`${tag} ${m}`),
    info: (m) => channel.info(`${tag} ${m}`),
    warn: (m) => channel.warn(`${tag} ${m}`),
    error: (m, error) => channel.error(`${tag} ${m}${error === undefined ? '' : `: ${describeError(error)}`}`),
    child: (name) => prefixed(channel, name),
  };
}

/** The message of an error-like value (stack omitted). */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
