import * as vscode from 'vscode';
import { LOCAL_BROKER_PROTOCOL_VERSION, LocalBrokerError, type LocalBrokerAddress } from '../../core/localBroker';
import type { LocalBrokerEngineSetting } from '../../core/localBrokerEngine';
import { isLoopbackAddress, validatePortText, type LocalBrokerSettings } from '../../core/localBrokerOptions';
import { MosquittoError } from '../../core/mosquittoProbe';
import type { ConnectionProfile } from '../../core/profile';
import { SessionError } from '../../core/session';
import type { ConnectionManager } from '../connections';
import { trackLocalBrokerRunning } from '../contextKeys';
import { LOCAL_BROKER_SECTION, localBrokerSettings, saveLocalBrokerSetting } from '../localBrokerSettings';
import { LocalBrokerService } from '../localBrokerService';
import { LOCAL_BROKER_MENU_COMMAND, LocalBrokerStatusBar } from '../localBrokerStatusBar';
import type { Logger } from '../log';
import type { ProfileSecrets } from '../secrets';
import { addConnection } from './addConnection';
import { reportFailure, uniqueName } from './connectionCommands';

const START = 'Start Local Broker';
const ADD_CONNECTION = "Add 'Local broker' connection";
const USE_EMBEDDED = 'Use Embedded Broker';

/** The broker of this window, for {@link stopLocalBrokerOnExit}. */
let current: LocalBrokerService | undefined;

/**
 * The local broker of this window: `mqttWorkbench.startLocalBroker` (argument `{ port?, bindAddress?,
 * websocketPort?, engine? }`, resolves with the broker URL), `mqttWorkbench.stopLocalBroker`,
 * `mqttWorkbench.clearLocalBrokerData`, and its status bar item. Disposing stops it.
 */
export function registerLocalBroker(connections: ConnectionManager, secrets: ProfileSecrets, log: Logger, storage: vscode.Uri): vscode.Disposable[] {
  const broker = new LocalBrokerService(storage, log);
  current = broker;
  const flows = new LocalBrokerFlows(broker, connections, secrets, log);
  return [
    new LocalBrokerStatusBar(broker),
    trackLocalBrokerRunning(broker),
    broker.onCrash((sentence) => flows.crashed(sentence)),
    vscode.commands.registerCommand('mqttWorkbench.startLocalBroker', (argument: unknown) => flows.start(argument)),
    vscode.commands.registerCommand('mqttWorkbench.stopLocalBroker', () => flows.stop()),
    vscode.commands.registerCommand('mqttWorkbench.clearLocalBrokerData', () => flows.clearData()),
    vscode.commands.registerCommand(LOCAL_BROKER_MENU_COMMAND, () => flows.menu()),
    broker,
  ];
}

/** For deactivate: stops the local broker and waits until it saved its data (mosquitto: until its process exited). */
export function stopLocalBrokerOnExit(): Promise<void> | undefined {
  return current?.stop().catch(() => undefined);
}

/** The user-facing flows around one LocalBroker. Notifications are never awaited; modal questions are. */
class LocalBrokerFlows {
  /** The settings of the last start, for Restart after a crash. */
  private lastSettings: LocalBrokerSettings | undefined;
  /** The engine override of the last start ("Use Embedded Broker"), kept by a restart after Clear Local Broker Data. */
  private lastEngine: LocalBrokerEngineSetting | undefined;

  constructor(
    private readonly broker: LocalBrokerService,
    private readonly connections: ConnectionManager,
    private readonly secrets: ProfileSecrets,
    private readonly log: Logger,
  ) {}

  /** Starts with the settings overridden by `argument`; resolves with the URL, or undefined when it did not start. */
  async start(argument: unknown): Promise<string | undefined> {
    let settings: LocalBrokerSettings;
    try {
      settings = localBrokerSettings(argument);
      const running = this.broker.address;
      if (running) return this.alreadyRunning(running, settings, argument !== undefined && argument !== null);
      if (!isLoopbackAddress(settings.bindAddress) && !(await this.confirmExposure(settings.bindAddress))) return undefined;
    } catch (error) {
      reportFailure(this.log, START, error);
      return undefined;
    }
    return this.run(settings);
  }

  /** mosquitto exited on its own: says so, with Restart and Use Embedded Broker. */
  crashed(sentence: string): void {
    const settings = this.lastSettings;
    if (!settings) return;
    reportFailure(this.log, 'Local broker', new SessionError(sentence), { title: 'Restart', run: () => this.run(settings) }, { title: USE_EMBEDDED, run: () => this.run(settings, 'embedded') });
  }

  /** Deletes the saved retained messages and sessions (both engines) after a modal question; restarts a running broker. */
  async clearData(): Promise<boolean> {
    try {
      const answer = await vscode.window.showWarningMessage(
        'Delete the retained messages and persistent sessions the local broker saved?',
        { modal: true, detail: this.broker.address ? 'The local broker is stopped, its data deleted, and then started again.' : `They are in ${this.broker.dataRoot}.` },
        'Delete',
      );
      if (answer !== 'Delete') return false;
      const restart = this.broker.address ? this.lastSettings : undefined;
      const engine = this.lastEngine;
      await this.broker.clearData();
      this.log.info(`cleared the local broker data in ${this.broker.dataRoot}`);
      void vscode.window.showInformationMessage('The local broker data was deleted.');
      if (restart) await this.run(restart, engine);
      return true;
    } catch (error) {
      reportFailure(this.log, 'Clear Local Broker Data', error);
      return false;
    }
  }

  async stop(): Promise<boolean> {
    try {
      const address = this.broker.address;
      if (!address) {
        if (this.broker.crashed) await this.broker.stop(); // clears the red status bar item
        this.tell('The local broker is not running.');
        return false;
      }
      await this.broker.stop();
      this.log.info(`stopped; it was at ${address.url}`);
      vscode.window.setStatusBarMessage('$(server) Local broker stopped', 3_000);
      return true;
    } catch (error) {
      reportFailure(this.log, 'Stop Local Broker', error);
      return false;
    }
  }

  /** The status bar item's quick pick. */
  async menu(): Promise<void> {
    try {
      const address = this.broker.address;
      if (!address) {
        if (this.broker.crashed) this.crashed(this.broker.crashed);
        return;
      }
      const items = [
        { label: '$(debug-stop) Stop Local Broker', run: () => vscode.commands.executeCommand('mqttWorkbench.stopLocalBroker') },
        { label: '$(copy) Copy Address', description: address.url, run: () => vscode.env.clipboard.writeText(address.url) },
        ...(this.profileFor(address) ? [] : [{ label: `$(add) ${ADD_CONNECTION}`, run: () => this.addConnection(address) }]),
        { label: '$(output) Show Log', run: () => vscode.commands.executeCommand('mqttWorkbench.showLog') },
      ];
      const picked = await vscode.window.showQuickPick(items, { title: `Local broker at ${address.url}` });
      await picked?.run();
    } catch (error) {
      reportFailure(this.log, 'Local broker', error);
    }
  }

  private async run(settings: LocalBrokerSettings, engine?: LocalBrokerEngineSetting): Promise<string | undefined> {
    try {
      // Exposure was confirmed before run() is reached for a bind address other machines reach.
      const address = await this.broker.start({ settings, engine, anonymousOffLoopback: !isLoopbackAddress(settings.bindAddress) });
      this.lastSettings = settings;
      this.lastEngine = engine;
      this.log.info(`started (${this.broker.label ?? ''}) at ${address.url}${address.wsUrl ? ` and ${address.wsUrl}` : ''}, bound to ${address.host}`);
      this.announce(address);
      return address.url;
    } catch (error) {
      const portError = error instanceof LocalBrokerError && (error.code === 'EADDRINUSE' || error.code === 'EACCES') ? error : undefined;
      if (portError) reportFailure(this.log, START, portError, { title: 'Choose Another Port', run: () => this.chooseAnotherPort(settings, portError) });
      else if (error instanceof MosquittoError) reportFailure(this.log, START, error, { title: USE_EMBEDDED, run: () => this.run(settings, 'embedded') });
      else reportFailure(this.log, START, error);
      return undefined;
    }
  }

  private alreadyRunning(running: LocalBrokerAddress, settings: LocalBrokerSettings, explicit: boolean): string {
    const same = settings.port === running.port && settings.bindAddress === running.host && settings.websocketPort === (running.wsPort ?? 0);
    if (explicit && !same) throw new SessionError(`The local broker is already running at ${running.url}. Stop it first to start it on ${settings.bindAddress}:${settings.port}.`);
    this.tell(`The local broker is already running at ${running.url}.`);
    return running.url;
  }

  private async confirmExposure(bindAddress: string): Promise<boolean> {
    const answer = await vscode.window.showWarningMessage(
      `Start the local broker on ${bindAddress}? Other machines on the network can connect to it.`,
      { modal: true, detail: `It has no passwords and no TLS: anyone who reaches this machine can read and publish every message. Set ${LOCAL_BROKER_SECTION}.bindAddress to 127.0.0.1 to keep it on this machine.` },
      'Start Anyway',
    );
    return answer === 'Start Anyway';
  }

  /** "Choose Another Port": asks for a port, starts on it, then offers to save it for the next start. */
  private async chooseAnotherPort(settings: LocalBrokerSettings, error: LocalBrokerError): Promise<void> {
    const text = await vscode.window.showInputBox({
      title: START,
      prompt: `Port ${error.port} cannot be used. Another port for ${error.listener === 'port' ? 'MQTT' : 'MQTT over WebSocket'} (1-65535):`,
      value: String(error.port < 65_535 ? error.port + 1 : 1884),
      validateInput: validatePortText,
      ignoreFocusOut: true,
    });
    if (text === undefined) return;
    const port = Number(text.trim());
    if ((await this.run({ ...settings, [error.listener]: port })) === undefined) return;
    const setting = `${LOCAL_BROKER_SECTION}.${error.listener}`;
    void vscode.window.showInformationMessage(`Save port ${port} in the setting ${setting} for the next start?`, 'Save').then(async (choice) => {
      if (choice !== 'Save') return;
      await saveLocalBrokerSetting(error.listener, port).then(undefined, (saveError: unknown) => reportFailure(this.log, `Save ${setting}`, saveError));
    });
  }

  /** Says where it runs; offers to add a connection when no profile points at it yet. */
  private announce(address: LocalBrokerAddress): void {
    if (this.profileFor(address)) {
      void vscode.window.showInformationMessage(`Local broker started at ${address.url}.`);
      return;
    }
    void vscode.window.showInformationMessage(`Local broker started at ${address.url}. No connection points at it yet.`, ADD_CONNECTION).then((choice) => (choice === ADD_CONNECTION ? this.addConnection(address) : undefined));
  }

  /** Adds a "Local broker" profile (MQTT 5 on mosquitto, 3.1.1 on aedes; subscribed to #), then connects it. */
  private async addConnection(address: LocalBrokerAddress): Promise<void> {
    try {
      const profile = {
        name: uniqueName('Local broker', this.connections.names()),
        host: address.connectHost,
        port: address.port,
        protocolVersion: this.broker.protocolVersion ?? LOCAL_BROKER_PROTOCOL_VERSION,
        subscriptions: [{ filter: '#', qos: 0 }],
      };
      const name = await addConnection(this.connections, this.secrets, profile);
      if (name !== undefined) await vscode.commands.executeCommand('mqttWorkbench.connect', name);
    } catch (error) {
      reportFailure(this.log, ADD_CONNECTION, error);
    }
  }

  private profileFor(address: LocalBrokerAddress): ConnectionProfile | undefined {
    return this.connections
      .list()
      .map((c) => c.entry.profile)
      .find((profile) => profile !== undefined && pointsAt(profile, address));
  }

  private tell(message: string): void {
    this.log.info(message);
    void vscode.window.showInformationMessage(message);
  }
}

/** True when a profile connects to this broker: its TCP or WebSocket port, on loopback or the bound address. */
function pointsAt(profile: ConnectionProfile, address: LocalBrokerAddress): boolean {
  const port = profile.protocol === 'mqtt' ? address.port : profile.protocol === 'ws' ? address.wsPort : undefined;
  return profile.port === port && (isLoopbackAddress(profile.host) || profile.host === address.host || profile.host === address.connectHost);
}
