/* global document, performance, requestAnimationFrame -- used inside frame.evaluate, which runs in the webview */
// `npm run bench -- vscode-load`: the extension under a flood, measured where users live: code-server (the real
// VS Code) driven by Chromium. The extension-host half (vscodeLoad/index.ts, loaded as the tests module) connects
// the extension to its own mosquitto, opens the message panel and floods it at 1,000, 5,000 and 20,000 msg/s
// (1,000 topics, 64 B, QoS 1) for 20 s each, measuring inside the extension host: event-loop lag p50/p99, CPU % and
// RSS of the process, messages the broker accepted but the extension never got (dropped). During the top rate
// this side acts as a person: expands the busy subtree of the Topics view (time from a click on a row to the row
// being selected), opens the command palette (time until it shows) and scrolls the message panel (frame time
// p95). Prints one JSON line; a figure that could not be measured is null with a "why". Asserts nothing.
// A first step at rate 0 measures the same figures with no flood (the loaded machine's own floor).
// Then the top rate once more with mosquitto_sub (C) subscribed instead of the extension: the reference for the
// messages the broker dropped. Env: MQTT_BENCH_LOAD_RATES (default 0,1000,5000,20000), MQTT_BENCH_LOAD_SECONDS (default 20).
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { REPO, developmentUrl, ensureTestHost, extensionLink, launchChromium, startCodeServer } from '../../scripts/code-server.mjs';
import { panelFrame, runCleanups, treeRow } from '../e2e/workbench.mjs';

const TESTS_PATH = join(REPO, 'out', 'test', 'bench', 'vscodeLoad');
const RUN_TIMEOUT_MS = 20 * 60_000;
const UI_TIMEOUT_MS = 60_000;
const SCROLL_FRAMES = 90;

const median = (values) => (values.length === 0 ? null : [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]);
const round1 = (n) => Math.round(n * 10) / 10;
const why = (error) => (error instanceof Error ? error.message.split('\n')[0] : String(error));

/** Time from F1 to the command palette showing, then Escape; the median of three. */
async function paletteOpenMs(page) {
  const times = [];
  for (let i = 0; i < 3; i++) {
    const started = performance.now();
    await page.keyboard.press('F1');
    await page.locator('.quick-input-widget input.input').waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    times.push(performance.now() - started);
    await page.keyboard.press('Escape');
    await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: UI_TIMEOUT_MS });
  }
  return round1(median(times));
}

/**
 * Clicks tree rows `labels` in turn (the first expands the busy subtree, the next are rows inside it, which stay in
 * view); the median time until the clicked row is selected.
 */
async function treeRowSelectMs(page, labels) {
  const times = [];
  for (const label of labels) {
    const row = treeRow(page, 'Topics', label).first();
    await row.waitFor({ timeout: UI_TIMEOUT_MS });
    const started = performance.now();
    await row.click();
    // The row element is re-rendered by the tree's refreshes: wait for a selected row with that label, not for one element.
    await treeRow(page, 'Topics', label).and(page.locator('.monaco-list-row.selected')).first().waitFor({ timeout: UI_TIMEOUT_MS });
    times.push(performance.now() - started);
  }
  return round1(median(times));
}

/** Scrolls the message panel's list a little every frame; p95 of the time between frames. */
async function webviewFrameP95Ms(page) {
  const frame = await panelFrame(page);
  return frame.evaluate(async (frames) => {
    const list = document.querySelector('.list-scroll');
    if (!list) throw new Error('the message list is not in the panel');
    const gaps = [];
    let last = performance.now();
    for (let i = 0; i < frames; i++) {
      list.scrollTop = Math.max(0, list.scrollHeight - list.clientHeight) * (1 - i / frames);
      await new Promise((resolve) => requestAnimationFrame(() => resolve(undefined)));
      const now = performance.now();
      gaps.push(now - last);
      last = now;
    }
    gaps.sort((a, b) => a - b);
    return Math.round(gaps[Math.floor(gaps.length * 0.95)] * 10) / 10;
  }, SCROLL_FRAMES);
}

/** Runs one UI measurement; a failure becomes null with its reason. */
async function measured(name, figures, work) {
  try {
    figures[name] = await work();
  } catch (error) {
    figures[name] = null;
    figures[`${name}Why`] = why(error);
  }
}

async function main() {
  const host = await ensureTestHost();
  if (host.vscode !== undefined) return { vscodeLoad: null, why: `no VS Code to run in: ${host.vscode}` };
  const cleanups = [];
  try {
    const temp = mkdtempSync(join(tmpdir(), 'mqtt-workbench-load-'));
    cleanups.push(() => rmSync(temp, { recursive: true, force: true }));
    const workspace = join(temp, 'workspace');
    mkdirSync(workspace);
    const env = Object.fromEntries(['MQTT_BENCH_LOAD_RATES', 'MQTT_BENCH_LOAD_SECONDS'].filter((k) => process.env[k]).map((k) => [k, process.env[k]]));
    const server = await startCodeServer({ workspace, userDataDir: join(temp, 'user-data'), extensionsDir: join(temp, 'extensions'), logFile: join(temp, 'code-server.log'), env });
    cleanups.push(() => server.stop());
    const browser = await launchChromium();
    cleanups.push(() => browser.close());
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    const ui = {};
    let steps;
    let reference;
    let uiDone = Promise.resolve();
    const topRate = Math.max(...(process.env.MQTT_BENCH_LOAD_RATES ?? '0,1000,5000,20000').split(',').map(Number));
    let finish;
    const finished = new Promise((resolve) => (finish = resolve));
    await page.exposeFunction('codeAutomationLog', (_type, args) => {
      const text = Array.isArray(args) ? args.map(String).join(' ') : String(args);
      if (!text.startsWith('vscode-load: ')) return;
      console.log(text);
      const event = JSON.parse(text.slice('vscode-load: '.length));
      if (event.phase === 'flood' && (event.rate === topRate || event.rate === 0)) {
        const suffix = event.rate === 0 ? 'Idle' : '';
        const previous = uiDone;
        uiDone = (async () => {
          await previous;
          await delay(2000); // let the flood reach its rate before acting as a person
          if (event.rate === 0) await measured('treeRowSelectMsIdle', ui, () => treeRowSelectMs(page, ['load']));
          else await measured('treeRowSelectMs', ui, () => treeRowSelectMs(page, ['site0', 'device3', 'device7']));
          await measured(`paletteOpenMs${suffix}`, ui, () => paletteOpenMs(page));
          await measured(`webviewFrameP95Ms${suffix}`, ui, () => webviewFrameP95Ms(page));
        })();
      }
      if (event.phase === 'done') ({ steps, reference } = event);
    });
    await page.exposeFunction('codeAutomationExit', (code) => finish(code));
    await page.goto(developmentUrl({ port: server.port, workspace, extensionPath: extensionLink(temp), testsPath: TESTS_PATH }));
    const outcome = await Promise.race([finished, delay(RUN_TIMEOUT_MS, 'timeout', { ref: false }), server.exited.then(() => 'code-server exited')]);
    await uiDone;
    if (steps === undefined) return { vscodeLoad: null, why: outcome === 'timeout' ? `the flood did not finish within ${RUN_TIMEOUT_MS / 60_000} minutes` : `the extension-host half ended (${String(outcome)}) without figures; see the lines above` };
    const top = steps.find((step) => step.rate === topRate);
    const idle = steps.find((step) => step.rate === 0);
    return { lagP99MsAtTopRate: top?.lagP99Ms ?? null, lagP99MsIdle: idle?.lagP99Ms ?? null, topRate, droppedAtTopRate: top?.dropped ?? null, referenceDroppedAtTopRate: reference?.referenceDropped ?? null, ...ui, steps, reference };
  } finally {
    await runCleanups(cleanups);
  }
}

let figures;
try {
  figures = await main();
} catch (error) {
  figures = { vscodeLoad: null, why: why(error) };
}
console.log(JSON.stringify(figures));
