import type { Listenable } from './emitter';
import type { LocalBrokerAddress, LocalBrokerOptions } from './localBroker';

/** The broker programs the local broker can run. */
export type LocalBrokerEngineName = 'mosquitto' | 'embedded';

/** The setting `mqttWorkbench.localBroker.engine`: `auto` runs mosquitto when one is installed, else the embedded one. */
export type LocalBrokerEngineSetting = 'auto' | LocalBrokerEngineName;

/** The values of {@link LocalBrokerEngineSetting}, as in package.json. */
export const LOCAL_BROKER_ENGINES: readonly LocalBrokerEngineSetting[] = ['auto', 'mosquitto', 'embedded'];

/**
 * One local broker, whichever program runs it: the embedded aedes ({@link LocalBroker}) or a mosquitto child
 * process ({@link MosquittoBroker}). start/stop/address/clientCount/onChange are the same for both.
 */
export interface LocalBrokerEngine {
  /** Which program. */
  readonly engine: LocalBrokerEngineName;
  /** For the status bar: "aedes" or "mosquitto 2.0". */
  readonly label: string;
  /** The newest MQTT version it accepts: "5" (mosquitto) or "3.1.1" (aedes). */
  readonly protocolVersion: '5' | '3.1.1';
  /** Where it listens, or undefined when it is stopped. */
  readonly address: LocalBrokerAddress | undefined;
  /** Clients connected now (not counting the extension's own watcher). */
  readonly clientCount: number;
  /** Fires on start, stop, crash and when the client count changes. */
  readonly onChange: Listenable<void>;
  /** Fires with a sentence when the broker stopped on its own (mosquitto exited); never on stop(). */
  readonly onCrash: Listenable<string>;
  /** Starts listening; rejects with a sentence and leaves nothing running. */
  start(options: LocalBrokerOptions): Promise<LocalBrokerAddress>;
  /** Stops (saving what it persists); resolves when every port is free again. Idempotent. */
  stop(): Promise<void>;
}

/**
 * Which engine `setting` runs, given the mosquitto found (or not): `auto` prefers mosquitto. Undefined
 * `mosquitto` with `setting` "mosquitto" means the caller must report that it is missing.
 */
export function chooseEngine(setting: LocalBrokerEngineSetting, mosquittoFound: boolean): LocalBrokerEngineName {
  if (setting === 'embedded') return 'embedded';
  if (setting === 'mosquitto') return 'mosquitto';
  return mosquittoFound ? 'mosquitto' : 'embedded';
}

/** What both engines do around start/stop: one start at a time, and a stop during a start waits for it. */
export class SingleStart {
  private starting: Promise<LocalBrokerAddress> | undefined;

  /** Runs `open` unless the engine runs or starts already (then rejects). */
  start(running: boolean, open: () => Promise<LocalBrokerAddress>): Promise<LocalBrokerAddress> {
    if (running || this.starting) return Promise.reject(new Error('The local broker is already running; stop it first.'));
    const starting = open().finally(() => {
      this.starting = undefined;
    });
    this.starting = starting;
    return starting;
  }

  /** For a stop() that found nothing running: waits for a start under way and then stops again; else resolves. */
  stopWhenStarted(stop: () => Promise<void>): Promise<void> {
    return this.starting ? this.starting.then(stop, () => undefined) : Promise.resolve();
  }
}
