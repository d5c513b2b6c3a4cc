/**
 * The typed messages between the extension host and the fleet dashboard webview. The host posts at most one
 * snapshot a second (nothing per message); the webview can only ask to stop the run or open its report.
 * Imported by both bundles: no `vscode`, no Node built-ins.
 */
import type { FleetSnapshot } from './fleetSnapshot';

/** From the host. */
export type ToDashboard =
  | { type: 'init'; name: string; broker: string; clients: number; plannedRate: number; snapshots: FleetSnapshot[]; finished?: DashboardFinish }
  | { type: 'snapshot'; snapshot: FleetSnapshot }
  | { type: 'finished'; finish: DashboardFinish };

/** How the run ended: the report written, or the sentence of a failure. */
export interface DashboardFinish {
  summary: string;
  reportPath?: string;
  error?: string;
}

/** From the webview. */
export type FromDashboard = { type: 'ready' } | { type: 'stop' } | { type: 'openReport' };

/** Checks a message posted by the dashboard; anything else is rejected (and logged by the host). */
export function validateFromDashboard(raw: unknown): { ok: true; message: FromDashboard } | { ok: false; reason: string } {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { ok: false, reason: 'not an object with a type' };
  const keys = Object.keys(raw);
  const type = (raw as { type?: unknown }).type;
  if ((type === 'ready' || type === 'stop' || type === 'openReport') && keys.length === 1) return { ok: true, message: { type } };
  return { ok: false, reason: `unknown message ${JSON.stringify(raw).slice(0, 60)}` };
}

/** Most points the charts keep (ten minutes at one a second). */
export const DASHBOARD_HISTORY = 600;
