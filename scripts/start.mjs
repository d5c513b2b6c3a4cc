// `npm start`: builds the extension, starts the local broker with the demo device publishing to it, and opens
// VS Code on a demo workspace (.vscode-test/demo-workspace) whose settings hold a "Local broker" connection.
// With a `code` CLI on PATH it uses that VS Code; otherwise it runs code-server on a free loopback port and
// prints the URL to open, until Ctrl+C.
import { spawn } from 'node:child_process';
import { accessSync, constants, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { REPO, developmentUrl, ensureTestHost, extensionLink, startCodeServer } from './code-server.mjs';

const STATE = join(REPO, '.vscode-test');
const DEMO_WORKSPACE = join(STATE, 'demo-workspace');

const DEMO_PORTS = { first: 1883, last: 1892 };

/**
 * The local demo: the embedded broker (dist/localBroker.js) on 127.0.0.1:1883, or the next free port, and the
 * demo device (dist/demoDevice.js) publishing to it over MQTT 3.1.1 (the embedded broker has no MQTT 5).
 * @returns {Promise<() => Promise<void>>} stops both
 */
async function startDemo() {
  const require = createRequire(import.meta.url);
  const { LocalBroker } = require(join(REPO, 'dist', 'localBroker.js'));
  const { startDemoDevice } = require(join(REPO, 'dist', 'demoDevice.js'));
  const broker = new LocalBroker();
  const address = await startOnFreePort(broker);
  const device = startDemoDevice(address.url, { protocolVersion: 4, onError: (error) => console.error(`demo device: ${error.message}`) });
  writeDemoSettings(address.port);
  console.log(`Local broker: ${address.url}; the demo device publishes on demo/greenhouse/# and answers on demo/greenhouse/cmd/#.`);
  return async () => {
    await device.stop();
    await broker.stop();
  };
}

/** Starts on the first free port from 1883 on, saying which ports were taken. */
async function startOnFreePort(broker) {
  for (let port = DEMO_PORTS.first; ; port++) {
    try {
      return await broker.start({ port, host: '127.0.0.1' });
    } catch (error) {
      if (error.code !== 'EADDRINUSE' || port === DEMO_PORTS.last) throw error;
      console.log(`Port ${port} on 127.0.0.1 is in use; trying ${port + 1}.`);
    }
  }
}

/** Puts a "Local broker" connection (MQTT 3.1.1, subscribed to #) into the demo workspace settings, keeping the rest. */
function writeDemoSettings(port) {
  const file = join(DEMO_WORKSPACE, '.vscode', 'settings.json');
  let settings = {};
  try {
    settings = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    // absent (first run) or not plain JSON: start afresh
  }
  const saved = settings['mqttWorkbench.connections'];
  const others = (Array.isArray(saved) ? saved : []).filter((profile) => profile?.name !== 'Local broker');
  const local = { name: 'Local broker', host: '127.0.0.1', port, protocolVersion: '3.1.1', subscriptions: [{ filter: '#', qos: 0 }] };
  settings['mqttWorkbench.connections'] = [local, ...others];
  mkdirSync(join(DEMO_WORKSPACE, '.vscode'), { recursive: true });
  writeFileSync(file, `${JSON.stringify(settings, null, 2)}\n`);
}

/** Runs a command with inherited stdio, bounded in time; resolves with its exit code. */
function run(command, args, timeoutMs) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: REPO, stdio: 'inherit' });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', (error) => {
      console.error(`${command}: ${error.message}`);
      resolve(127);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve(code ?? 1);
    });
  });
}

function onPath(name) {
  return (process.env.PATH ?? '').split(delimiter).some((dir) => {
    try {
      accessSync(join(dir, name), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

async function main() {
  if ((await run(process.execPath, [join(REPO, 'scripts', 'build.mjs')], 10 * 60_000)) !== 0) return 1;
  mkdirSync(DEMO_WORKSPACE, { recursive: true });
  let stopDemo;
  try {
    stopDemo = await startDemo();
  } catch (error) {
    console.error(`The demo broker did not start: ${error.message}`);
    return 1;
  }

  if (onPath('code')) {
    // --wait: the demo broker lives in this process, so stay until that window closes.
    const code = await run('code', ['--wait', `--extensionDevelopmentPath=${REPO}`, DEMO_WORKSPACE], 24 * 60 * 60_000);
    await stopDemo();
    return code;
  }

  const host = await ensureTestHost();
  if (host.vscode !== undefined) {
    console.error(`No \`code\` on PATH, and code-server cannot be installed: ${host.vscode}`);
    await stopDemo();
    return 1;
  }
  const server = await startCodeServer({
    workspace: DEMO_WORKSPACE,
    userDataDir: join(STATE, 'demo-user-data'),
    extensionsDir: join(STATE, 'demo-extensions'),
    logFile: join(STATE, 'demo-code-server.log'),
  });
  // Stable per checkout, outside the repository (see extensionLink), so the printed URL stays the same.
  const linkDir = join(tmpdir(), `mqtt-workbench-dev-${createHash('sha256').update(REPO).digest('hex').slice(0, 8)}`);
  mkdirSync(linkDir, { recursive: true });
  const url = developmentUrl({ port: server.port, workspace: DEMO_WORKSPACE, extensionPath: extensionLink(linkDir) });
  console.log(`\nMQTT Workbench is running in VS Code at: ${url}\n(code-server log: ${server.logFile}; Ctrl+C to stop)\n`);

  let stopping = false;
  const code = await new Promise((resolve) => {
    for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => resolve(0));
    void server.exited.then((exitCode) => {
      if (stopping) return;
      console.error(`code-server exited by itself (code ${exitCode}); see ${server.logFile}`);
      resolve(1);
    });
  });
  stopping = true;
  process.removeAllListeners('SIGINT'); // a second Ctrl+C while stopping ends the process at once
  console.log('Stopping...');
  await Promise.all([server.stop(), stopDemo()]);
  return code;
}

process.exitCode = await main();
