/**
 * The headless simulator: `node dist/simulator.js scenario.mqttsim.json [--report out.md] [--index-offset N]
 * [--duration S] [--settings settings.json] [--max-clients N] [--max-rate N] [--yes]`, or
 * `node dist/simulator.js --merge a.json b.json [--report out.md]`. Same validation, progress once a second,
 * the same Markdown + JSON report as the editor. Exit code 0 done, 1 the run failed, 2 bad input.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { DEFAULT_CEILING, overLimits } from '../core/fleet/limits';
import type { FleetSnapshot } from '../core/fleet/metrics';
import { isFleetReport, mergeReports, type FleetReport } from '../core/fleet/report';
import { jsonBeside, reportPaths, scenarioName } from '../core/fleet/reportFiles';
import { renderReportMarkdown } from '../core/fleet/reportMarkdown';
import { readScenarioText, startSimulation } from '../core/fleet/simulation';
import { cliConnection } from './cliConnection';

const USAGE = 'Usage: node dist/simulator.js <scenario.mqttsim.json> [--report out.md] [--index-offset N] [--duration S] [--settings settings.json] [--max-clients N] [--max-rate N] [--yes]\n       node dist/simulator.js --merge a.json b.json ... [--report out.md]';

/** Parsed command line. */
interface CliArguments {
  files: string[];
  merge: boolean;
  report?: string;
  indexOffset: number;
  duration?: number;
  settings?: string;
  maxClients: number;
  maxRate: number;
  yes: boolean;
}

function parseArguments(argv: readonly string[]): CliArguments | { error: string } {
  const args: CliArguments = { files: [], merge: false, indexOffset: 0, maxClients: DEFAULT_CEILING.maxClients, maxRate: DEFAULT_CEILING.maxMessagesPerSecond, yes: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = (): string | undefined => argv[++i];
    const count = (name: string, min: number): number | { error: string } => {
      const n = Number(value());
      return Number.isFinite(n) && n >= min ? n : { error: `${name} needs a number of at least ${min}.` };
    };
    let parsed: number | { error: string } = 0;
    if (arg === '--merge') args.merge = true;
    else if (arg === '--yes') args.yes = true;
    else if (arg === '--report') args.report = value();
    else if (arg === '--settings') args.settings = value();
    else if (arg === '--index-offset') parsed = count(arg, 0);
    else if (arg === '--duration') parsed = count(arg, 0.001);
    else if (arg === '--max-clients') parsed = count(arg, 1);
    else if (arg === '--max-rate') parsed = count(arg, 1);
    else if (arg.startsWith('--')) return { error: `Unknown option ${arg}.\n${USAGE}` };
    else args.files.push(arg);
    if (typeof parsed === 'object') return parsed;
    if (arg === '--index-offset') args.indexOffset = Math.floor(parsed);
    if (arg === '--duration') args.duration = parsed;
    if (arg === '--max-clients') args.maxClients = parsed;
    if (arg === '--max-rate') args.maxRate = parsed;
  }
  if (args.files.length === 0 || (!args.merge && args.files.length > 1)) return { error: USAGE };
  return args;
}

const fmt = (n: number | undefined, digits = 0): string => (n === undefined ? '–' : n.toLocaleString('en-US', { maximumFractionDigits: digits }));

/** One console line a second. */
export function progressLine(s: FleetSnapshot): string {
  const errors = s.errors.reduce((sum, e) => sum + e.count, 0);
  return `${s.elapsedSeconds.toFixed(0).padStart(5)} s  clients ${s.clients.connected}/${s.clients.target} (${s.clients.connecting} connecting, ${s.clients.failed} failed)  sent ${fmt(s.sentPerSecond)}/s  acked ${fmt(s.ackedPerSecond)}/s  received ${fmt(s.receivedPerSecond)}/s  ack p99 ${fmt(s.ack.p99, 2)} ms  e2e p99 ${fmt(s.endToEnd.p99, 2)} ms  errors ${errors}`;
}

function writeReport(report: FleetReport, markdownPath: string): void {
  writeFileSync(markdownPath, renderReportMarkdown(report));
  writeFileSync(jsonBeside(markdownPath), `${JSON.stringify(report, null, 2)}\n`);
  console.log(`Report: ${markdownPath} (and ${jsonBeside(markdownPath)})`);
}

function merge(args: CliArguments): number {
  const reports: FleetReport[] = [];
  for (const file of args.files) {
    let value: unknown;
    try {
      value = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      console.error(`${file} could not be read as JSON: ${error instanceof Error ? error.message : String(error)}`);
      return 2;
    }
    if (!isFleetReport(value)) {
      console.error(`${file} is not a fleet report (.json written by a run).`);
      return 2;
    }
    reports.push(value);
  }
  const merged = mergeReports(reports);
  writeReport(merged, resolve(args.report ?? reportPaths(join(dirname(args.files[0]), `${merged.name}-merged.mqttsim.json`), new Date()).markdown));
  return 0;
}

async function run(args: CliArguments): Promise<number> {
  const file = resolve(args.files[0]);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    console.error(`The scenario file ${file} cannot be read.`);
    return 2;
  }
  const read = readScenarioText(text);
  if ('problems' in read) {
    console.error(`${file}:\n${read.problems.map((p) => `  ${p}`).join('\n')}`);
    return 2;
  }
  const over = overLimits(read.scenario, { maxClients: args.maxClients, maxMessagesPerSecond: args.maxRate });
  if (over.length > 0 && !args.yes) {
    console.error(`${over.join('\n')}\nAdd --yes to run anyway, or raise --max-clients / --max-rate.`);
    return 2;
  }
  const connection = cliConnection(read.scenario.broker, file, args.settings);
  if ('error' in connection) {
    console.error(connection.error);
    return 2;
  }
  const protoFiles = read.scenario.protoFiles.map((name) => ({ fileName: name, source: readFileSync(resolve(dirname(file), name), 'utf8') }));
  const simulation = startSimulation({ name: scenarioName(file), scenario: read.scenario, raw: read.raw, ...connection, indexOffset: args.indexOffset, durationSeconds: args.duration, protoFiles }, (snapshot) => console.log(progressLine(snapshot)));
  process.once('SIGINT', () => {
    console.log('Stopping (Ctrl+C): disconnecting the clients and writing the report...');
    simulation.stop();
  });
  const report = await simulation.report;
  writeReport(report, resolve(args.report ?? reportPaths(file, new Date(report.runs[0].startedAt)).markdown));
  for (const { reason, count } of report.errors) console.log(`  ${count} × ${reason}`);
  return 0;
}

/** Runs the command line; resolves with the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const args = parseArguments(argv);
  if ('error' in args) {
    console.error(args.error);
    return 2;
  }
  if (args.merge) return merge(args);
  try {
    return await run(args);
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    return 1;
  }
}
