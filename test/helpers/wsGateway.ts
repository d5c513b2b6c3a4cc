// An HTTP gateway in front of a broker's websockets listener, as nginx or a cloud load balancer puts one:
// WebSocket upgrades on one path are passed through byte for byte, every other path is answered 404.
// mosquitto itself accepts any path, so a wrong path only fails behind such a gateway (as it does in production).
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { connect, type Socket } from 'node:net';
import { listenOnLoopback, type LoopbackServer } from './ports';

/** A running gateway. */
export type WsGateway = LoopbackServer;

/** The request line and headers of `request`, as they came in, ending with the blank line. */
function requestHead(request: IncomingMessage): string {
  const lines = [`${request.method ?? 'GET'} ${request.url ?? '/'} HTTP/${request.httpVersion}`];
  for (let i = 0; i + 1 < request.rawHeaders.length; i += 2) lines.push(`${request.rawHeaders[i]}: ${request.rawHeaders[i + 1]}`);
  return `${lines.join('\r\n')}\r\n\r\n`;
}

/**
 * Starts a gateway on a free 127.0.0.1 port that passes WebSocket upgrades for `path` to `targetPort`
 * and answers `404 Not Found` to anything else.
 */
export async function startWsGateway(targetPort: number, path: string): Promise<WsGateway> {
  const sockets = new Set<Socket>();
  const track = (socket: Socket): void => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  };
  const server: Server = createServer((_request, response) => {
    response.writeHead(404).end();
  });
  server.on('upgrade', (request: IncomingMessage, client: Socket, head: Buffer) => {
    track(client);
    if (new URL(request.url ?? '/', 'http://gateway').pathname !== path) {
      client.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
      return;
    }
    const upstream = connect(targetPort, '127.0.0.1', () => {
      upstream.write(requestHead(request));
      upstream.write(head);
      client.pipe(upstream).pipe(client);
    });
    track(upstream);
    for (const socket of [client, upstream]) {
      socket.on('close', () => {
        client.destroy();
        upstream.destroy();
      });
    }
  });
  return listenOnLoopback(server, sockets, 'The gateway');
}
