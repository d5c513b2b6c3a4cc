// A scripted MQTT 5 "broker" on a loopback port for what mosquitto 2.0.11 never does: it accepts every CONNECT
// and, when asked, ends every connection with a DISCONNECT carrying a reason code (e.g. 0x8E Session taken
// over, which newer brokers send to the older of two clients with one id). Packets are mqtt-packet's.
import { createServer, type Socket } from 'node:net';
import { generate, parser as mqttParser, type Packet } from 'mqtt-packet';
import { listenOnLoopback } from './ports';

/** A running fake broker. */
export interface FakeBroker {
  readonly port: number;
  /** CONNECT packets received so far. */
  readonly connects: number;
  /** Sends DISCONNECT with `reasonCode` on every open connection, then closes them. */
  disconnectAll(reasonCode: number): void;
  close(): Promise<void>;
}

/** Starts a fake MQTT 5 broker on a free 127.0.0.1 port (CONNACK success, PINGRESP, nothing else). */
export async function startFakeBroker(): Promise<FakeBroker> {
  const sockets = new Set<Socket>();
  let connects = 0;
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
    const parse = mqttParser({ protocolVersion: 5 });
    parse.on('error', () => socket.destroy());
    parse.on('packet', (packet: Packet) => {
      if (packet.cmd === 'connect') {
        connects++;
        socket.write(generate({ cmd: 'connack', sessionPresent: false, reasonCode: 0 }, { protocolVersion: 5 }));
      } else if (packet.cmd === 'pingreq') {
        socket.write(generate({ cmd: 'pingresp' }, { protocolVersion: 5 }));
      }
    });
    socket.on('data', (chunk) => parse.parse(chunk));
  });
  const listening = await listenOnLoopback(server, sockets, 'The fake broker');
  return {
    ...listening,
    get connects() {
      return connects;
    },
    disconnectAll(reasonCode) {
      for (const socket of sockets) socket.end(generate({ cmd: 'disconnect', reasonCode }, { protocolVersion: 5 }));
    },
  };
}
