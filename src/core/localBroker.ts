import { Aedes } from 'aedes';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer, isIPv6, type Server, type Socket } from 'node:net';
import { WebSocketServer, createWebSocketStream } from 'ws';
import { join } from 'node:path';
import { restoreSnapshot, readSnapshot, takeSnapshot, writeSnapshot } from './aedesSnapshot';
import { AedesTraffic, publishSysTopics } from './aedesSys';
import { Emitter, type Listenable } from './emitter';
import { SingleStart, type LocalBrokerEngine } from './localBrokerEngine';
import { listenError, type Listener } from './localBrokerErrors';

export { LocalBrokerError } from './localBrokerErrors';

/** Where {@link LocalBroker.start} listens. */
export interface LocalBrokerOptions {
  /** TCP port for MQTT; 0 lets the OS pick a free one. */
  readonly port: number;
  /** Address to bind, e.g. "127.0.0.1" (this machine only) or "0.0.0.0" (every network interface). */
  readonly host: string;
  /** Port for MQTT over WebSocket (any path); undefined or absent: no WebSocket listener. 0 lets the OS pick. */
  readonly wsPort?: number;
  /**
   * Folder that keeps retained messages and persistent sessions across stop/start (aedes: a snapshot file written
   * on stop, read on start; mosquitto: its mosquitto.db). Absent: everything is gone at stop.
   */
  readonly dataDir?: string;
  /** mosquitto only: allow clients without a password on a bind address other machines reach (after the user confirmed). */
  readonly anonymousOffLoopback?: boolean;
}

/** The file the embedded broker keeps its data in, inside {@link LocalBrokerOptions.dataDir}. */
export const AEDES_SNAPSHOT_FILE = 'aedes-snapshot.json';

/** What $SYS/broker/version says on the embedded broker. */
const AEDES_VERSION = 'aedes 1.2 (MQTT Workbench embedded broker)';

/** Where a running local broker can be reached. */
export interface LocalBrokerAddress {
  /** The bound address, as given in the options. */
  readonly host: string;
  /** The MQTT port (the real one when 0 was asked for). */
  readonly port: number;
  /** The WebSocket port, when there is a WebSocket listener. */
  readonly wsPort?: number;
  /** The host a client on this machine connects to: the bound address, or 127.0.0.1 for a wildcard bind. */
  readonly connectHost: string;
  /** A URL a client on this machine connects to, e.g. `mqtt://127.0.0.1:1883`. */
  readonly url: string;
  /** `ws://host:port/mqtt`, when there is a WebSocket listener. */
  readonly wsUrl?: string;
}

/** The MQTT versions the embedded broker (aedes 1.x) accepts. MQTT 5 clients are refused. */
export const LOCAL_BROKER_PROTOCOL_VERSION = '3.1.1';

interface Running {
  readonly broker: Aedes;
  readonly servers: Array<Server | HttpServer>;
  readonly sockets: Set<Socket>;
  readonly address: LocalBrokerAddress;
  /** Client ids that connected with a persistent session (clean: false), or were restored: what the snapshot saves. */
  readonly persistentIds: Set<string>;
  readonly snapshotFile: string | undefined;
  readonly stopSys: () => void;
}

/**
 * An MQTT 3.1/3.1.1 broker inside this process (aedes). Retained messages and persistent sessions live in memory,
 * and with {@link LocalBrokerOptions.dataDir} are saved to a snapshot on stop and restored on start. Publishes
 * mosquitto's $SYS topics. Listens on TCP and optionally on WebSocket; stop() closes every socket and listener.
 */
export class LocalBroker implements LocalBrokerEngine {
  readonly engine = 'embedded';
  readonly label = 'aedes';
  readonly protocolVersion = LOCAL_BROKER_PROTOCOL_VERSION;
  private running: Running | undefined;
  private readonly single = new SingleStart();
  private readonly changeEmitter = new Emitter<void>();
  /** Fires when the broker starts or stops, and when a client connects or goes away. */
  readonly onChange: Listenable<void> = this.changeEmitter.event;
  /** Never fires: the embedded broker cannot stop on its own. */
  readonly onCrash: Listenable<string> = new Emitter<string>().event;

  /** Where the broker listens, or undefined when it is stopped. */
  get address(): LocalBrokerAddress | undefined {
    return this.running?.address;
  }

  /** Clients that completed CONNECT and are still connected. */
  get clientCount(): number {
    return this.running?.broker.connectedClients ?? 0;
  }

  /**
   * Starts listening; resolves with the address once every listener is bound. Rejects with a
   * {@link LocalBrokerError} (port in use, no permission, not an address of this machine) and leaves nothing open.
   */
  start(options: LocalBrokerOptions): Promise<LocalBrokerAddress> {
    return this.single.start(this.running !== undefined, () => this.open(options));
  }

  /**
   * Closes every client socket and stops listening, at once (before the first await, so a dispose that cannot
   * wait still leaves nothing open); resolves when the servers have closed. Idempotent.
   */
  stop(): Promise<void> {
    const running = this.running;
    if (!running) return this.single.stopWhenStarted(() => this.stop());
    this.running = undefined;
    running.stopSys();
    const closed = shutDown(running.broker, running.servers, running.sockets, () => saveSnapshot(running));
    this.changeEmitter.fire();
    return closed;
  }

  private async open(options: LocalBrokerOptions): Promise<LocalBrokerAddress> {
    const snapshotFile = options.dataDir === undefined ? undefined : join(options.dataDir, AEDES_SNAPSHOT_FILE);
    const snapshot = snapshotFile === undefined ? undefined : await readSnapshot(snapshotFile);
    const traffic = new AedesTraffic();
    const broker = await Aedes.createBroker({ authorizeForward: traffic.forward });
    const persistentIds = new Set(snapshot ? await restoreSnapshot(broker, snapshot) : []);
    const sockets = new Set<Socket>();
    const servers: Array<Server | HttpServer> = [];
    const track = <T extends Server | HttpServer>(server: T): T => trackSockets(server, sockets, (socket) => traffic.bytes.track(socket));
    try {
      const mqttServer = track(createServer((socket) => broker.handle(socket)));
      servers.push(mqttServer);
      const port = await listen(mqttServer, options.port, options.host, 'port');
      let wsPort: number | undefined;
      if (options.wsPort !== undefined) {
        // A plain HTTP request (a browser opening the URL) gets an answer instead of hanging.
        const httpServer = track(createHttpServer((_request, response) => response.writeHead(426, { upgrade: 'websocket', 'content-type': 'text/plain' }).end('This port speaks MQTT over WebSocket only.\n')));
        servers.push(httpServer);
        const wss = new WebSocketServer({ server: httpServer });
        wss.on('connection', (ws, request) => broker.handle(createWebSocketStream(ws), request));
        wss.on('error', () => undefined); // errors surface on the http server's listen
        wsPort = await listen(httpServer, options.wsPort, options.host, 'websocketPort');
      }
      const changed = (): void => this.changeEmitter.fire();
      broker.on('client', (client) => {
        if (!client.clean) persistentIds.add(client.id);
        changed();
      });
      broker.on('clientDisconnect', changed);
      const address = describeAddress(options.host, port, wsPort);
      const stopSys = publishSysTopics(broker, traffic, AEDES_VERSION);
      this.running = { broker, servers, sockets, address, persistentIds, snapshotFile, stopSys };
      this.changeEmitter.fire();
      return address;
    } catch (error) {
      await shutDown(broker, servers, sockets);
      throw error;
    }
  }
}

/** Saves what a stopping broker holds, when it has a data folder. */
async function saveSnapshot(running: Running): Promise<void> {
  if (running.snapshotFile === undefined) return;
  await writeSnapshot(running.snapshotFile, await takeSnapshot(running.broker, running.persistentIds));
}

/** Remembers every open socket of a server, so stop() can destroy the ones still open. */
function trackSockets<T extends Server | HttpServer>(server: T, sockets: Set<Socket>, onSocket: (socket: Socket) => void): T {
  server.on('connection', (socket: Socket) => {
    onSocket(socket);
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  return server;
}

/** Binds a server; resolves with the bound port or rejects with the user-facing error. */
function listen(server: Server | HttpServer, port: number, host: string, setting: Listener): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => reject(listenError(error, host, port, setting));
    server.once('error', onError);
    server.listen({ port, host, exclusive: true }, () => {
      server.off('error', onError);
      const bound = server.address();
      resolve(typeof bound === 'object' && bound !== null ? bound.port : port);
    });
  });
}

/**
 * Destroys every socket and closes every listener synchronously; then runs `beforeClose` (the snapshot, which
 * must read aedes before it closes); resolves once aedes and the servers are closed. `beforeClose` errors reject.
 */
async function shutDown(broker: Aedes, servers: ReadonlyArray<Server | HttpServer>, sockets: Set<Socket>, beforeClose?: () => Promise<void>): Promise<void> {
  for (const socket of sockets) socket.destroy();
  sockets.clear();
  const closed = servers.map((server) => new Promise<void>((resolve) => (server.listening ? server.close(() => resolve()) : resolve())));
  try {
    await beforeClose?.();
  } finally {
    closed.push(new Promise<void>((resolve) => broker.close(() => resolve())));
    await Promise.all(closed);
  }
}

/** The address a client on this machine uses for a broker bound to `host`. */
export function describeAddress(host: string, port: number, wsPort: number | undefined): LocalBrokerAddress {
  const connectHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  const reachable = isIPv6(connectHost) ? `[${connectHost}]` : connectHost;
  return {
    host,
    connectHost,
    port,
    url: `mqtt://${reachable}:${port}`,
    ...(wsPort === undefined ? {} : { wsPort, wsUrl: `ws://${reachable}:${wsPort}/mqtt` }),
  };
}
