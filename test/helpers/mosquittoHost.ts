// A stand-in for the extension host in the no-orphan test: starts the mosquitto engine, prints its pid as one
// JSON line, then idles until it is killed (the test sends SIGKILL, so no cleanup code of ours can run).
import { MosquittoBroker } from '../../src/core/mosquittoBroker';
import { findMosquittoOnPath, probeMosquitto } from '../../src/core/mosquittoProbe';

async function main(): Promise<void> {
  const [configFile, port] = process.argv.slice(2);
  const path = findMosquittoOnPath();
  if (path === undefined) throw new Error('mosquitto is not installed');
  const broker = new MosquittoBroker({ program: await probeMosquitto(path, 'mosquittoPath'), configFile });
  const address = await broker.start({ port: Number(port), host: '127.0.0.1' });
  process.stdout.write(`${JSON.stringify({ pid: broker.pid, url: address.url })}\n`);
  setInterval(() => undefined, 60_000);
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
