// The fleet dashboard webview: tiles, charts over time, errors by reason, Stop. A view only: the host posts one
// snapshot a second; everything from the run is shown with textContent.
import { DASHBOARD_HISTORY, type DashboardFinish, type FromDashboard, type ToDashboard } from '../../src/shared/dashboardProtocol';
import type { FleetSnapshot, Percentiles } from '../../src/shared/fleetSnapshot';
import { custom, el } from '../dom';
import { registerToolkit } from '../ui';
import { formatValue, LineChart } from './lineChart';

interface VsCodeApi {
  postMessage(message: FromDashboard): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
registerToolkit();

const snapshots: FleetSnapshot[] = [];
const app = document.getElementById('app') ?? document.body;
const title = el('h2', 'title', 'Fleet');
const subtitle = el('span', 'subtitle');
const status = el('span', 'status', 'Starting…');
const stopButton = custom('vscode-button', 'stop', 'Stop');
const reportButton = custom('vscode-button', 'open-report', 'Open Report');
reportButton.hidden = true;
reportButton.setAttribute('appearance', 'secondary');
const header = el('header', 'header');
const heading = el('div', 'heading');
heading.append(title, subtitle);
header.append(heading, status, stopButton, reportButton);

const tiles = el('section', 'tiles');
const tileValues = new Map<string, HTMLElement>();
const TILES: Array<[string, string]> = [
  ['clients', 'Clients connected'],
  ['connecting', 'Connecting'],
  ['failed', 'Refused'],
  ['sent', 'Sent / s'],
  ['acked', 'Acknowledged / s'],
  ['received', 'Received / s'],
  ['bytes', 'Bytes out / s'],
  ['ack', 'PUBACK/PUBCOMP p50 · p95 · p99'],
  ['e2e', 'End to end p50 · p95 · p99'],
  ['reconnects', 'Reconnects'],
  ['cpu', 'Simulator CPU'],
  ['memory', 'Simulator memory'],
];
for (const [key, label] of TILES) {
  const tile = el('div', `tile tile-${key}`);
  const value = el('div', 'tile-value', '–');
  tile.append(value, el('div', 'tile-label', label));
  tileValues.set(key, value);
  tiles.append(tile);
}

const rateChart = new LineChart('Messages per second', 'msg/s');
const latencyChart = new LineChart('Latency p99', 'ms');
const clientChart = new LineChart('Clients', 'clients');
const charts = el('section', 'charts');
charts.append(rateChart.element, latencyChart.element, clientChart.element);

const errorsSection = el('section', 'errors');
const errorsBody = el('tbody');
const errorsTable = el('table', 'errors-table');
const headRow = el('tr');
headRow.append(el('th', undefined, 'Error'), el('th', 'count', 'Count'));
errorsTable.append(el('thead'), errorsBody);
errorsTable.tHead?.append(headRow);
const noErrors = el('p', 'no-errors', 'No errors.');
errorsSection.append(el('h3', undefined, 'Errors by reason'), noErrors, errorsTable);
app.append(header, tiles, charts, errorsSection);

stopButton.addEventListener('click', () => {
  stopButton.setAttribute('disabled', '');
  status.textContent = 'Stopping: disconnecting the clients and writing the report…';
  vscode.postMessage({ type: 'stop' });
});
reportButton.addEventListener('click', () => vscode.postMessage({ type: 'openReport' }));

const ms = (p: Percentiles): string => (p.count === 0 ? '–' : `${formatValue(p.p50)} · ${formatValue(p.p95)} · ${formatValue(p.p99)} ms`);

function set(key: string, text: string): void {
  const tile = tileValues.get(key);
  if (tile) tile.textContent = text;
}

function render(): void {
  const last = snapshots[snapshots.length - 1];
  if (!last) return;
  set('clients', `${last.clients.connected.toLocaleString('en-US')} / ${last.clients.target.toLocaleString('en-US')}`);
  set('connecting', last.clients.connecting.toLocaleString('en-US'));
  set('failed', last.clients.failed.toLocaleString('en-US'));
  set('sent', formatValue(last.sentPerSecond));
  set('acked', formatValue(last.ackedPerSecond));
  set('received', formatValue(last.receivedPerSecond));
  set('bytes', `${formatValue(last.bytesOutPerSecond / 1024)} KiB`);
  set('ack', ms(last.ack));
  set('e2e', ms(last.endToEnd));
  set('reconnects', last.totals.reconnects.toLocaleString('en-US'));
  set('cpu', `${formatValue(last.cpuPercent)} %`);
  set('memory', `${formatValue(last.rssBytes / 1048576)} MB`);
  tileValues.get('failed')?.parentElement?.classList.toggle('bad', last.clients.failed > 0);
  rateChart.draw([
    { label: 'sent', className: 'sent', values: snapshots.map((s) => s.sentPerSecond) },
    { label: 'acknowledged', className: 'acked', values: snapshots.map((s) => s.ackedPerSecond) },
    { label: 'received', className: 'received', values: snapshots.map((s) => s.receivedPerSecond) },
  ]);
  latencyChart.draw([
    { label: 'PUBACK/PUBCOMP', className: 'acked', values: snapshots.map((s) => s.ack.p99) },
    { label: 'end to end', className: 'received', values: snapshots.map((s) => s.endToEnd.p99) },
  ]);
  clientChart.draw([
    { label: 'connected', className: 'sent', values: snapshots.map((s) => s.clients.connected) },
    { label: 'refused', className: 'failed', values: snapshots.map((s) => s.clients.failed) },
  ]);
  noErrors.hidden = last.errors.length > 0;
  errorsTable.hidden = last.errors.length === 0;
  errorsBody.replaceChildren(
    ...last.errors.slice(0, 50).map(({ reason, count }) => {
      const row = el('tr');
      row.append(el('td', 'reason', reason), el('td', 'count', `× ${count.toLocaleString('en-US')}`));
      return row;
    }),
  );
  if (stopButton.hasAttribute('disabled')) return;
  status.textContent = `Running ${last.elapsedSeconds.toFixed(0)} s`;
}

function finished(finish: DashboardFinish): void {
  stopButton.hidden = true;
  status.textContent = finish.error ? `${finish.summary} ${finish.error}` : finish.summary;
  status.classList.toggle('error', finish.error !== undefined);
  reportButton.hidden = finish.reportPath === undefined;
}

function add(snapshot: FleetSnapshot): void {
  snapshots.push(snapshot);
  if (snapshots.length > DASHBOARD_HISTORY) snapshots.shift();
}

window.addEventListener('message', (event: MessageEvent<ToDashboard>) => {
  const message = event.data;
  switch (message.type) {
    case 'init':
      title.textContent = `Fleet: ${message.name}`;
      subtitle.textContent = `${message.clients.toLocaleString('en-US')} clients on "${message.broker}", planned ${formatValue(message.plannedRate)} msg/s`;
      snapshots.length = 0;
      for (const s of message.snapshots) add(s);
      render();
      if (message.finished) finished(message.finished);
      return;
    case 'snapshot':
      add(message.snapshot);
      render();
      return;
    case 'finished':
      finished(message.finish);
      return;
  }
});
vscode.postMessage({ type: 'ready' });
