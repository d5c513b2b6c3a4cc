/**
 * Starts dist/simulator.js as a child process (off the caller's thread: the editor stays responsive) and speaks
 * the typed protocol with it. The process is the simulator's only: a crash there is reported here as a
 * sentence, the caller keeps running. Used by the extension host and by the benchmark.
 */
import { fork, type ChildProcess } from 'node:child_process';
import type { FleetSnapshot } from './metrics';
import type { FleetReport } from './report';
import type { FromSimulator, RunRequest } from './simulatorProtocol';

const OUTPUT_LIMIT = 8192;
/** After a stop, the simulator has this long to disconnect its clients and report before it is killed. */
const STOP_GRACE_MS = 15_000;

/** A failure of the run that the user should read as is. */
export class SimulatorError extends Error {
  constructor(
    message: string,
    /** The simulator's last output, for the log. */
    readonly output = '',
  ) {
    super(message);
    this.name = 'SimulatorError';
  }
}

/** One simulator child process running one scenario. */
export class SimulatorProcess {
  /** Resolves with the report, or rejects with a SimulatorError. */
  readonly report: Promise<FleetReport>;
  private readonly child: ChildProcess;
  private output = '';
  private settled = false;
  private killTimer: NodeJS.Timeout | undefined;

  constructor(simulatorJs: string, request: RunRequest, onSnapshot: (snapshot: FleetSnapshot) => void) {
    this.child = fork(simulatorJs, [], {
      serialization: 'advanced',
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      execArgv: [],
      // Inside VS Code desktop, process.execPath is Electron; this makes it run as plain Node.
      env: { ...process.env, MQTT_WORKBENCH_SIMULATOR: 'ipc', ELECTRON_RUN_AS_NODE: '1' },
    });
    const keep = (chunk: Buffer): void => {
      this.output = (this.output + chunk.toString()).slice(-OUTPUT_LIMIT);
    };
    this.child.stdout?.on('data', keep);
    this.child.stderr?.on('data', keep);
    this.report = new Promise<FleetReport>((resolve, reject) => {
      const settle = (action: () => void): void => {
        if (this.settled) return;
        this.settled = true;
        if (this.killTimer) clearTimeout(this.killTimer);
        action();
      };
      this.child.on('message', (raw: unknown) => {
        const message = raw as FromSimulator;
        if (message.type === 'snapshot') onSnapshot(message.snapshot);
        else if (message.type === 'done') settle(() => resolve(message.report));
        else if (message.type === 'failed') settle(() => reject(new SimulatorError(message.message, this.output)));
      });
      this.child.on('error', (error) => settle(() => reject(new SimulatorError(`The simulator process could not start: ${error.message}`, this.output))));
      this.child.on('exit', (code, signal) => {
        settle(() => reject(new SimulatorError(`The simulator process stopped unexpectedly (${signal ? `signal ${signal}` : `exit code ${String(code)}`}); the run has no report. The editor is not affected.`, this.output)));
      });
    });
    this.child.send(request);
  }

  /** The simulator's process id. */
  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Asks the run to end (it still reports); kills the process if it has not reported within the grace time. */
  stop(): void {
    if (this.settled || !this.child.connected) return;
    this.child.send({ type: 'stop' });
    this.killTimer ??= setTimeout(() => this.kill(), STOP_GRACE_MS);
  }

  /** Ends the process at once (deactivate). */
  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }
}
