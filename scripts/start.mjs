// `npm start`: builds the extension and opens it in VS Code on a demo workspace (.vscode-test/demo-workspace).
// With a `code` CLI on PATH it uses that VS Code; otherwise it runs code-server on a free loopback port and
// prints the URL to open, until Ctrl+C.
import { spawn } from 'node:child_process';
import { accessSync, constants, mkdirSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { REPO, developmentUrl, ensureTestHost, extensionLink, startCodeServer } from './code-server.mjs';

const STATE = join(REPO, '.vscode-test');
const DEMO_WORKSPACE = join(STATE, 'demo-workspace');

/**
 * HOOK POINT for the local demo. A later issue starts a local mosquitto and a demo device that publishes to it
 * here, and returns the function that stops them. For now it starts nothing.
 * @returns {Promise<() => Promise<void>>} stops whatever was started
 */
async function startDemo() {
  return async () => {};
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
  const stopDemo = await startDemo();

  if (onPath('code')) {
    const code = await run('code', [`--extensionDevelopmentPath=${REPO}`, DEMO_WORKSPACE], 5 * 60_000);
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
