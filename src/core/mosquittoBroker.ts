import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { dirname } from 'node:path';
import * as mqtt from 'mqtt';
import { Emitter } from './emitter';
import { describeAddress, type LocalBrokerAddress, type LocalBrokerOptions } from './localBroker';
import { listenError, type Listener } from './localBrokerErrors';
import { SingleStart, type LocalBrokerEngine } from './localBrokerEngine';
import { mosquittoConfig, mosquittoErrorLine } from './mosquittoConfig';
import { MosquittoError, type MosquittoProgram } from './mosquittoProbe';

/** util-linux setpriv: `--pdeathsig KILL` makes the kernel kill mosquitto when the process that started it dies. */
const SETPRIV = '/usr/bin/setpriv';
const START_TIMEOUT_MS = 15_000;
const STOP_TIMEOUT_MS = 5_000;
const OUTPUT_LIMIT = 16_384;
const CLIENTS_TOPIC = '$SYS/broker/clients/connected';

/** Where a {@link MosquittoBroker} writes its config and how it reports its log. */
export interface MosquittoBrokerOptions {
  readonly program: MosquittoProgram;
  /** The mosquitto.conf to (re)write at every start. */
  readonly configFile: string;
  /** Every line mosquitto prints (its log). */
  readonly log?: (line: string) => void;
}

interface Running {
  readonly child: ChildProcess;
  readonly address: LocalBrokerAddress;
  readonly watcher: mqtt.MqttClient;
  /** Resolves when the process has exited. */
  readonly exited: Promise<void>;
  stopping: boolean;
}

/**
 * mosquitto as a child process of this one (MQTT 3.1, 3.1.1 and 5): writes its config, starts it, waits until it
 * logs "running", and reads the client count from $SYS with a watcher client. On Linux it is started through
 * setpriv so that it dies with this process even when this one is killed; stop() and dispose end it by pid.
 */
export class MosquittoBroker implements LocalBrokerEngine {
  readonly engine = 'mosquitto';
  readonly protocolVersion = '5';
  readonly label: string;
  private running: Running | undefined;
  private readonly single = new SingleStart();
  private clients = 0;
  private readonly changeEmitter = new Emitter<void>();
  private readonly crashEmitter = new Emitter<string>();
  readonly onChange = this.changeEmitter.event;
  readonly onCrash = this.crashEmitter.event;

  constructor(private readonly options: MosquittoBrokerOptions) {
    this.label = `mosquitto ${options.program.version.split('.').slice(0, 2).join('.')}`;
  }

  get address(): LocalBrokerAddress | undefined {
    return this.running?.address;
  }

  get clientCount(): number {
    return this.running ? this.clients : 0;
  }

  /** The pid of the mosquitto process, while it runs. */
  get pid(): number | undefined {
    return this.running?.child.pid;
  }

  start(options: LocalBrokerOptions): Promise<LocalBrokerAddress> {
    return this.single.start(this.running !== undefined, () => this.open(options));
  }

  /** Sends SIGTERM (mosquitto saves its database and exits), SIGKILL after 5 s; resolves once it has exited. */
  stop(): Promise<void> {
    const running = this.running;
    if (!running) return this.single.stopWhenStarted(() => this.stop());
    this.running = undefined;
    running.stopping = true;
    running.watcher.end(true);
    running.child.kill('SIGTERM');
    const timer = setTimeout(() => running.child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    this.changeEmitter.fire();
    return running.exited.finally(() => clearTimeout(timer));
  }

  private async open(options: LocalBrokerOptions): Promise<LocalBrokerAddress> {
    // Binding each port for a moment first gives the same sentences as the embedded broker (and its
    // "Choose Another Port"); 0 becomes a port the OS says is free, as mosquitto cannot be asked for port 0.
    const port = await probePort(options.host, options.port, 'port');
    const wsPort = options.wsPort === undefined ? undefined : await probePort(options.host, options.wsPort, 'websocketPort');
    if (options.dataDir !== undefined) await mkdir(options.dataDir, { recursive: true });
    await mkdir(dirname(this.options.configFile), { recursive: true });
    const user = process.getuid?.() === 0 ? 'root' : undefined;
    const config = mosquittoConfig({ host: options.host, port, wsPort, dataDir: options.dataDir, anonymousOffLoopback: options.anonymousOffLoopback, user });
    await writeFile(this.options.configFile, config, { mode: 0o600 });

    const child = this.spawn();
    let output = '';
    const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
    const ready = new Promise<void>((resolve, reject) => {
      const onLine = (line: string): void => {
        output = `${output}${line}\n`.slice(-OUTPUT_LIMIT);
        this.options.log?.(line);
        if (/mosquitto version \S+ running/.test(line)) resolve();
      };
      forEachLine(child, onLine);
      child.once('error', (error) => reject(new MosquittoError(`mosquitto could not be started from ${this.options.program.path}: ${error.message}`)));
      child.once('close', (code, signal) => reject(new MosquittoError(`mosquitto did not start: ${mosquittoErrorLine(output) ?? `it exited with ${signal ?? `code ${String(code)}`}`}`)));
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), START_TIMEOUT_MS);
    try {
      await ready;
      const address = describeAddress(options.host, port, wsPort);
      const watcher = await this.watch(address);
      const running: Running = { child, address, watcher, exited, stopping: false };
      this.running = running;
      child.once('close', (code, signal) => this.exitedOnItsOwn(running, output, code, signal));
      this.changeEmitter.fire();
      return address;
    } catch (error) {
      child.kill('SIGKILL');
      await exited;
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  private spawn(): ChildProcess {
    const args = ['-c', this.options.configFile];
    const path = this.options.program.path;
    const [command, argv] = process.platform === 'linux' && existsSync(SETPRIV) ? [SETPRIV, ['--pdeathsig', 'KILL', '--', path, ...args]] : [path, args];
    return spawn(command, argv, { stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
  }

  /** Connects the watcher that follows `$SYS/broker/clients/connected` (mosquitto counts the watcher too). */
  private async watch(address: LocalBrokerAddress): Promise<mqtt.MqttClient> {
    const watcher = await mqtt.connectAsync(address.url, { protocolVersion: 5, clientId: `mqtt-workbench-watch-${process.pid}`, reconnectPeriod: 1_000, connectTimeout: 5_000 });
    watcher.on('message', (_topic, payload) => {
      const count = Math.max(0, Number(payload.toString()) - 1);
      if (Number.isFinite(count) && count !== this.clients) {
        this.clients = count;
        this.changeEmitter.fire();
      }
    });
    watcher.on('error', () => undefined); // it reconnects; a crash of mosquitto is reported by the process exit
    await watcher.subscribeAsync(CLIENTS_TOPIC, { qos: 0 });
    return watcher;
  }

  private exitedOnItsOwn(running: Running, output: string, code: number | null, signal: NodeJS.Signals | null): void {
    if (running.stopping) return;
    running.watcher.end(true);
    if (this.running === running) this.running = undefined;
    this.clients = 0;
    const lastError = output.split('\n').filter((line) => /^Error/i.test(line)).at(-1);
    const why = lastError ?? `it exited with ${signal ?? `code ${String(code)}`}`;
    this.changeEmitter.fire();
    this.crashEmitter.fire(`The local broker (mosquitto) stopped unexpectedly: ${why}`);
  }
}

/** Calls `onLine` for every line of the child's stdout and stderr. */
function forEachLine(child: ChildProcess, onLine: (line: string) => void): void {
  for (const stream of [child.stdout, child.stderr]) {
    let rest = '';
    stream?.on('data', (chunk: Buffer) => {
      const lines = (rest + chunk.toString()).split(/\r?\n/);
      rest = lines.pop() ?? '';
      for (const line of lines) if (line.length > 0) onLine(line);
    });
  }
}

/** Binds and releases `port` on `host` (0: a free one the OS picks); resolves with the port or rejects with the listen error. */
function probePort(host: string, port: number, listener: Listener): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) => reject(listenError(error, host, port, listener)));
    server.listen({ port, host, exclusive: true }, () => {
      const bound = server.address();
      server.close(() => (typeof bound === 'object' && bound !== null ? resolve(bound.port) : reject(new Error('no port'))));
    });
  });
}
