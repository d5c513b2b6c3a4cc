/**
 * The simulator as a child process of the extension host: one `run` request in, a snapshot a second out, the
 * report at the end. The host's `stop` ends the run early (still with a report); a lost parent ends it too.
 */
import { startSimulation, readScenarioText, type Simulation } from '../core/fleet/simulation';
import { isToSimulator, type FromSimulator } from '../core/fleet/simulatorProtocol';

function send(message: FromSimulator): void {
  process.send?.(message);
}

/** Serves the IPC channel until the run has reported. */
export function serveIpc(): void {
  let simulation: Simulation | undefined;
  let stopRequested = false;
  process.on('disconnect', () => {
    simulation?.stop();
    setTimeout(() => process.exit(0), 5000).unref();
  });
  process.on('message', (message: unknown) => {
    if (!isToSimulator(message)) {
      send({ type: 'failed', message: 'The simulator received a message it does not understand; the extension and dist/simulator.js are from different builds.' });
      return;
    }
    if (message.type === 'stop') {
      stopRequested = true;
      simulation?.stop();
      return;
    }
    const read = readScenarioText(message.scenarioText);
    if ('problems' in read) {
      send({ type: 'failed', message: read.problems.join('\n') });
      return;
    }
    try {
      simulation = startSimulation(
        { name: message.name, scenario: read.scenario, raw: read.raw, profile: message.profile, inputs: message.inputs, indexOffset: message.indexOffset, durationSeconds: message.durationSeconds, protoFiles: message.protoFiles },
        (snapshot) => send({ type: 'snapshot', snapshot }),
      );
    } catch (error) {
      send({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
      return;
    }
    if (stopRequested) simulation.stop();
    void simulation.report.then((report) => {
      send({ type: 'done', report });
      process.disconnect?.();
    });
  });
}
