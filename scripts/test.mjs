// `npm test`: installs what is missing, builds, then runs every test layer in order and prints per-layer
// counts; the last line is "N passed, N failed". Node built-ins only: it runs before node_modules exists.
// Usage: npm test [-- layer...]   layers: typecheck lint unit integration package vscode e2e (default: all, in that order)
// With CI=true no layer may skip; outside CI a layer whose host cannot be installed says SKIPPED loudly.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CI = process.env.CI === 'true';
const MINUTE = 60_000;
const LAYERS = ['typecheck', 'lint', 'unit', 'integration', 'package', 'vscode', 'e2e'];
/** Which host need (see ensureTestHost) each layer has. */
const NEEDS = { typecheck: [], lint: [], unit: [], integration: ['brokers'], package: [], vscode: ['brokers', 'vscode'], e2e: ['brokers', 'vscode'] };

let current; // the child process group running now, killed if we are interrupted
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    if (current?.pid !== undefined) killGroup(current.pid, 'SIGTERM');
    console.error(`\nnpm test: interrupted (${signal}).`);
    process.exit(130);
  });
}

function killGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

/**
 * Runs a command in its own process group, streaming its output; kills the group after `timeoutMs`.
 * @returns {Promise<{ code: number, output: string }>} output = the last 64 KiB of stdout + stderr
 */
function run(command, args, { timeoutMs, env = process.env }) {
  return new Promise((resolvePromise) => {
    let output = '';
    const child = spawn(command, args, { cwd: REPO, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    current = child;
    const keep = (chunk, stream) => {
      stream.write(chunk);
      output = (output + chunk.toString()).slice(-65_536);
    };
    child.stdout.on('data', (chunk) => keep(chunk, process.stdout));
    child.stderr.on('data', (chunk) => keep(chunk, process.stderr));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      console.error(`\n${command} ${args.join(' ')}: no result after ${timeoutMs / MINUTE} min, killing it.`);
      killGroup(child.pid, 'SIGKILL');
    }, timeoutMs);
    child.once('error', (error) => {
      output += `\n${command}: ${error.message}`;
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      current = undefined;
      killGroup(child.pid, 'SIGKILL'); // leftovers of the layer, if any
      resolvePromise({ code: timedOut ? 124 : code ?? 1, output });
    });
  });
}

function header(title) {
  console.log(`\n${'='.repeat(72)}\n== ${title}\n${'='.repeat(72)}`);
}

function mtime(path) {
  return existsSync(path) ? statSync(path).mtimeMs : 0;
}

/** (a) npm ci when node_modules is missing or older than package-lock.json; then make sure esbuild runs. */
async function installDependencies() {
  const lock = join(REPO, 'package-lock.json');
  const installed = mtime(join(REPO, 'node_modules', '.package-lock.json')); // npm writes it on every install
  if (installed === 0 || installed < mtime(lock)) {
    header('install: npm ci');
    const { code } = await run('npm', ['ci', '--no-audit', '--no-fund'], { timeoutMs: 20 * MINUTE });
    if (code !== 0) throw new Error(`npm ci failed (exit ${code}).`);
  }
  const probe = ['-e', "require('esbuild').transformSync('let a: number = 1', { loader: 'ts' })"];
  if ((await run(process.execPath, probe, { timeoutMs: MINUTE })).code !== 0) {
    // npm 11 does not run dependency install scripts by default; esbuild's postinstall fetches/validates its binary.
    console.log('esbuild does not run; running its postinstall (node node_modules/esbuild/install.js).');
    await run(process.execPath, [join(REPO, 'node_modules', 'esbuild', 'install.js')], { timeoutMs: 5 * MINUTE });
    if ((await run(process.execPath, probe, { timeoutMs: MINUTE })).code !== 0) throw new Error('esbuild does not work after its postinstall.');
  }
}

function testFiles(dir, suffix = '.test.js') {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return testFiles(path, suffix);
      return entry.name.endsWith(suffix) ? [path] : [];
    })
    .sort();
}

/**
 * A node --test layer: spec reporter to the console, TAP to a file whose "# pass / # fail" lines are the counts.
 * Compiled layers run out/test/<layer>/*.test.js; the e2e layer runs test/e2e/*.e2e.mjs as written.
 */
async function nodeTestLayer(layer, extraArgs, files = testFiles(join(REPO, 'out', 'test', layer))) {
  if (files.length === 0) {
    console.log(`(no test files for ${layer})`);
    return { passed: 0, failed: 0 };
  }
  const tap = join(REPO, 'test-results', `${layer}.tap`);
  mkdirSync(dirname(tap), { recursive: true });
  const args = [
    '--test', '--test-timeout=120000', ...extraArgs,
    '--test-reporter=spec', '--test-reporter-destination=stdout', '--test-reporter=tap', `--test-reporter-destination=${tap}`,
    ...files.map((file) => relative(REPO, file)),
  ];
  const { code } = await run(process.execPath, args, { timeoutMs: 30 * MINUTE });
  const report = existsSync(tap) ? readFileSync(tap, 'utf8') : '';
  const count = (name) => Number(new RegExp(`^# ${name} (\\d+)$`, 'm').exec(report)?.[1] ?? 0);
  const passed = count('pass');
  const failed = count('fail') + count('cancelled');
  // A crash or timeout that left no failing test in the report is still a failure.
  return { passed, failed: code !== 0 && failed === 0 ? 1 : failed };
}

async function commandLayer(script) {
  const { code } = await run('npm', ['run', '-s', script], { timeoutMs: 15 * MINUTE });
  return code === 0 ? { passed: 1, failed: 0 } : { passed: 0, failed: 1 };
}

async function vscodeLayer() {
  const { code, output } = await run(process.execPath, [join(REPO, 'scripts', 'run-vscode-tests.mjs')], { timeoutMs: 20 * MINUTE });
  const counts = [...output.matchAll(/^vscode: (\d+) passed, (\d+) failed$/gm)].at(-1);
  const passed = Number(counts?.[1] ?? 0);
  const failed = Number(counts?.[2] ?? 0);
  return { passed, failed: code !== 0 && failed === 0 ? 1 : failed };
}

const RUNNERS = {
  typecheck: () => commandLayer('typecheck'),
  lint: () => commandLayer('lint'),
  unit: () => nodeTestLayer('unit', []),
  integration: () => nodeTestLayer('integration', ['--test-concurrency=1']),
  package: () => nodeTestLayer('package', [], testFiles(join(REPO, 'test', 'package'), '.test.mjs')),
  vscode: () => vscodeLayer(),
  e2e: () => nodeTestLayer('e2e', ['--test-concurrency=1'], testFiles(join(REPO, 'test', 'e2e'), '.e2e.mjs')),
};

async function main() {
  const requested = process.argv.slice(2);
  const unknown = requested.filter((name) => !LAYERS.includes(name));
  if (unknown.length > 0) {
    console.error(`Unknown layer(s): ${unknown.join(', ')}. Layers: ${LAYERS.join(' ')}`);
    return 2;
  }
  const layers = LAYERS.filter((name) => requested.length === 0 || requested.includes(name));
  const results = new Map();

  await installDependencies();
  header('test host: mosquitto, openssl, code-server, chromium');
  const { ensureTestHost } = await import('./code-server.mjs');
  const host = await ensureTestHost();
  for (const [need, problem] of Object.entries(host)) console.log(`${need}: ${problem ?? 'ready'}`);

  header('build: node scripts/build.mjs --tests');
  const build = await run(process.execPath, [join(REPO, 'scripts', 'build.mjs'), '--tests'], { timeoutMs: 10 * MINUTE });

  for (const layer of layers) {
    header(`layer: ${layer}`);
    const problem = NEEDS[layer].map((need) => host[need]).find((reason) => reason !== undefined);
    if (problem !== undefined) {
      results.set(layer, CI ? { passed: 0, failed: 1, note: `CI=true, cannot skip: ${problem}` } : { skipped: problem });
      console.log(CI ? `FAILED: ${layer}: the test host is not available: ${problem}` : `\n!!!!!!!! SKIPPED: ${layer}: ${problem} !!!!!!!!\n`);
      continue;
    }
    if (build.code !== 0 && layer !== 'typecheck' && layer !== 'lint') {
      results.set(layer, { passed: 0, failed: 1, note: 'not run: the build failed' });
      console.log(`FAILED: ${layer}: not run because the build failed.`);
      continue;
    }
    const result = await RUNNERS[layer]();
    results.set(layer, result);
    console.log(`\n${layer}: ${result.passed} passed, ${result.failed} failed`);
  }

  header('summary');
  let passed = 0;
  let failed = build.code === 0 ? 0 : 1;
  if (build.code !== 0) console.log(`  ${'build'.padEnd(12)} FAILED (exit ${build.code})`);
  for (const [layer, result] of results) {
    if (result.skipped !== undefined) {
      console.log(`  ${layer.padEnd(12)} SKIPPED: ${result.skipped}`);
      continue;
    }
    passed += result.passed;
    failed += result.failed;
    console.log(`  ${layer.padEnd(12)} ${result.passed} passed, ${result.failed} failed${result.note ? ` (${result.note})` : ''}`);
  }
  console.log(`${passed} passed, ${failed} failed`);
  return failed > 0 ? 1 : 0;
}

try {
  process.exitCode = await main();
} catch (error) {
  console.error(`npm test: ${error instanceof Error ? error.message : String(error)}`);
  console.log('0 passed, 1 failed');
  process.exitCode = 1;
}
