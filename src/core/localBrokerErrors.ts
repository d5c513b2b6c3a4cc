import { SessionError } from './session';

/** Which listener of the local broker an error is about, named by its setting under mqttWorkbench.localBroker. */
export type Listener = 'port' | 'websocketPort';

const SETTINGS = 'mqttWorkbench.localBroker';

/**
 * Why the local broker could not start, in a sentence for the user (a SessionError, so commands show the
 * message as is). `code` is the Node error code; `listener` and `port` say which port to change.
 */
export class LocalBrokerError extends SessionError {
  constructor(
    message: string,
    readonly code: string,
    readonly listener: Listener,
    readonly port: number,
  ) {
    super(message);
    this.name = 'LocalBrokerError';
  }
}

/** Translates a listen() failure (EADDRINUSE, EACCES, EADDRNOTAVAIL...) into a {@link LocalBrokerError}. */
export function listenError(error: NodeJS.ErrnoException, host: string, port: number, listener: Listener): LocalBrokerError {
  const code = error.code ?? '';
  const setting = `${SETTINGS}.${listener}`;
  const message = ((): string => {
    switch (code) {
      case 'EADDRINUSE':
        return `Port ${port} on ${host} is already in use. Stop the other broker or choose another port in the setting ${setting}.`;
      case 'EACCES':
        return `Port ${port} on ${host} needs administrator rights (ports below 1024 are privileged). Choose a port above 1023 in the setting ${setting}.`;
      case 'EADDRNOTAVAIL':
        return `${host} is not an address of this machine. Use 127.0.0.1, 0.0.0.0 or one of this machine's addresses in the setting ${SETTINGS}.bindAddress.`;
      default:
        return `The local broker could not listen on port ${port} of ${host}: ${error.message}`;
    }
  })();
  return new LocalBrokerError(message, code, listener, port);
}
