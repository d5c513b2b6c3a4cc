/**
 * The typed messages between the extension host and the webview panel. Every message has a `type` literal;
 * requests carry an `id` and are answered by a response or an error with the same id.
 * Imported by both bundles: no `vscode`, no Node built-ins.
 */

/** Host -> webview. */
export type ToWebview =
  | { type: 'init'; connection: string; theme: 'light' | 'dark' | 'high-contrast' }
  | { type: 'error'; id?: number; message: string };

/** Webview -> host. */
export type FromWebview = { type: 'ready' } | { type: 'log'; level: 'info' | 'warn' | 'error'; message: string };

/** Names of every message the host accepts, for validation of what a webview posts. */
export const FROM_WEBVIEW_TYPES: ReadonlySet<FromWebview['type']> = new Set(['ready', 'log']);
