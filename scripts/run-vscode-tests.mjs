// Runs the extension-host tests (out/test/vscode, built by `node scripts/build.mjs --tests`) inside a real
// VS Code: code-server on a free loopback port, a fresh workspace and profile, Chromium driving the page.
// Prints what the tests print, saves test-results/vscode/final.png, and exits with the tests' exit code.
// Usage: node scripts/run-vscode-tests.mjs   (env MQTT_WORKBENCH_TEST_GREP=<title regexp> to run a subset)
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { REPO, developmentUrl, ensureTestHost, extensionLink, launchChromium, startCodeServer } from './code-server.mjs';

const TEST_TIMEOUT_MS = 15 * 60_000;
const TESTS_PATH = join(REPO, 'out', 'test', 'vscode');
const RESULTS = join(REPO, 'test-results');
const OUT = join(RESULTS, 'vscode');

/** Everything started here, stopped in reverse order on exit, error or signal. */
const cleanups = [];
async function cleanUp() {
  while (cleanups.length > 0) {
    const step = cleanups.pop();
    try {
      await step();
    } catch (error) {
      console.error(`cleanup: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    console.error(`\nvscode tests: ${signal}, stopping code-server and Chromium...`);
    void cleanUp().finally(() => process.exit(130));
  });
}

/** Runs the tests once and returns the exit code VS Code reported (1 on timeout or crash). */
async function main() {
  if (!existsSync(join(TESTS_PATH, 'index.js'))) {
    throw new Error(`${TESTS_PATH}/index.js is missing: run "node scripts/build.mjs --tests" first.`);
  }
  const host = await ensureTestHost();
  if (host.vscode !== undefined) throw new Error(`cannot run VS Code tests: ${host.vscode}`);
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });

  const temp = mkdtempSync(join(tmpdir(), 'mqtt-workbench-vscode-'));
  cleanups.push(() => rmSync(temp, { recursive: true, force: true }));
  const workspace = join(temp, 'workspace');
  mkdirSync(workspace);
  const started = Date.now();
  const server = await startCodeServer({
    workspace,
    userDataDir: join(temp, 'user-data'),
    extensionsDir: join(temp, 'extensions'),
    logFile: join(OUT, 'code-server.log'),
    // The extension host is a child of code-server, so it inherits these.
    // MQTT_WORKBENCH_USER_DATA lets security tests search VS Code's logs and state for secrets.
    env: { MQTT_WORKBENCH_TEST_RESULTS: RESULTS, MQTT_WORKBENCH_REPO: REPO, MQTT_WORKBENCH_USER_DATA: join(temp, 'user-data') },
  });
  cleanups.push(() => server.stop());
  console.log(`vscode: code-server answered on ${server.url} after ${Date.now() - started} ms`);

  const browser = await launchChromium();
  cleanups.push(() => browser.close());
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  let reportExit = () => {};
  const exited = new Promise((resolve) => {
    reportExit = resolve;
  });
  let galleryNoticed = false;
  await page.exposeFunction('codeAutomationLog', (type, args) => {
    const text = Array.isArray(args) ? args.map(String).join(' ') : String(args);
    if (text.includes('ENOTFOUND open-vsx.org')) {
      // code-server asks its extension gallery for updates; this machine is offline. Say it once, briefly.
      if (!galleryNoticed) console.log('(the extension gallery open-vsx.org is unreachable: offline, ignored)');
      galleryNoticed = true;
      return;
    }
    (type === 'error' ? console.error : console.log)(text);
  });
  await page.exposeFunction('codeAutomationExit', (code, logs) => {
    saveLogs(logs);
    reportExit(typeof code === 'number' ? code : 1);
  });
  await page.goto(developmentUrl({ port: server.port, workspace, extensionPath: extensionLink(temp), testsPath: TESTS_PATH }));

  const timedOut = delay(TEST_TIMEOUT_MS, 'timeout'); // kept ref'd: an empty event loop must never end the run as a pass
  const crashed = new Promise((resolve) => {
    browser.once('disconnected', () => resolve('Chromium disconnected'));
    void server.exited.then((exitCode) => resolve(`code-server exited (code ${exitCode}); see ${server.logFile}`));
  });
  const outcome = await Promise.race([exited, timedOut, crashed]);
  await page.screenshot({ path: join(OUT, 'final.png') }).catch((error) => console.error(`vscode: no final screenshot: ${error.message}`));
  if (outcome === 'timeout') {
    console.error(`vscode: FAILED: the tests did not finish within ${TEST_TIMEOUT_MS / 60_000} minutes (see ${OUT}/final.png, code-server.log).`);
    return 1;
  }
  if (typeof outcome === 'string') {
    console.error(`vscode: FAILED: ${outcome} before the tests finished.`);
    return 1;
  }
  console.log(`vscode: VS Code exited with code ${outcome} after ${Math.round((Date.now() - started) / 1000)} s (screenshot ${join(OUT, 'final.png')})`);
  return outcome;
}

/** Saves the log files VS Code hands to codeAutomationExit (renderer logs kept in the browser). */
function saveLogs(logs) {
  if (!Array.isArray(logs)) return;
  for (const { relativePath, contents } of logs) {
    if (typeof relativePath !== 'string' || typeof contents !== 'string' || relativePath.includes('..')) continue;
    const file = join(OUT, 'logs', relativePath);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, contents);
  }
}

let code = 1;
try {
  code = await main();
} catch (error) {
  console.error(`vscode: FAILED: ${error instanceof Error ? error.message : String(error)}`);
} finally {
  await cleanUp();
}
process.exit(code);
