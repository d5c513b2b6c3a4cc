import * as vscode from 'vscode';
import { formatAge } from '../../core/payload/preview';
import { sparklineSvg, svgDataUri } from '../../core/monitor/sparkline';
import type { WatchState } from '../../core/monitor/watches';
import type { MonitorService } from './monitorService';

/** Sparkline colors: the blue of VS Code's charts in light and in dark themes. */
const LIGHT_LINE = '#005fb8';
const DARK_LINE = '#4daafc';
const TREND: Record<NonNullable<WatchState['trend']>, string> = { up: '↑', down: '↓', flat: '→' };
/** Redraw period: at most 4 times a second, whatever the message rate; ages tick once a second. */
export const WATCHES_REFRESH_MS = 250;

function formatNumber(n: number): string {
  return Number.isInteger(n) ? String(n) : String(Number(n.toPrecision(4)));
}

/** The description of a watch row: value and unit, trend, age, min/max/avg. */
export function describeWatch(state: WatchState, now: number): string {
  if (state.text === undefined && state.problem === undefined) return 'waiting for a message';
  const unit = state.definition.unit ? ` ${state.definition.unit}` : '';
  const value = state.text === undefined ? '—' : `${state.text}${unit}`;
  const trend = state.trend ? ` ${TREND[state.trend]}` : '';
  const age = state.receivedAt !== undefined ? ` · ${formatAge(state.receivedAt, now)}` : '';
  const stats = state.numericCount > 1 ? ` · min ${formatNumber(state.min)} max ${formatNumber(state.max)} avg ${formatNumber(state.sum / state.numericCount)}` : '';
  return `${value}${trend}${age}${stats}`;
}

/** The Watches view: one row per watch with its value and a sparkline icon. */
export class WatchesProvider implements vscode.TreeDataProvider<WatchState>, vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<WatchState | undefined>();
  readonly onDidChangeTreeData = this.changeEmitter.event;
  private readonly timer: NodeJS.Timeout;
  private ticks = 0;
  private readonly subscription: vscode.Disposable;
  /** Redraws so far (diagnostics and tests). */
  refreshCount = 0;

  constructor(private readonly monitor: MonitorService) {
    this.timer = setInterval(() => this.flush(), WATCHES_REFRESH_MS);
    this.subscription = monitor.onDidChangeSettings(() => this.redraw());
  }

  getTreeItem(state: WatchState): vscode.TreeItem {
    const now = Date.now();
    const definition = state.definition;
    const item = new vscode.TreeItem(definition.label, vscode.TreeItemCollapsibleState.None);
    item.id = `watch:${definition.key}`;
    item.description = state.problem !== undefined && state.text === undefined ? state.problem : describeWatch(state, now);
    item.contextValue = 'watch';
    if (state.problem !== undefined) item.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'));
    else if (state.samples.length >= 2) item.iconPath = { light: vscode.Uri.parse(svgDataUri(sparklineSvg(state.samples, LIGHT_LINE))), dark: vscode.Uri.parse(svgDataUri(sparklineSvg(state.samples, DARK_LINE))) };
    else item.iconPath = new vscode.ThemeIcon('eye');
    const tooltip = new vscode.MarkdownString(undefined, true);
    tooltip.appendText(`${definition.connection ?? 'Any connection'} · ${definition.topic}${definition.field && definition.field.path !== '' ? ` · ${definition.field.path} (${definition.field.codec})` : ''}\n`);
    if (state.lastTopic !== undefined && state.lastTopic !== definition.topic) tooltip.appendText(`Last topic: ${state.lastTopic}\n`);
    tooltip.appendText(`${state.count} message(s)`);
    if (state.problem !== undefined) tooltip.appendText(`\nLast message: ${state.problem}`);
    item.tooltip = tooltip;
    item.accessibilityInformation = { label: `${definition.label}: ${String(item.description)}` };
    if (state.lastTopic !== undefined) item.command = { command: 'mqttWorkbench.openMessages', title: 'Show Messages', arguments: [{ connection: definition.connection, topicFilter: state.lastTopic }] };
    return item;
  }

  getChildren(element?: WatchState): WatchState[] {
    return element ? [] : [...this.monitor.watches.list()];
  }

  redraw(): void {
    this.refreshCount++;
    this.changeEmitter.fire(undefined);
  }

  dispose(): void {
    clearInterval(this.timer);
    this.subscription.dispose();
    this.changeEmitter.dispose();
  }

  private flush(): void {
    this.ticks++;
    const book = this.monitor.watches;
    const agesDue = this.ticks % 4 === 0 && book.list().some((s) => s.receivedAt !== undefined);
    if (!book.dirty && !agesDue) return;
    book.dirty = false;
    this.redraw();
  }
}
