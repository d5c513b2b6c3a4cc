// A loopback TCP proxy in front of a broker: records the MQTT packets either side sends (decoded with
// mqtt-packet, which MQTT.js itself uses), can hold back what clients send (their acknowledgements never reach the
// broker until released) and can cut every connection abruptly, like a pulled cable.
import { createServer, connect, type Server, type Socket } from 'node:net';
import { parser as mqttParser, type Packet } from 'mqtt-packet';
import { listenOnLoopback } from './ports';

/** A running proxy. */
export interface TcpProxy {
  readonly port: number;
  /** Every packet clients sent through the proxy, in order. */
  readonly sent: Packet[];
  /** Every packet the broker sent to clients through the proxy, in order. */
  readonly received: Packet[];
  /** Stops forwarding what the connected clients send (the bytes wait unread) until `release()`. */
  holdClientBytes(): void;
  release(): void;
  /** Destroys every open connection without a DISCONNECT (the broker sees a dead socket). */
  cutAll(): void;
  close(): Promise<void>;
}

/** Starts a proxy on a free 127.0.0.1 port that forwards to `targetPort`; `protocolVersion` decodes the packets. */
export async function startTcpProxy(targetPort: number, protocolVersion: 3 | 4 | 5 = 5): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  const clients = new Set<Socket>();
  const sent: Packet[] = [];
  const received: Packet[] = [];
  const recorder = (into: Packet[]): ((chunk: Buffer) => void) => {
    const parse = mqttParser({ protocolVersion });
    parse.on('packet', (packet: Packet) => into.push(packet));
    parse.on('error', () => undefined);
    return (chunk) => void parse.parse(chunk);
  };
  const server: Server = createServer((client) => {
    const upstream = connect(targetPort, '127.0.0.1');
    client.on('data', recorder(sent));
    upstream.on('data', recorder(received));
    client.pipe(upstream).pipe(client);
    clients.add(client);
    client.on('close', () => clients.delete(client));
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
    received,
    holdClientBytes: () => {
      for (const client of clients) client.pause();
    },
    release: () => {
      for (const client of clients) client.resume();
    },
    cutAll: () => {
      for (const socket of sockets) socket.destroy();
    },
  };
}
