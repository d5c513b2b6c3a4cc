// Loopback ports for test servers: always asked from the OS, never fixed.
import { readFileSync } from 'node:fs';
import { createServer, connect, type Server, type Socket } from 'node:net';

/** Returns a TCP port on 127.0.0.1 that was free a moment ago (listen on port 0, read it, close). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (address === null || typeof address === 'string') {
        server.close();
        reject(new Error('The OS did not report a TCP port for a listening socket.'));
        return;
      }
      server.close(() => resolve(address.port));
    });
  });
}

/** A test server listening on loopback. */
export interface LoopbackServer {
  readonly port: number;
  /** Destroys the connections still open, then stops listening. */
  close(): Promise<void>;
}

/**
 * Starts `server` (a net or http server) on a free 127.0.0.1 port. `sockets` is the live set of its open
 * connections, destroyed by close() so it does not wait for clients that never hang up.
 */
export async function listenOnLoopback(server: Server, sockets: ReadonlySet<Socket>, what: string): Promise<LoopbackServer> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error(`${what} has no TCP address.`);
  return {
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Resolves true if something accepts a TCP connection on host:port within `timeoutMs`, else false. */
export function acceptsConnections(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (ok: boolean): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/**
 * Local addresses of the TCP sockets listening on `port`, read from /proc/net/tcp and tcp6 (Linux), e.g.
 * `['127.0.0.1']` or `['::ffff:127.0.0.1']`. Lets tests prove a server is reachable from loopback only.
 */
export function listenAddresses(port: number): string[] {
  const LISTEN = '0A';
  const addresses: string[] = [];
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let table: string;
    try {
      table = readFileSync(file, 'utf8');
    } catch {
      continue; // no IPv6 (or not Linux): nothing listens there
    }
    for (const line of table.trim().split('\n').slice(1)) {
      const [, local = '', , state] = line.trim().split(/\s+/);
      const [hexAddress = '', hexPort = ''] = local.split(':');
      if (state === LISTEN && Number.parseInt(hexPort, 16) === port) addresses.push(decodeProcAddress(hexAddress));
    }
  }
  return addresses;
}

/** /proc/net/tcp* print addresses as 32-bit words in host byte order (little-endian on x86 and arm64). */
function decodeProcAddress(hex: string): string {
  const bytes = (hex.match(/.{8}/g) ?? []).flatMap((word) => [...Buffer.from(word, 'hex').reverse()]);
  if (bytes.length === 4) return bytes.join('.');
  const v4Mapped = bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff;
  if (v4Mapped) return `::ffff:${bytes.slice(12).join('.')}`;
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0)).toString(16));
  return groups.join(':').replace(/(^|:)0(:0)+(:|$)/, '::');
}
