// A loopback TCP proxy in front of a broker: records the MQTT packets the client sends (decoded with
// mqtt-packet, which MQTT.js itself uses) and can cut every connection abruptly, like a pulled cable.
import { createServer, connect, type Server, type Socket } from 'node:net';
import { parser as mqttParser, type Packet } from 'mqtt-packet';
import { listenOnLoopback } from './ports';

/** A running proxy. */
export interface TcpProxy {
  readonly port: number;
  /** Every packet clients sent through the proxy, in order. */
  readonly sent: Packet[];
  /** Destroys every open connection without a DISCONNECT (the broker sees a dead socket). */
  cutAll(): void;
  close(): Promise<void>;
}

/** Starts a proxy on a free 127.0.0.1 port that forwards to `targetPort`; `protocolVersion` decodes the packets. */
export async function startTcpProxy(targetPort: number, protocolVersion: 3 | 4 | 5 = 5): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  const sent: Packet[] = [];
  const server: Server = createServer((client) => {
    const upstream = connect(targetPort, '127.0.0.1');
    const parse = mqttParser({ protocolVersion });
    parse.on('packet', (packet: Packet) => sent.push(packet));
    parse.on('error', () => undefined);
    client.on('data', (chunk) => parse.parse(chunk));
    client.pipe(upstream).pipe(client);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => {
        sockets.delete(socket);
        client.destroy();
        upstream.destroy();
      });
    }
  });
  const listening = await listenOnLoopback(server, sockets, 'The proxy');
  return {
    ...listening,
    sent,
    cutAll: () => {
      for (const socket of sockets) socket.destroy();
    },
  };
}
