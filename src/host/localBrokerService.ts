import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { Emitter, type Listenable } from '../core/emitter';
import { LocalBroker, type LocalBrokerAddress } from '../core/localBroker';
import { chooseEngine, type LocalBrokerEngine, type LocalBrokerEngineName, type LocalBrokerEngineSetting } from '../core/localBrokerEngine';
import { listenOptions, type LocalBrokerSettings } from '../core/localBrokerOptions';
import { MosquittoBroker } from '../core/mosquittoBroker';
import { locateMosquitto } from '../core/mosquittoProbe';
import { LOCAL_BROKER_SECTION } from './localBrokerSettings';
import type { Logger } from './log';

const PATH_SETTING = `${LOCAL_BROKER_SECTION}.mosquittoPath`;

/** How one start runs: the engine chosen from the settings, and whether anonymous clients off loopback were confirmed. */
export interface StartRequest {
  readonly settings: LocalBrokerSettings;
  /** Overrides `settings.engine` (the "Use Embedded Broker" action). */
  readonly engine?: LocalBrokerEngineSetting;
  readonly anonymousOffLoopback?: boolean;
}

/**
 * The local broker of this window, whichever engine runs it: picks the engine at each start (setting
 * `mqttWorkbench.localBroker.engine`, the mosquitto at `mosquittoPath` or on PATH), keeps its data under the
 * extension's global storage (one folder per engine) when `persistence` is on, forwards its changes, and
 * remembers a crash for the status bar.
 */
export class LocalBrokerService implements vscode.Disposable {
  private engine: LocalBrokerEngine | undefined;
  private engineSubscriptions: Array<{ dispose(): void }> = [];
  private crash: string | undefined;
  private readonly changeEmitter = new Emitter<void>();
  private readonly crashEmitter = new Emitter<string>();
  /** Fires when the broker starts, stops, crashes or its client count changes. */
  readonly onChange: Listenable<void> = this.changeEmitter.event;
  /** Fires with the sentence when the running broker stopped on its own. */
  readonly onCrash: Listenable<string> = this.crashEmitter.event;

  constructor(
    private readonly storage: vscode.Uri,
    private readonly log: Logger,
  ) {}

  get address(): LocalBrokerAddress | undefined {
    return this.engine?.address;
  }

  get clientCount(): number {
    return this.engine?.clientCount ?? 0;
  }

  /** The engine that runs (or ran last): "aedes", "mosquitto 2.0". */
  get label(): string | undefined {
    return this.engine?.label;
  }

  /** The MQTT version a "Local broker" connection uses with the running engine. */
  get protocolVersion(): '5' | '3.1.1' | undefined {
    return this.engine?.protocolVersion;
  }

  /** Why the broker stopped on its own, until the next start or stop. */
  get crashed(): string | undefined {
    return this.crash;
  }

  /** The folder that holds the local broker's config and data. */
  get dataRoot(): string {
    return join(this.storage.fsPath, 'local-broker');
  }

  /** Starts the engine the settings choose; rejects with a sentence (a SessionError) and leaves nothing running. */
  async start(request: StartRequest): Promise<LocalBrokerAddress> {
    if (this.address) throw new Error('The local broker is already running; stop it first.');
    const engine = await this.createEngine(request.engine ?? request.settings.engine);
    this.use(engine);
    this.crash = undefined;
    const persistence = vscode.workspace.getConfiguration(LOCAL_BROKER_SECTION).get<unknown>('persistence') !== false;
    const started = performance.now();
    const address = await engine.start({
      ...listenOptions(request.settings),
      ...(persistence ? { dataDir: join(this.dataRoot, engine.engine) } : {}),
      anonymousOffLoopback: request.anonymousOffLoopback === true,
    });
    const pid = engine instanceof MosquittoBroker ? ` (pid ${String(engine.pid)})` : '';
    this.log.info(`${engine.label}${pid} started in ${(performance.now() - started).toFixed(0)} ms${persistence ? `; data in ${join(this.dataRoot, engine.engine)}` : '; persistence off'}`);
    return address;
  }

  /** Stops the running engine (it saves its data first). Resolves when its ports are free. */
  async stop(): Promise<void> {
    this.crash = undefined;
    await this.engine?.stop();
    this.changeEmitter.fire();
  }

  /** Stops the broker if it runs, then deletes the saved retained messages and sessions of both engines. */
  async clearData(): Promise<void> {
    await this.stop();
    const engines: LocalBrokerEngineName[] = ['embedded', 'mosquitto'];
    await Promise.all(engines.map((name) => rm(join(this.dataRoot, name), { recursive: true, force: true })));
  }

  private async createEngine(setting: LocalBrokerEngineSetting): Promise<LocalBrokerEngine> {
    const configured = vscode.workspace.getConfiguration(LOCAL_BROKER_SECTION).get<unknown>('mosquittoPath');
    const search = { configuredPath: typeof configured === 'string' ? configured : '', setting: PATH_SETTING, required: setting === 'mosquitto' };
    const program = setting === 'embedded' ? undefined : await locateMosquitto(search);
    if (chooseEngine(setting, program !== undefined) === 'embedded' || program === undefined) return new LocalBroker();
    return new MosquittoBroker({ program, configFile: join(this.dataRoot, 'mosquitto.conf'), log: (line) => this.log.info(`[mosquitto] ${line}`) });
  }

  private use(engine: LocalBrokerEngine): void {
    for (const subscription of this.engineSubscriptions) subscription.dispose();
    this.engine = engine;
    this.engineSubscriptions = [
      engine.onChange(() => this.changeEmitter.fire()),
      engine.onCrash((sentence) => {
        this.crash = sentence; // logged by the notification that tells it
        this.changeEmitter.fire();
        this.crashEmitter.fire(sentence);
      }),
    ];
  }

  dispose(): void {
    void this.engine?.stop();
    for (const subscription of this.engineSubscriptions) subscription.dispose();
    this.changeEmitter.dispose();
    this.crashEmitter.dispose();
  }
}
