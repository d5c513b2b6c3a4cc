import { isLoopbackAddress } from './localBrokerOptions';
import { SessionError } from './session';

/** What the extension's mosquitto.conf says; everything else stays at mosquitto's defaults. */
export interface MosquittoConfigOptions {
  /** Address every listener binds. */
  readonly host: string;
  /** MQTT over TCP. */
  readonly port: number;
  /** MQTT over WebSocket; absent: no WebSocket listener. */
  readonly wsPort?: number;
  /** Folder for mosquitto.db (retained messages, persistent sessions); absent: nothing is kept across restarts. */
  readonly dataDir?: string;
  /**
   * Anonymous clients are allowed on a loopback bind. A bind that other machines reach allows them only when this
   * is true (the host sets it once the user confirmed "Start Anyway"); otherwise mosquitto refuses every client.
   */
  readonly anonymousOffLoopback?: boolean;
  /** The `user` mosquitto runs as when started by root (it would otherwise switch to "mosquitto" and lose access). */
  readonly user?: string;
  /** Seconds between $SYS updates. */
  readonly sysInterval?: number;
}

/** Seconds between $SYS updates when not given: often enough for a live client count in the status bar. */
export const DEFAULT_SYS_INTERVAL = 2;
/** Seconds between saves of mosquitto.db while it runs (it also saves when it stops). */
export const AUTOSAVE_INTERVAL = 30;

/** mosquitto.conf treats `#` as a comment and a line break as the end of a value: neither may be in a path. */
function checkedValue(value: string, what: string): string {
  if (/[\r\n#]/.test(value)) throw new SessionError(`The ${what} ${JSON.stringify(value)} cannot be written to mosquitto.conf (it holds "#" or a line break).`);
  return value;
}

/**
 * The text of a mosquitto 2.x config for the local broker: listeners on one address, anonymous access as
 * {@link MosquittoConfigOptions.anonymousOffLoopback} says, persistence in `dataDir`, log to stderr (the host
 * copies it to the output channel), $SYS every {@link DEFAULT_SYS_INTERVAL} s. Pure: the caller writes the file.
 */
export function mosquittoConfig(options: MosquittoConfigOptions): string {
  const host = checkedValue(options.host, 'bind address');
  const anonymous = isLoopbackAddress(options.host) || options.anonymousOffLoopback === true;
  const lines = [
    '# Written by MQTT Workbench at every start of the local broker; edits are overwritten.',
    'per_listener_settings false',
    `allow_anonymous ${anonymous ? 'true' : 'false'}`,
    `listener ${options.port} ${host}`,
    'protocol mqtt',
  ];
  if (options.wsPort !== undefined) lines.push(`listener ${options.wsPort} ${host}`, 'protocol websockets');
  if (options.dataDir === undefined) lines.push('persistence false');
  else {
    const dir = checkedValue(options.dataDir.endsWith('/') ? options.dataDir : `${options.dataDir}/`, 'data folder');
    lines.push('persistence true', `persistence_location ${dir}`, 'persistence_file mosquitto.db', `autosave_interval ${AUTOSAVE_INTERVAL}`);
  }
  if (options.user !== undefined) lines.push(`user ${checkedValue(options.user, 'user')}`);
  lines.push(
    `sys_interval ${options.sysInterval ?? DEFAULT_SYS_INTERVAL}`,
    'max_queued_messages 10000',
    'log_dest stderr',
    'log_type error',
    'log_type warning',
    'log_type notice',
    'log_type information',
    'log_timestamp false',
    'connection_messages true',
  );
  return `${lines.join('\n')}\n`;
}

/**
 * The line of mosquitto's output that says why it stopped: the first "Error: ..." line, else the last line that
 * is not its own start-up chatter, else undefined.
 */
export function mosquittoErrorLine(output: string): string | undefined {
  const lines = output
    .split(/\r?\n/)
    .map((line) => line.replace(/^\d+: /, '').trim())
    .filter((line) => line.length > 0);
  const error = lines.find((line) => /^Error/i.test(line));
  if (error) return error;
  const other = lines.filter((line) => !/^(mosquitto version|Config loaded|Opening (ipv4|ipv6|websockets) listen socket|Using default config)/i.test(line));
  return other.at(-1);
}

/** The version in `mosquitto -h` output ("mosquitto version 2.0.11"), or undefined when it is not mosquitto's. */
export function mosquittoVersion(helpOutput: string): string | undefined {
  return /^mosquitto version (\d+\.\d+(?:\.\d+)?)/m.exec(helpOutput)?.[1];
}
