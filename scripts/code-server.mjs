// Shared helpers to run the extension in a real VS Code (code-server) driven by Chromium (playwright-core).
// Used by scripts/run-vscode-tests.mjs, scripts/start.mjs and the e2e tests. Node built-ins + playwright-core.
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { CODE_SERVER_BIN, HOST_DIR, REPO, killGroup } from './setup-test-host.mjs';

export { ensureTestHost, REPO, CODE_SERVER_VERSION } from './setup-test-host.mjs';

const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 10_000;
/** util-linux setpriv: the kernel SIGKILLs code-server if the script that started it dies without cleanup. */
const SETPRIV = '/usr/bin/setpriv';

/** Chromium flags for driving VS Code headless on this machine (see TESTING.md). */
export const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run', '--disable-quic',
];

/** Settings a fresh test profile gets unless the caller passes its own. */
export const DEFAULT_USER_SETTINGS = {
  'workbench.colorTheme': 'Default Dark Modern',
  'security.workspace.trust.enabled': false,
  'workbench.startupEditor': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'telemetry.telemetryLevel': 'off',
  // The demo and test workspaces can sit inside this repository: no "open the parent git repository?" prompt.
  'git.openRepositoryInParentFolders': 'never',
};

/**
 * A TCP port on 127.0.0.1 that was free a moment ago (the OS picks it; never a fixed port).
 * @returns {Promise<number>}
 */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('The OS reported no port.'))));
    });
  });
}

/**
 * @typedef {object} CodeServer
 * @property {number} port
 * @property {string} url base URL, e.g. http://127.0.0.1:PORT/
 * @property {number} pid
 * @property {string} logFile code-server's stdout + stderr
 * @property {Promise<number | null>} exited resolves with the exit code when code-server exits
 * @property {() => Promise<void>} stop SIGTERM to the whole process group, SIGKILL after 10 s
 */

/**
 * Starts code-server on a free 127.0.0.1 port without auth and waits (bounded) until it answers HTTP.
 * Writes `extensionsDir/extensions.json` = [] (an empty extensions dir was seen to keep the development
 * extension from loading) and `userDataDir/User/settings.json`. `env` is added to code-server's environment,
 * which its extension host inherits: this is how tests inside VS Code get their settings.
 * @param {{ workspace: string, userDataDir: string, extensionsDir: string, userSettings?: Record<string, unknown>,
 *           env?: Record<string, string>, logFile?: string }} options
 * @returns {Promise<CodeServer>}
 */
export async function startCodeServer({ workspace, userDataDir, extensionsDir, userSettings = DEFAULT_USER_SETTINGS, env = {}, logFile, workspaceTrust = false }) {
  if (!existsSync(CODE_SERVER_BIN)) throw new Error(`code-server is not installed at ${CODE_SERVER_BIN}; run node scripts/setup-test-host.mjs`);
  mkdirSync(extensionsDir, { recursive: true });
  writeFileSync(join(extensionsDir, 'extensions.json'), '[]\n');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  writeFileSync(join(userDataDir, 'User', 'settings.json'), `${JSON.stringify(userSettings, null, 2)}\n`);
  mkdirSync(workspace, { recursive: true });
  const log = logFile ?? join(userDataDir, 'code-server.log');
  mkdirSync(dirname(log), { recursive: true });
  const port = await freePort();
  const args = [
    CODE_SERVER_BIN, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry', '--disable-update-check',
    ...(workspaceTrust ? [] : ['--disable-workspace-trust']), '--extensions-dir', extensionsDir, '--user-data-dir', userDataDir,
    // Its own config file, so code-server does not write ~/.config/code-server/config.yaml.
    '--config', join(userDataDir, 'config.yaml'), workspace,
  ];
  const [command, argv] = existsSync(SETPRIV) ? [SETPRIV, ['--pdeathsig', 'KILL', process.execPath, ...args]] : [process.execPath, args];
  const output = createWriteStream(log);
  const child = spawn(command, argv, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  child.stdout.pipe(output);
  child.stderr.pipe(output);
  const exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  const onExit = () => killGroup(child.pid, 'SIGKILL');
  process.once('exit', onExit);
  const stop = async () => {
    process.removeListener('exit', onExit);
    killGroup(child.pid, 'SIGTERM');
    const timedOut = await Promise.race([exited.then(() => false), delay(STOP_TIMEOUT_MS, true, { ref: false })]);
    killGroup(child.pid, 'SIGKILL'); // the extension host and other children, too
    if (timedOut) await exited;
  };
  const url = `http://127.0.0.1:${port}/`;
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`code-server exited (${child.exitCode ?? child.signalCode}) before answering on ${url}; see ${log}`);
    }
    if (await answers(`${url}healthz`)) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`code-server did not answer on ${url} within ${START_TIMEOUT_MS / 1000} s; see ${log}`);
    }
    await delay(200);
  }
  return { port, url, pid: child.pid ?? -1, logFile: log, exited, stop };
}

/** True if GET `url` returns 2xx within 2 s. */
function answers(url) {
  return new Promise((resolve) => {
    const request = get(url, { timeout: 2_000 }, (response) => {
      response.resume();
      resolve(response.statusCode !== undefined && response.statusCode >= 200 && response.statusCode < 300);
    });
    request.once('timeout', () => request.destroy());
    request.once('error', () => resolve(false));
  });
}

/**
 * Makes `<parentDir>/mqtt-workbench`, a symlink to the repository, to load the extension from.
 * Why: code-server's built-in extensions live under <repo>/.vscode-test, and VS Code gives the extension
 * under development the themes found under its folder: loaded from <repo> itself, the built-in Light+
 * theme replaces the user's theme. parentDir must be outside the repository.
 * @param {string} parentDir
 * @returns {string} the path of the link
 */
export function extensionLink(parentDir) {
  const link = join(parentDir, 'mqtt-workbench');
  if (!existsSync(link)) symlinkSync(REPO, link, 'dir');
  return link;
}

/**
 * The URL that opens `workspace` with the extension at `extensionPath` (use {@link extensionLink}) loaded in
 * development mode and, if `testsPath` is given, runs the extension tests module in that folder
 * (extensionTestsPath). Paths are absolute on the code-server machine; they become vscode-remote:// URIs.
 * @param {{ port: number, workspace: string, extensionPath: string, testsPath?: string }} options
 * @returns {string}
 */
export function developmentUrl({ port, workspace, extensionPath, testsPath }) {
  if (`${HOST_DIR}/`.startsWith(`${extensionPath.replace(/\/+$/, '')}/`)) {
    throw new Error(`developmentUrl: ${extensionPath} contains code-server's own extensions; pass extensionLink(<temp dir>) instead.`);
  }
  const remote = (path) => `vscode-remote://127.0.0.1:${port}${path}`;
  const payload = [['extensionDevelopmentPath', remote(extensionPath)]];
  if (testsPath !== undefined) payload.push(['extensionTestsPath', remote(testsPath)]);
  const folder = encodeURIComponent(workspace).replaceAll('%2F', '/');
  return `http://127.0.0.1:${port}/?folder=${folder}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

/**
 * Launches Debian's Chromium through playwright-core (headless unless `headless: false`).
 * @param {{ headless?: boolean }} [options]
 * @returns {Promise<import('playwright-core').Browser>}
 */
export async function launchChromium({ headless = true } = {}) {
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS, headless, timeout: 60_000 });
}
