// Installs what the test layers need on this machine, once: Debian packages (mosquitto, openssl, chromium and
// the libraries code-server builds against) and code-server 4.100.3 into .vscode-test/code-server.
// Node built-ins only. Usage: `node scripts/setup-test-host.mjs` (also called by `npm test` and `npm start`).
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Root of the repository. */
export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** code-server 4.100.3 = VS Code 1.100.3, the last one that runs on Node 20. */
export const CODE_SERVER_VERSION = '4.100.3';
/** Where code-server is installed (git-ignored). */
export const HOST_DIR = join(REPO, '.vscode-test', 'code-server');
/** The code-server launcher script inside HOST_DIR. */
export const CODE_SERVER_BIN = join(HOST_DIR, 'node_modules', '.bin', 'code-server');
/** Debian packages the test layers use. */
export const APT_PACKAGES = [
  'mosquitto', 'mosquitto-clients', 'openssl', 'gcc',
  'libkrb5-dev', 'libx11-dev', 'libxkbfile-dev', 'libsecret-1-dev', 'pkg-config', 'ripgrep', 'chromium',
];
const BROKER_PACKAGES = ['mosquitto', 'mosquitto-clients', 'openssl', 'gcc'];
const RIPGREP_CACHE = join(tmpdir(), 'vscode-ripgrep-cache-1.15.11', 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz');
const MINUTE = 60_000;

/**
 * Runs a command, bounded in time; output goes to `logFile` (appended) or is inherited.
 * @param {string} command
 * @param {string[]} args
 * @param {{ cwd?: string, env?: NodeJS.ProcessEnv, timeoutMs: number, logFile?: string }} options
 * @returns {Promise<number>} exit code (or 124 on timeout, 127 if it could not start)
 */
export function runCommand(command, args, { cwd = REPO, env = process.env, timeoutMs, logFile }) {
  return new Promise((resolvePromise) => {
    const log = logFile === undefined ? undefined : createWriteStream(logFile, { flags: 'a' });
    const child = spawn(command, args, { cwd, env, stdio: log === undefined ? 'inherit' : ['ignore', 'pipe', 'pipe'], detached: true });
    child.stdout?.pipe(log ?? process.stdout);
    child.stderr?.pipe(log ?? process.stderr);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid, 'SIGKILL');
    }, timeoutMs);
    const onExit = () => killGroup(child.pid, 'SIGKILL');
    process.once('exit', onExit);
    const finish = (code) => {
      clearTimeout(timer);
      process.removeListener('exit', onExit);
      if (log === undefined) resolvePromise(code);
      else log.end(() => resolvePromise(code));
    };
    child.once('error', (error) => {
      log?.write(`\n${command}: ${error.message}\n`);
      finish(127);
    });
    child.once('close', (code) => finish(timedOut ? 124 : code ?? 1));
  });
}

/** Sends `signal` to a whole process group (children included), ignoring "already gone". */
export function killGroup(pid, signal) {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // The group has already exited.
  }
}

function missingAptPackages(packages) {
  // dpkg-query prints one "name status" line per known package ("ii" = installed); unknown ones only on stderr.
  const result = spawnSync('dpkg-query', ['-W', '-f=${Package} ${db:Status-Abbrev}\n', ...packages], { encoding: 'utf8', timeout: 30_000 });
  const installed = new Set((result.stdout ?? '').split('\n').filter((line) => / ii ?$/.test(line)).map((line) => line.split(' ')[0]));
  return packages.filter((name) => !installed.has(name));
}

function tail(file, lines = 30) {
  return existsSync(file) ? readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n') : '';
}

async function installAptPackages(packages, log) {
  const isRoot = process.getuid?.() === 0;
  if (!isRoot || !existsSync('/usr/bin/apt-get')) {
    return `missing Debian packages (${packages.join(' ')}); install them with apt-get as root`;
  }
  log(`Installing Debian packages: ${packages.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const logFile = join(REPO, '.vscode-test', 'apt.log');
  mkdirSync(dirname(logFile), { recursive: true });
  if ((await runCommand('apt-get', ['update'], { env, timeoutMs: 10 * MINUTE, logFile })) !== 0) {
    return `apt-get update failed:\n${tail(logFile)}`;
  }
  const code = await runCommand('apt-get', ['install', '-y', '--no-install-recommends', ...packages], { env, timeoutMs: 20 * MINUTE, logFile });
  return code === 0 ? undefined : `apt-get install failed (exit ${code}):\n${tail(logFile)}`;
}

function codeServerInstalled() {
  const pkg = join(HOST_DIR, 'node_modules', 'code-server', 'package.json');
  if (!existsSync(CODE_SERVER_BIN) || !existsSync(pkg)) return false;
  // The postinstall step installs VS Code's own modules; without them the install is incomplete.
  const vscodeModules = join(HOST_DIR, 'node_modules', 'code-server', 'lib', 'vscode', 'node_modules');
  return JSON.parse(readFileSync(pkg, 'utf8')).version === CODE_SERVER_VERSION && existsSync(vscodeModules);
}

/** VS Code's ripgrep module downloads rg at install; offer it Debian's rg from the cache it looks in first. */
async function seedRipgrepCache() {
  if (existsSync(RIPGREP_CACHE)) return;
  const staging = mkdtempSync(join(tmpdir(), 'rg-'));
  try {
    copyFileSync('/usr/bin/rg', join(staging, 'rg'));
    mkdirSync(dirname(RIPGREP_CACHE), { recursive: true });
    await runCommand('tar', ['czf', RIPGREP_CACHE, '-C', staging, 'rg'], { timeoutMs: MINUTE, logFile: join(staging, 'tar.log') });
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

async function installCodeServer(log) {
  if (Number(process.versions.node.split('.')[0]) !== 20) {
    return `code-server ${CODE_SERVER_VERSION} needs Node 20, this is Node ${process.versions.node}`;
  }
  const started = Date.now();
  log(`Installing code-server ${CODE_SERVER_VERSION} into ${HOST_DIR} (takes a few minutes, once)...`);
  mkdirSync(HOST_DIR, { recursive: true });
  rmSync(join(HOST_DIR, 'node_modules', 'code-server'), { recursive: true, force: true });
  writeFileSync(join(HOST_DIR, 'package.json'), `${JSON.stringify({ name: 'host', private: true, dependencies: { 'code-server': CODE_SERVER_VERSION } })}\n`);
  await seedRipgrepCache();
  const env = {
    ...process.env,
    // npm 11 blocks dependency install scripts; code-server's postinstall builds VS Code's native modules.
    npm_config_dangerously_allow_all_scripts: 'true',
    // As root, code-server's postinstall refuses to run without it; a nested npx needs `yes`.
    npm_config_unsafe_perm: 'true',
    npm_config_yes: 'true',
  };
  const logFile = join(REPO, '.vscode-test', 'code-server-install.log');
  const code = await runCommand('npm', ['install', '--no-audit', '--no-fund'], { cwd: HOST_DIR, env, timeoutMs: 30 * MINUTE, logFile });
  if (code !== 0 || !codeServerInstalled()) {
    rmSync(join(HOST_DIR, 'node_modules', 'code-server'), { recursive: true, force: true });
    return `installing code-server failed (exit ${code}, log ${logFile}):\n${tail(logFile)}`;
  }
  log(`code-server ${CODE_SERVER_VERSION} installed in ${Math.round((Date.now() - started) / 1000)} s.`);
  return undefined;
}

/**
 * Makes sure the test hosts exist, installing what is missing (idempotent; fast when all is there).
 * Returns, per need, why it is unavailable (undefined = ready): `brokers` (mosquitto + openssl, used by
 * unit/integration/vscode tests) and `vscode` (code-server + chromium).
 * @param {{ log?: (line: string) => void }} [options]
 * @returns {Promise<{ brokers: string | undefined, vscode: string | undefined }>}
 */
export async function ensureTestHost({ log = (line) => console.log(line) } = {}) {
  const missing = missingAptPackages(APT_PACKAGES);
  const aptProblem = missing.length === 0 ? undefined : await installAptPackages(missing, log);
  const brokers = missingAptPackages(BROKER_PACKAGES).length === 0 ? undefined : aptProblem;
  if (aptProblem !== undefined) return { brokers, vscode: aptProblem };
  const vscode = codeServerInstalled() ? undefined : await installCodeServer(log);
  return { brokers, vscode };
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const status = await ensureTestHost();
  for (const [need, problem] of Object.entries(status)) console.log(`${need}: ${problem ?? 'ready'}`);
  process.exitCode = Object.values(status).every((problem) => problem === undefined) ? 0 : 1;
}
