// References the pipeline benchmark measures beside the bare MQTT.js client: mosquitto's own C client draining the
// same backlog (the physical anchor of this machine), and a spinning process that keeps one core busy.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { FILTER, type BacklogSpec } from './backlog';

const MOSQUITTO_SUB = '/usr/bin/mosquitto_sub';

/** A measured time, or why there is none. */
export type Timed = { ms: number } | { ms: null; why: string };

/**
 * Drains the backlog of `spec.clientId` with `mosquitto_sub` (C, libmosquitto) to /dev/null: the same persistent
 * MQTT 5 session and filter as the MQTT.js drains; it exits by itself after `spec.messages` messages (-C) and gives
 * up after `timeoutSeconds` without a message (-W). Resolves with the ms from start to exit.
 */
export async function drainWithMosquittoSub(spec: BacklogSpec, port: number, timeoutSeconds = 120): Promise<Timed> {
  if (!existsSync(MOSQUITTO_SUB)) return { ms: null, why: `${MOSQUITTO_SUB} is not installed (apt-get install mosquitto-clients)` };
  const args = ['-h', '127.0.0.1', '-p', String(port), '-V', 'mqttv5', '-i', spec.clientId, '-c', '-x', '3600', '-q', '1', '-t', FILTER, '-C', String(spec.messages), '-W', String(timeoutSeconds)];
  const started = performance.now();
  const child = spawn(MOSQUITTO_SUB, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
  const code = await new Promise<number | null>((resolve) => {
    child.once('error', () => resolve(null));
    child.once('close', (exitCode) => resolve(exitCode));
  });
  const ms = performance.now() - started;
  return code === 0 ? { ms } : { ms: null, why: `mosquitto_sub exited with ${String(code)}${stderr ? `: ${stderr.trim()}` : ''}` };
}

/** A process spinning on one core until stopped (a second process, so this process's CPU figures stay its own). */
export interface BusyCore {
  stop(): Promise<void>;
}

/** Starts a Node process that spins (a tight loop) on one core. */
export function busyCore(): BusyCore {
  const child: ChildProcess = spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
