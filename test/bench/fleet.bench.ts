/**
 * Benchmark of the fleet simulator against a local mosquitto, driven the way the extension drives it: this
 * process plays the extension host (it starts dist/simulator.js through SimulatorProcess and receives one
 * snapshot a second) and measures its own event-loop delay meanwhile. A ladder of steps (clients x msg/s per
 * client, QoS 0, ~64-byte payloads, one measuring subscriber) finds the most clients and messages per second
 * sustained (median per-second send rate >= 95 % of the plan, host event-loop lag p99 < 50 ms). The Go/Eclipse
 * Paho reference generator (one goroutine per device, built now from Debian's packages) then runs the best step
 * in the same run, and the first step the simulator could not sustain (where both run flat out, so the ratio is
 * of their ceilings, not of a plan both meet); both print their end-to-end latency percentiles. Prints figures, asserts nothing; the last
 * line is one JSON object.
 *
 * Run: `npm run bench -- fleet` (or `node out/test/bench/fleet.bench.js` after `node scripts/build.mjs --tests`).
 */
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseProfile } from '../../src/core/profile';
import type { FleetSnapshot } from '../../src/core/fleet/metrics';
import { SimulatorProcess } from '../../src/core/fleet/simulatorProcess';
import { startMosquitto } from '../helpers/broker';
import { buildPaho, runPaho } from './pahoReference';

const SIMULATOR = join(__dirname, '..', '..', '..', 'dist', 'simulator.js');
const SECONDS = Number(process.env.MQTT_BENCH_FLEET_SECONDS ?? 6);
const PAYLOAD_BYTES = 64;
const LADDER: Array<{ clients: number; rate: number }> = [
  { clients: 250, rate: 20 },
  { clients: 500, rate: 20 },
  { clients: 1000, rate: 20 },
  { clients: 1000, rate: 24 },
  { clients: 1000, rate: 30 },
  { clients: 2000, rate: 20 },
];

const round = (n: number | undefined, digits = 2): number | null => (n === undefined || !Number.isFinite(n) ? null : Number(n.toFixed(digits)));
const median = (values: number[]): number => (values.length === 0 ? 0 : [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]);

/** One step: the simulator's figures and this process's event-loop delay meanwhile. */
async function step(url: string, clients: number, rate: number): Promise<Record<string, number | boolean | null>> {
  const parsed = parseProfile({ name: 'bench', host: '127.0.0.1', port: Number(new URL(url).port) }, 'bench');
  if (!parsed.profile) throw new Error(parsed.problems.join('; '));
  const pad = 'x'.repeat(PAYLOAD_BYTES - 24);
  const scenario = {
    broker: 'bench',
    clients,
    clientId: `fleet-${clients}-${rate}-{index}`,
    connectRate: 1000,
    duration: SECONDS,
    publish: [{ topic: 'fleet/{clientId}/telemetry', rate, qos: 0, payload: { seq: '{seq}', pad } }],
    subscribe: [{ filter: 'fleet/+/telemetry', qos: 0 }],
  };
  const lag = monitorEventLoopDelay({ resolution: 10 });
  lag.enable();
  const snapshots: FleetSnapshot[] = [];
  const run = new SimulatorProcess(SIMULATOR, { type: 'run', scenarioText: JSON.stringify(scenario), name: 'bench', profile: parsed.profile, inputs: {}, indexOffset: 0, protoFiles: [] }, (s) => snapshots.push(s));
  const report = await run.report;
  lag.disable();
  const steady = snapshots.filter((s) => s.clients.connected === clients && s.sentPerSecond > 0).map((s) => s.sentPerSecond);
  const medianRate = median(steady.slice(1, -1).length > 0 ? steady.slice(1, -1) : steady);
  const planned = clients * rate;
  const hostLagP99Ms = lag.percentile(99) / 1e6;
  return {
    clients,
    ratePerClient: rate,
    plannedPerSec: planned,
    medianSentPerSec: Math.round(medianRate),
    sustained: medianRate >= planned * 0.95 && hostLagP99Ms < 50 && report.clients.connectedPeak === clients,
    hostLagP99Ms: round(hostLagP99Ms),
    hostLagMaxMs: round(lag.max / 1e6),
    e2eP50Ms: round(report.endToEnd.p50),
    e2eP95Ms: round(report.endToEnd.p95),
    e2eP99Ms: round(report.endToEnd.p99),
    simulatorCpuPeakPercent: round(report.resources.peakCpuPercent, 0),
    simulatorRssPeakMB: round(report.resources.peakRssMB, 0),
    skipped: report.totals.skipped,
    errors: report.errors.reduce((sum, e) => sum + e.count, 0),
  };
}

async function main(): Promise<void> {
  const broker = await startMosquitto({ extraConfig: ['max_queued_messages 100000'] });
  try {
    const url = broker.url();
    const steps: Array<Record<string, number | boolean | null>> = [];
    for (const { clients, rate } of LADDER) {
      const figures = await step(url, clients, rate);
      console.log(JSON.stringify(figures));
      steps.push(figures);
      if (figures.sustained !== true) break;
    }
    const best = [...steps].reverse().find((s) => s.sustained === true);
    const reference = (best ?? steps[0]) as { clients: number; ratePerClient: number; medianSentPerSec: number; e2eP50Ms: number | null; e2eP95Ms: number | null; e2eP99Ms: number | null };
    const built = buildPaho();
    const paho = 'binary' in built ? await runPaho(built.binary, url, reference.clients, reference.ratePerClient, SECONDS, PAYLOAD_BYTES) : built;
    const pahoFigures = 'reason' in paho ? null : paho;
    console.log(`paho reference: ${JSON.stringify(paho)}`);
    const saturated = steps.find((s) => s.sustained !== true) as { clients: number; ratePerClient: number; plannedPerSec: number; medianSentPerSec: number } | undefined;
    const pahoAtSaturation = saturated && 'binary' in built ? await runPaho(built.binary, url, saturated.clients, saturated.ratePerClient, SECONDS, PAYLOAD_BYTES) : undefined;
    if (pahoAtSaturation) console.log(`paho at saturation: ${JSON.stringify(pahoAtSaturation)}`);
    const saturatedPaho = pahoAtSaturation && !('reason' in pahoAtSaturation) ? pahoAtSaturation : undefined;
    console.log(
      JSON.stringify({
        maxClientsSustained: best?.clients ?? null,
        maxMsgsPerSecSustained: best?.medianSentPerSec ?? null,
        hostLagP99MsAtMax: best?.hostLagP99Ms ?? null,
        comparedStep: `${reference.clients} clients x ${reference.ratePerClient} msg/s`,
        simulatorMsgsPerSec: reference.medianSentPerSec,
        pahoMsgsPerSec: pahoFigures ? Math.round(pahoFigures.medianPerSec) : null,
        ratioVsPaho: pahoFigures && pahoFigures.medianPerSec > 0 ? round(reference.medianSentPerSec / pahoFigures.medianPerSec) : null,
        simulatorE2eMs: { p50: reference.e2eP50Ms, p95: reference.e2eP95Ms, p99: reference.e2eP99Ms },
        pahoE2eMs: pahoFigures ? { p50: round(pahoFigures.e2eP50Ms), p95: round(pahoFigures.e2eP95Ms), p99: round(pahoFigures.e2eP99Ms) } : null,
        pahoReason: 'reason' in paho ? paho.reason : null,
        saturation: saturated
          ? {
              step: `${saturated.clients} clients x ${saturated.ratePerClient} msg/s (${saturated.plannedPerSec} planned)`,
              simulatorMsgsPerSec: saturated.medianSentPerSec,
              pahoMsgsPerSec: saturatedPaho ? Math.round(saturatedPaho.medianPerSec) : null,
              ratioVsPaho: saturatedPaho && saturatedPaho.medianPerSec > 0 ? round(saturated.medianSentPerSec / saturatedPaho.medianPerSec) : null,
              reason: saturatedPaho ? null : pahoAtSaturation && 'reason' in pahoAtSaturation ? pahoAtSaturation.reason : 'the reference could not run',
            }
          : { step: null, reason: 'every step of the ladder was sustained' },
      }),
    );
  } finally {
    await broker.stop();
  }
}

void main().catch((error: unknown) => {
  console.log(JSON.stringify({ maxClientsSustained: null, reason: error instanceof Error ? error.message : String(error) }));
});
