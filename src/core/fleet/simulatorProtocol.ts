/**
 * The typed messages between the process that starts a fleet run (the extension host, or a benchmark) and the
 * simulator child process (dist/simulator.js), sent over Node's IPC channel with `serialization: 'advanced'`
 * (Uint8Array crosses as is). Secrets and certificate bytes cross only here, never through a file.
 */
import type { ConnectInputs } from '../clientOptions';
import type { ProtoFile } from '../payload';
import type { ConnectionProfile } from '../profile';
import type { FleetSnapshot } from './metrics';
import type { FleetReport } from './report';

/** Everything the simulator needs to run a scenario. */
export interface RunRequest {
  type: 'run';
  /** The scenario file's text (parsed and validated again in the simulator). */
  scenarioText: string;
  /** Name for the report (the file name without .mqttsim.json). */
  name: string;
  profile: ConnectionProfile;
  /** Secrets and TLS bytes, read by the host. */
  inputs: Omit<ConnectInputs, 'clientId'>;
  indexOffset: number;
  /** Overrides the scenario's duration (a task's `durationSeconds`). */
  durationSeconds?: number;
  protoFiles: ProtoFile[];
}

/** From the host. */
export type ToSimulator = RunRequest | { type: 'stop' };

/** From the simulator. */
export type FromSimulator =
  | { type: 'snapshot'; snapshot: FleetSnapshot }
  | { type: 'done'; report: FleetReport }
  | { type: 'failed'; message: string };

/** The simulator's check of a message from the host (the channel is ours, but a wrong build must fail clearly). */
export function isToSimulator(value: unknown): value is ToSimulator {
  if (typeof value !== 'object' || value === null) return false;
  if ((value as { type?: unknown }).type === 'stop') return true;
  const m = value as Partial<RunRequest>;
  return m.type === 'run' && typeof m.scenarioText === 'string' && typeof m.name === 'string' && typeof m.profile === 'object' && typeof m.inputs === 'object' && typeof m.indexOffset === 'number' && Array.isArray(m.protoFiles);
}
