import { Aedes } from 'aedes';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer, isIPv6, type Server, type Socket } from 'node:net';
import { WebSocketServer, createWebSocketStream } from 'ws';
import { Emitter, type Listenable } from './emitter';
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
}

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
}

/**
 * An MQTT 3.1/3.1.1 broker inside this process (aedes, in memory: retained messages and sessions last until
 * stop). Listens on TCP and optionally on WebSocket; stop() closes every client socket and every listener.
 */
export class LocalBroker {
  private running: Running | undefined;
  private starting: Promise<LocalBrokerAddress> | undefined;
  private readonly changeEmitter = new Emitter<void>();
  /** Fires when the broker starts or stops, and when a client connects or goes away. */
  readonly onChange: Listenable<void> = this.changeEmitter.event;

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
    if (this.running || this.starting) return Promise.reject(new Error('The local broker is already running; stop it first.'));
    this.starting = this.open(options).finally(() => {
      this.starting = undefined;
    });
    return this.starting;
  }

  /**
   * Closes every client socket and stops listening, at once (before the first await, so a dispose that cannot
   * wait still leaves nothing open); resolves when the servers have closed. Idempotent.
   */
  stop(): Promise<void> {
    const running = this.running;
    if (!running) return this.starting ? this.starting.then(() => this.stop(), () => undefined) : Promise.resolve();
    this.running = undefined;
    const closed = shutDown(running.broker, running.servers, running.sockets);
    this.changeEmitter.fire();
    return closed;
  }

  private async open(options: LocalBrokerOptions): Promise<LocalBrokerAddress> {
    const broker = await Aedes.createBroker();
    const sockets = new Set<Socket>();
    const servers: Array<Server | HttpServer> = [];
    try {
      const mqttServer = track(createServer((socket) => broker.handle(socket)), sockets);
      servers.push(mqttServer);
      const port = await listen(mqttServer, options.port, options.host, 'port');
      let wsPort: number | undefined;
      if (options.wsPort !== undefined) {
        // A plain HTTP request (a browser opening the URL) gets an answer instead of hanging.
        const httpServer = track(createHttpServer((_request, response) => response.writeHead(426, { upgrade: 'websocket', 'content-type': 'text/plain' }).end('This port speaks MQTT over WebSocket only.\n')), sockets);
        servers.push(httpServer);
        const wss = new WebSocketServer({ server: httpServer });
        wss.on('connection', (ws, request) => broker.handle(createWebSocketStream(ws), request));
        wss.on('error', () => undefined); // errors surface on the http server's listen
        wsPort = await listen(httpServer, options.wsPort, options.host, 'websocketPort');
      }
      const changed = (): void => this.changeEmitter.fire();
      broker.on('client', changed);
      broker.on('clientDisconnect', changed);
      const address = describeAddress(options.host, port, wsPort);
      this.running = { broker, servers, sockets, address };
      this.changeEmitter.fire();
      return address;
    } catch (error) {
      await shutDown(broker, servers, sockets);
      throw error;
    }
  }
}

/** Remembers every open socket of a server, so stop() can destroy the ones still open. */
function track<T extends Server | HttpServer>(server: T, sockets: Set<Socket>): T {
  server.on('connection', (socket: Socket) => {
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

/** Destroys every socket and closes every listener synchronously; resolves once aedes and the servers are closed. */
function shutDown(broker: Aedes, servers: ReadonlyArray<Server | HttpServer>, sockets: Set<Socket>): Promise<void> {
  for (const socket of sockets) socket.destroy();
  sockets.clear();
  const closed = servers.map((server) => new Promise<void>((resolve) => (server.listening ? server.close(() => resolve()) : resolve())));
  closed.push(new Promise<void>((resolve) => broker.close(() => resolve())));
  return Promise.all(closed).then(() => undefined);
}

function describeAddress(host: string, port: number, wsPort: number | undefined): LocalBrokerAddress {
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
