/**
 * One run from a scenario's text to its report, shared by the headless command line and the simulator process
 * the editor starts: parse and validate, build the MQTT.js options from the connection profile, run, report.
 */
import { cpus, hostname, totalmem } from 'node:os';
import { buildClientOptions, type ConnectInputs } from '../clientOptions';
import { checkTlsMaterial } from '../connectFailures';
import { ProtoRegistry, type ProtoFile } from '../payload';
import { parseJson } from '../payload/json';
import type { ConnectionProfile } from '../profile';
import { FleetRun } from './fleetRunner';
import type { FleetSnapshot } from './metrics';
import { buildReport, type FleetReport } from './report';
import { parseScenario, type Scenario } from './scenario';

/** A scenario file's text read into a scenario, or the sentences of every problem. */
export function readScenarioText(text: string): { scenario: Scenario; raw: unknown } | { problems: string[] } {
  const json = parseJson(text.replace(/^\uFEFF/, ''));
  if (!json.ok) return { problems: [json.error] };
  const parsed = parseScenario(json.value);
  return parsed.scenario ? { scenario: parsed.scenario, raw: json.value } : { problems: parsed.problems };
}

/** What one run needs besides the scenario. */
export interface SimulationInput {
  name: string;
  scenario: Scenario;
  raw: unknown;
  profile: ConnectionProfile;
  inputs: Omit<ConnectInputs, 'clientId'>;
  indexOffset: number;
  durationSeconds?: number;
  protoFiles: readonly ProtoFile[];
}

/** A started simulation: stop it, or wait for its report. */
export interface Simulation {
  stop(): void;
  report: Promise<FleetReport>;
}

/** Starts a run; throws an Error with a sentence when the TLS material or the .proto files are unusable. */
export function startSimulation(input: SimulationInput, onSnapshot: (snapshot: FleetSnapshot) => void): Simulation {
  const tlsProblem = checkTlsMaterial(input.profile, { clientId: 'check', ...input.inputs });
  if (tlsProblem) throw new Error(tlsProblem);
  let proto: ProtoRegistry | undefined;
  if (input.protoFiles.length > 0) {
    const { registry, errors } = ProtoRegistry.fromFiles(input.protoFiles);
    if (errors.length > 0) throw new Error(errors.map((e) => e.message).join('\n'));
    proto = registry;
  }
  const scenario: Scenario = input.durationSeconds === undefined ? input.scenario : { ...input.scenario, durationSeconds: input.durationSeconds };
  const baseOptions = buildClientOptions(input.profile, { clientId: 'unused', ...input.inputs });
  const timeline: FleetSnapshot[] = [];
  const run = new FleetRun({
    scenario,
    baseOptions,
    indexOffset: input.indexOffset,
    proto,
    onSnapshot: (snapshot) => {
      timeline.push(snapshot);
      if (timeline.length > 7200) timeline.splice(0, timeline.length - 7200);
      onSnapshot(snapshot);
    },
  });
  const environment = {
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    memoryGB: totalmem() / 1024 ** 3,
    hostname: hostname(),
    indexOffset: input.indexOffset,
  };
  return { stop: () => run.stop(), report: run.done.then((result) => buildReport(input.name, input.raw, result, environment, timeline)) };
}
