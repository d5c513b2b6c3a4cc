/**
 * The monitor webviews: Connection Health (state timeline, RTT and message rate charts for every connection
 * side by side) and the Broker Dashboard ($SYS figures and charts). A view only: the host sends snapshots.
 */
import type { BrokerSnapshot, FromMonitorWebview, HealthSnapshot, ToMonitorWebview } from '../../src/shared/monitorProtocol';
import { el } from '../dom';
import { compact, lineChart, stateTimeline } from './charts';

interface VsCodeApi {
  postMessage(message: FromMonitorWebview): void;
}
declare function acquireVsCodeApi(): VsCodeApi;
const vscode = acquireVsCodeApi();
const app = document.getElementById('app') ?? document.body;

function uptimeText(seconds: number | undefined): string {
  if (seconds === undefined) return '—';
  const d = Math.floor(seconds / 86_400);
  const h = Math.floor((seconds % 86_400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  return d > 0 ? `${d} d ${h} h` : h > 0 ? `${h} h ${m} min` : `${m} min ${Math.floor(seconds % 60)} s`;
}

function figure(label: string, value: string): HTMLElement {
  const cell = el('div', 'figure');
  cell.append(el('div', 'figure-value', value), el('div', 'figure-label', label));
  return cell;
}

function healthCard(h: HealthSnapshot, since: number, now: number): HTMLElement {
  const card = el('section', 'card');
  card.setAttribute('aria-label', `Health of ${h.connection}`);
  const head = el('header', 'card-head');
  head.append(el('span', 'card-title', h.connection), el('span', `badge state-${h.state}`, h.state));
  card.append(head);
  const figures = el('div', 'figures');
  const lastRtt = h.rtt[h.rtt.length - 1];
  figures.append(figure('uptime', h.uptimePercent === undefined ? '—' : `${h.uptimePercent.toFixed(1)} %`), figure('reconnects', String(h.reconnects)), figure('RTT', lastRtt === undefined ? '—' : `${Math.round(lastRtt[1])} ms`));
  card.append(figures, stateTimeline(h.changes, since, now));
  card.append(lineChart('Round trip', [{ points: h.rtt, className: 'series-a', label: 'RTT' }], since, now, ' ms'));
  card.append(lineChart('Messages per second', [{ points: h.messagesIn, className: 'series-a', label: 'in' }, { points: h.messagesOut, className: 'series-b', label: 'out' }], since, now));
  return card;
}

function brokerCard(b: BrokerSnapshot, since: number, now: number): HTMLElement {
  const card = el('section', 'card');
  card.setAttribute('aria-label', `Broker of ${b.connection}`);
  const head = el('header', 'card-head');
  head.append(el('span', 'card-title', b.connection), el('span', 'badge', b.version ?? b.flavor ?? 'no $SYS yet'));
  const number = (n: number | undefined): string => (n === undefined ? '—' : compact(n));
  const figures = el('div', 'figures');
  figures.append(figure('clients', number(b.clientsConnected)), figure('subscriptions', number(b.subscriptions)), figure('retained', number(b.retained)), figure('uptime', uptimeText(b.uptimeSeconds)), figure('messages in', number(b.messagesReceived)), figure('messages out', number(b.messagesSent)));
  card.append(head, figures);
  card.append(lineChart('Clients', [{ points: b.clients, className: 'series-a', label: 'connected' }], since, now));
  card.append(lineChart('Messages per second', [{ points: b.messagesInPerSecond, className: 'series-a', label: 'in' }, { points: b.messagesOutPerSecond, className: 'series-b', label: 'out' }], since, now));
  card.append(lineChart('Bytes per second', [{ points: b.bytesInPerSecond, className: 'series-a', label: 'in' }, { points: b.bytesOutPerSecond, className: 'series-b', label: 'out' }], since, now));
  return card;
}

function render(message: ToMonitorWebview): void {
  const grid = el('div', 'grid');
  const since = message.now - 3_600_000;
  if (message.type === 'health') {
    for (const h of message.connections) grid.append(healthCard(h, message.since, message.now));
    if (message.connections.length === 0) grid.append(el('p', 'empty', 'No connection has been used in this window yet. Connect one to see its health here.'));
  } else {
    for (const b of message.brokers) grid.append(brokerCard(b, since, message.now));
    if (message.brokers.length === 0) grid.append(el('p', 'empty', 'Run "MQTT: Open Broker Dashboard" on a connected connection.'));
  }
  const children: HTMLElement[] = [grid];
  if (message.type === 'broker' && message.note !== undefined) children.unshift(el('p', 'note', message.note));
  app.replaceChildren(...children);
}

window.addEventListener('message', (event: MessageEvent<ToMonitorWebview>) => {
  const data = event.data;
  if (data?.type === 'health' || data?.type === 'broker') render(data);
});
vscode.postMessage({ type: 'ready' });
