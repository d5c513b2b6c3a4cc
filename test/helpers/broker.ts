// Starts a real mosquitto (Debian's /usr/sbin/mosquitto) for a test: fresh temp dir, generated config,
// OS-assigned loopback ports, bounded waits, and a process-exit hook so no broker outlives its test run.
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { Socket } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Certificates } from './certs';
import { onProcessExit } from './cleanup';
import { mosquittoConfig, type ListenerPorts } from './mosquittoConfig';
import { acceptsConnections, freePort } from './ports';

const MOSQUITTO = '/usr/sbin/mosquitto';
const MOSQUITTO_PASSWD = '/usr/bin/mosquitto_passwd';
/** util-linux setpriv: lets the kernel SIGKILL mosquitto if the test process dies without cleaning up. */
const SETPRIV = '/usr/bin/setpriv';
const READY_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 5_000;
const START_ATTEMPTS = 3;
const OUTPUT_LIMIT = 16_384;

/** Options of {@link startMosquitto}. Every listener binds 127.0.0.1 on a port the OS picked. */
export interface BrokerOptions {
  /** Adds a TLS listener (server certificate only) presenting these certificates. */
  readonly tls?: Certificates;
  /** Which server certificate TLS listeners present: the valid one (default) or the wrong.example one. */
  readonly tlsCertificate?: 'server' | 'wrongHost';
  /** Adds a second TLS listener that requires a client certificate signed by the CA (needs `tls`). */
  readonly requireClientCert?: boolean;
  /** Username -> password. Creates a password_file and turns anonymous access off. */
  readonly users?: Readonly<Record<string, string>>;
  /** Adds a websockets listener (ws://, plain). */
  readonly websockets?: boolean;
  /** Keeps sessions and queued messages on disk across restart(); raises the queue to 200000 incl. QoS 0. */
  readonly persistence?: boolean;
  /** mosquitto `max_packet_size`, in bytes. */
  readonly maxPacketSize?: number;
  /** Raw config lines appended after the listeners (a `listener` line in them starts a new listener). */
  readonly extraConfig?: readonly string[];
}

/** The kinds of listener {@link Broker.url} can address. `mtls` is the client-certificate listener. */
export type ListenerKind = 'mqtt' | 'mqtts' | 'mtls' | 'ws';

/** A running mosquitto owned by the test that started it. */
export interface Broker extends ListenerPorts {
  readonly host: '127.0.0.1';
  /** Temp dir with mosquitto.conf, mosquitto.log, password file and persistence db. */
  readonly dir: string;
  /** Current pid (changes on restart). */
  readonly pid: number;
  /** e.g. `mqtt://127.0.0.1:PORT`; throws if that listener was not configured. */
  url(kind?: ListenerKind): string;
  /** SIGTERM, then waits for exit (SIGKILL after 5 s). Idempotent. */
  stop(): Promise<void>;
  /** SIGKILL (a crash: nothing saved since the last autosave), then waits for exit. */
  kill(): Promise<void>;
  /** Stops if running, then starts again with the same ports, config and persistence dir. */
  restart(): Promise<void>;
  /** SIGSTOP: the broker stops answering but keeps its sockets open (a hung broker). */
  pause(): void;
  /** SIGCONT after pause(). */
  resume(): void;
  /** The last lines of the broker log plus anything mosquitto wrote to stdout/stderr. */
  logTail(lines?: number): string;
}

/** Brokers whose process is running; killed by the exit hook. */
const live = new Set<MosquittoProcess>();
/** Temp dirs of every broker started here; removed at exit unless MQTT_WORKBENCH_KEEP_TEMP=1. */
const tempDirs = new Set<string>();
onProcessExit(() => {
  for (const broker of live) broker.forceKill();
  if (process.env.MQTT_WORKBENCH_KEEP_TEMP === '1') return;
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

class MosquittoProcess {
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  private output = '';
  private paused = false;

  constructor(
    readonly dir: string,
    private readonly configFile: string,
    private readonly logFile: string,
  ) {}

  get pid(): number {
    return this.child?.pid ?? -1;
  }

  get running(): boolean {
    return this.child !== undefined;
  }

  /** Spawns mosquitto and waits until it logs that it runs and every port accepts TCP connections. */
  async start(ports: readonly number[]): Promise<void> {
    const logStart = existsSync(this.logFile) ? statSync(this.logFile).size : 0;
    const args = ['-c', this.configFile];
    const [command, argv] = existsSync(SETPRIV) ? [SETPRIV, ['--pdeathsig', 'KILL', MOSQUITTO, ...args]] : [MOSQUITTO, args];
    const child = spawn(command, argv, { cwd: this.dir, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    this.paused = false;
    live.add(this);
    this.exited = new Promise((resolve) => {
      child.once('exit', () => {
        if (this.child === child) {
          this.child = undefined;
          live.delete(this);
        }
        resolve();
      });
    });
    const collect = (chunk: Buffer): void => {
      this.output = (this.output + chunk.toString()).slice(-OUTPUT_LIMIT);
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    child.once('error', (error) => collect(Buffer.from(`spawn error: ${error.message}\n`)));
    // A forgotten broker must not keep the test process alive; the exit hook kills it.
    child.unref();
    for (const stream of [child.stdout, child.stderr]) if (stream instanceof Socket) stream.unref();
    await this.waitReady(child, ports, logStart);
  }

  /** True once this start's part of the log says "mosquitto version X running" (all listeners are open). */
  private loggedRunning(logStart: number): boolean {
    if (!existsSync(this.logFile)) return false;
    return / mosquitto version \S+ running/.test(readFileSync(this.logFile).subarray(logStart).toString());
  }

  private async waitReady(child: ChildProcess, ports: readonly number[], logStart: number): Promise<void> {
    const deadline = Date.now() + READY_TIMEOUT_MS;
    // The log line proves these ports are mosquitto's (not another process that grabbed one meanwhile);
    // the TCP check proves they accept connections.
    const ready = async (): Promise<boolean> => {
      if (!this.loggedRunning(logStart)) return false;
      for (const port of ports) if (!(await acceptsConnections('127.0.0.1', port, 500))) return false;
      return true;
    };
    while (!(await ready())) {
      if (this.child !== child) throw new Error(`mosquitto exited while starting.\n${this.logTail()}`);
      if (Date.now() > deadline) {
        await this.signalAndWait('SIGKILL');
        throw new Error(`mosquitto was not ready on 127.0.0.1 ports ${ports.join(', ')} within ${READY_TIMEOUT_MS} ms.\n${this.logTail()}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  async signalAndWait(signal: NodeJS.Signals, timeoutMs = STOP_TIMEOUT_MS): Promise<boolean> {
    const child = this.child;
    if (child === undefined) return true;
    child.kill(signal);
    if (this.paused) child.kill('SIGCONT'); // a stopped process only acts on SIGTERM once continued
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    const ok = await Promise.race([this.exited.then(() => true), timedOut]);
    clearTimeout(timer);
    return ok;
  }

  async stop(): Promise<void> {
    if (await this.signalAndWait('SIGTERM')) return;
    if (!(await this.signalAndWait('SIGKILL'))) throw new Error(`mosquitto pid ${this.pid} did not exit after SIGKILL.`);
  }

  async kill(): Promise<void> {
    if (!(await this.signalAndWait('SIGKILL'))) throw new Error(`mosquitto pid ${this.pid} did not exit after SIGKILL.`);
  }

  signal(signal: 'SIGSTOP' | 'SIGCONT'): void {
    if (this.child === undefined) throw new Error('mosquitto is not running.');
    this.child.kill(signal);
    this.paused = signal === 'SIGSTOP';
  }

  forceKill(): void {
    this.child?.kill('SIGKILL');
  }

  logTail(lines = 40): string {
    const log = existsSync(this.logFile) ? readFileSync(this.logFile, 'utf8') : '(no log file yet)';
    const tail = log.trimEnd().split('\n').slice(-lines).join('\n');
    const output = this.output.trim() === '' ? '' : `\n--- mosquitto stdout/stderr ---\n${this.output.trimEnd()}`;
    return `--- ${this.logFile} (last ${lines} lines) ---\n${tail}${output}`;
  }
}

async function writePasswordFile(dir: string, users: Readonly<Record<string, string>>): Promise<string> {
  const file = join(dir, 'passwords');
  await writeFile(file, Object.entries(users).map(([user, password]) => `${user}:${password}\n`).join(''), { mode: 0o600 });
  // -U hashes every plain-text password in the file in place.
  await promisify(execFile)(MOSQUITTO_PASSWD, ['-U', file], { timeout: 10_000 });
  return file;
}

async function pickPorts(options: BrokerOptions): Promise<ListenerPorts> {
  const port = await freePort();
  const tlsPort = options.tls === undefined ? undefined : await freePort();
  const mtlsPort = options.requireClientCert === true ? await freePort() : undefined;
  const wsPort = options.websockets === true ? await freePort() : undefined;
  return { port, tlsPort, mtlsPort, wsPort };
}

/**
 * Starts mosquitto with a generated config in a fresh temp dir and waits until every listener accepts
 * TCP connections (bounded; the error carries the log tail). Always call `stop()` when done.
 */
export async function startMosquitto(options: BrokerOptions = {}): Promise<Broker> {
  if (options.requireClientCert === true && options.tls === undefined) {
    throw new Error('startMosquitto: requireClientCert needs tls certificates.');
  }
  const dir = await mkdtemp(join(tmpdir(), 'mqtt-workbench-broker-'));
  tempDirs.add(dir);
  const users = options.users;
  const passwordFile = users === undefined ? undefined : await writePasswordFile(dir, users);
  const configFile = join(dir, 'mosquitto.conf');
  const logFile = join(dir, 'mosquitto.log');
  const broker = new MosquittoProcess(dir, configFile, logFile);
  let ports: ListenerPorts | undefined;
  for (let attempt = 1; ports === undefined; attempt++) {
    const candidate = await pickPorts(options);
    await writeFile(configFile, mosquittoConfig({
      dir, ports: candidate, logFile, passwordFile, tls: options.tls, tlsCertificate: options.tlsCertificate ?? 'server',
      persistence: options.persistence === true, maxPacketSize: options.maxPacketSize,
      extraConfig: options.extraConfig ?? [], runAsRoot: process.getuid?.() === 0,
    }));
    try {
      await broker.start(portList(candidate));
      ports = candidate;
    } catch (error) {
      // Another process may have taken a port between freePort() and mosquitto's bind: pick new ones.
      if (attempt >= START_ATTEMPTS || !broker.logTail().includes('Address already in use')) throw error;
    }
  }
  return makeHandle(broker, ports);
}

function portList(ports: ListenerPorts): number[] {
  return [ports.port, ports.tlsPort, ports.mtlsPort, ports.wsPort].filter((port): port is number => port !== undefined);
}

function makeHandle(broker: MosquittoProcess, ports: ListenerPorts): Broker {
  const schemes: Record<ListenerKind, [string, number | undefined]> = {
    mqtt: ['mqtt', ports.port],
    mqtts: ['mqtts', ports.tlsPort],
    mtls: ['mqtts', ports.mtlsPort],
    ws: ['ws', ports.wsPort],
  };
  return {
    host: '127.0.0.1',
    ...ports,
    dir: broker.dir,
    get pid() {
      return broker.pid;
    },
    url(kind: ListenerKind = 'mqtt') {
      const [scheme, port] = schemes[kind];
      if (port === undefined) throw new Error(`This broker has no ${kind} listener (see BrokerOptions).`);
      return `${scheme}://127.0.0.1:${port}`;
    },
    stop: () => broker.stop(),
    kill: () => broker.kill(),
    async restart() {
      if (broker.running) await broker.stop();
      await broker.start(portList(ports));
    },
    pause: () => broker.signal('SIGSTOP'),
    resume: () => broker.signal('SIGCONT'),
    logTail: (lines?: number) => broker.logTail(lines),
  };
}
