import type { IClientOptions } from 'mqtt';
import { WebSocket, type ClientOptions } from 'ws';

/** The `code` given to the error of a websocket handshake that the server answered with an HTTP status instead of 101. */
export const WS_HANDSHAKE_REFUSED = 'ERR_WS_HANDSHAKE_REFUSED';

const REFUSED_HANDSHAKE = /^Unexpected server response: (\d+)$/;

/**
 * True for a handshake the server refused for good: a 4xx status (wrong path, forbidden, ...) other than
 * 408 and 429. Retrying with the same settings gets the same answer; 5xx (a gateway whose broker is down) may not.
 */
export function isPermanentHandshakeRefusal(error: { code?: unknown; message?: string }): boolean {
  if (error.code !== WS_HANDSHAKE_REFUSED) return false;
  const status = Number(REFUSED_HANDSHAKE.exec(error.message ?? '')?.[1]);
  return status >= 400 && status < 500 && status !== 408 && status !== 429;
}

/**
 * Opens the websocket MQTT.js runs over (its `createWebsocket` option) exactly as MQTT.js does, and gives the
 * error of a refused handshake (a wrong path gets 404 from most gateways) a `code`. MQTT.js drops stream errors
 * without a code, and ws gives this one none, so the user would only read that the connection was closed
 * instead of the HTTP status and a hint about the path.
 */
export function createMqttWebSocket(url: string, protocols: string[], options: IClientOptions): WebSocket {
  // MQTT.js types wsOptions as ws client options or stream options, and hands the same object to both.
  const socket = new WebSocket(url, protocols, options.wsOptions as ClientOptions | undefined);
  // Registered before MQTT.js wraps the socket in a stream, so it runs before the stream sees the error.
  socket.on('error', (error: Error & { code?: unknown }) => {
    if (error.code === undefined && REFUSED_HANDSHAKE.test(error.message)) error.code = WS_HANDSHAKE_REFUSED;
  });
  return socket;
}
