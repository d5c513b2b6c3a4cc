import { isIP } from 'node:net';
import { FieldReader } from './fieldReader';
import type { LocalBrokerOptions } from './localBroker';
import { LOCAL_BROKER_ENGINES, type LocalBrokerEngineSetting } from './localBrokerEngine';

/** The local broker settings (`mqttWorkbench.localBroker.*`), also the fields of the start command's argument. */
export interface LocalBrokerSettings {
  /** TCP port for MQTT, 1-65535. */
  port: number;
  /** IP address to listen on; anything but loopback lets other machines connect. */
  bindAddress: string;
  /** Port for MQTT over WebSocket; 0: no WebSocket listener. */
  websocketPort: number;
  /** Which broker program runs: `auto` (mosquitto when installed, else the embedded one), `mosquitto`, `embedded`. */
  engine: LocalBrokerEngineSetting;
}

/** The defaults, as in package.json. */
export const LOCAL_BROKER_DEFAULTS: Readonly<LocalBrokerSettings> = { port: 1883, bindAddress: '127.0.0.1', websocketPort: 0, engine: 'auto' };

const MAX_PORT = 65_535;

/**
 * Reads the fields of a settings object or command argument that are present; records one precise problem per
 * wrong field, prefixed with `path` ("startLocalBroker.port: must be between 1 and 65535, not 70000").
 */
export function readLocalBrokerFields(value: unknown, path: string, problems: string[]): Partial<LocalBrokerSettings> {
  const reader = FieldReader.object(value, path, problems);
  if (!reader) return {};
  const port = reader.integer('port', 1, MAX_PORT);
  const websocketPort = reader.integer('websocketPort', 0, MAX_PORT);
  const engine = reader.oneOf('engine', LOCAL_BROKER_ENGINES);
  let bindAddress = reader.string('bindAddress', { nonEmpty: true });
  if (bindAddress !== undefined && isIP(bindAddress) === 0 && bindAddress !== 'localhost') {
    reader.problem('bindAddress', `must be an IP address of this machine such as "127.0.0.1" or "0.0.0.0", not ${JSON.stringify(bindAddress)}`);
    bindAddress = undefined;
  }
  if (port !== undefined && port === websocketPort) reader.problem('websocketPort', `must differ from port (${port})`);
  reader.rejectUnknownFields();
  return {
    ...(port === undefined ? {} : { port }),
    ...(websocketPort === undefined ? {} : { websocketPort }),
    ...(bindAddress === undefined ? {} : { bindAddress }),
    ...(engine === undefined ? {} : { engine }),
  };
}

/** Checks what a user typed as a port: undefined when it is a whole number from 1 to 65535, else why not. */
export function validatePortText(text: string): string | undefined {
  const port = Number(text.trim());
  return /^\d+$/.test(text.trim()) && port >= 1 && port <= MAX_PORT ? undefined : 'Enter a whole number from 1 to 65535.';
}

/** True for addresses only this machine can reach: 127.0.0.0/8, ::1 and "localhost". */
export function isLoopbackAddress(address: string): boolean {
  return address === 'localhost' || address === '::1' || /^127\.\d+\.\d+\.\d+$/.test(address) || /^::ffff:127\./i.test(address);
}

/** The listen options for settings: websocketPort 0 means no WebSocket listener. */
export function listenOptions(settings: LocalBrokerSettings): LocalBrokerOptions {
  return { port: settings.port, host: settings.bindAddress, ...(settings.websocketPort > 0 ? { wsPort: settings.websocketPort } : {}) };
}
