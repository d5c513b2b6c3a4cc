import type { FleetReport } from './report';
import type { Percentiles } from './stats';

const ms = (value: number | undefined): string => (value === undefined ? '–' : `${value < 10 ? value.toFixed(2) : value.toFixed(1)} ms`);
const num = (value: number): string => (Number.isInteger(value) ? value.toLocaleString('en-US') : value.toLocaleString('en-US', { maximumFractionDigits: 1 }));
/** Table cells are text: a bar or a line break in a reason must not break the table. */
const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

function latencyRow(label: string, p: Percentiles): string {
  return `| ${label} | ${num(p.count)} | ${ms(p.p50)} | ${ms(p.p95)} | ${ms(p.p99)} | ${ms(p.max)} |`;
}

/** The Markdown report: what ran, where, the totals, the rates, the latency percentiles, the errors by reason. */
export function renderReportMarkdown(report: FleetReport): string {
  const lines: string[] = [`# Fleet report: ${cell(report.name)}`, ''];
  const stopped = report.runs.map((r) => r.stoppedBy).join(', ');
  lines.push(`Started ${report.runs[0]?.startedAt ?? '?'}, ran ${report.durationSeconds.toFixed(1)} s, ended by: ${stopped}.${report.runs.length > 1 ? ` Merged from ${report.runs.length} runs.` : ''}`, '');
  lines.push('## Summary', '', '| What | Value |', '| --- | --- |');
  const rows: Array<[string, string]> = [
    ['Clients (target)', num(report.clients.target)],
    ['Clients connected (peak)', num(report.clients.connectedPeak)],
    ['Clients refused (at the end)', num(report.clients.failedAtEnd)],
    ['Messages sent', num(report.totals.sent)],
    ['Messages acknowledged (QoS 1/2)', num(report.totals.acked)],
    ['Messages received (subscribers)', num(report.totals.received)],
    ['Requests answered', num(report.totals.requestsAnswered)],
    ['Reconnects', num(report.totals.reconnects)],
    ['Sends skipped (machine behind)', num(report.totals.skipped)],
    ['Sent per second (average / peak)', `${num(report.rates.sentPerSecond)} / ${num(report.rates.peakSentPerSecond)}`],
    ['Received per second (average)', num(report.rates.receivedPerSecond)],
    ['Bytes out / in', `${num(report.totals.bytesOut)} / ${num(report.totals.bytesIn)}`],
    ['Simulator CPU (peak, % of one core)', num(report.resources.peakCpuPercent)],
    ['Simulator memory (peak RSS)', `${num(report.resources.peakRssMB)} MB`],
  ];
  for (const [what, value] of rows) lines.push(`| ${what} | ${value} |`);
  lines.push('', '## Latency', '', '| Latency | Samples | p50 | p95 | p99 | max |', '| --- | --- | --- | --- | --- | --- |');
  lines.push(latencyRow('PUBACK/PUBCOMP (publish to acknowledgement)', report.ack), latencyRow('End to end (publish to receive)', report.endToEnd));
  lines.push('', '## Errors', '');
  if (report.errors.length === 0) lines.push('None.');
  else {
    lines.push('| Reason | Count |', '| --- | --- |');
    for (const { reason, count } of report.errors) lines.push(`| ${cell(reason)} | ${num(count)} |`);
  }
  lines.push('', '## Environment', '', '| Run | Host | Node | CPUs | Memory | First client index | Started |', '| --- | --- | --- | --- | --- | --- | --- |');
  report.runs.forEach((run, i) => {
    const e = run.environment;
    lines.push(`| ${i + 1} | ${cell(e.hostname)} (${cell(e.platform)}) | ${cell(e.node)} | ${e.cpus} × ${cell(e.cpuModel)} | ${e.memoryGB.toFixed(0)} GB | ${e.indexOffset} | ${run.startedAt} |`);
  });
  lines.push('', '## Scenario', '', '```json', JSON.stringify(report.scenario, null, 2), '```', '');
  return lines.join('\n');
}
