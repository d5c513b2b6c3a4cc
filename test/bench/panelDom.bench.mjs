/* global document, window, performance, requestAnimationFrame -- used inside page.evaluate, which runs in the browser */
// Benchmark of the message panel's virtual list in Chromium, with a stand-in host (panelDom/fakeHost.js) that
// serves generated rows: rows in the DOM and rows asked of the host for 100k and 1M history entries, at the
// top and after scrolling through the whole list, and the time per scroll frame. Ends with one JSON line.
// Run after `node scripts/build.mjs`: node test/bench/panelDom.bench.mjs. No assertions on timing. Waits are generous
// (a loaded machine); a figure that could not be measured prints as {"panelDom":null,"why":"..."} with exit 0.
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { REPO, launchChromium } from '../../scripts/code-server.mjs';

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.map': 'application/json' };
const SCROLL_STEPS = 60;
/** How long a step may take on a loaded 2-core machine before the figures are given up. */
const STEP_TIMEOUT_MS = 180_000;

const server = createServer(async (request, response) => {
  const path = normalize(decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname));
  try {
    const body = await readFile(join(REPO, path));
    response.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream' }).end(body);
  } catch {
    response.writeHead(404).end();
  }
});
/** Waits until every row in sight has its content (no placeholder in the viewport waits for the host's answer). */
const settled = (page) =>
  page.waitForFunction(
    () => {
      const view = document.querySelector('.list-scroll')?.getBoundingClientRect();
      const inSight = [...document.querySelectorAll('.list-spacer > .row')].filter((row) => {
        const box = row.getBoundingClientRect();
        return view !== undefined && box.bottom > view.top && box.top < view.bottom;
      });
      return inSight.length > 0 && inSight.every((row) => !row.classList.contains('loading'));
    },
    undefined,
    { timeout: STEP_TIMEOUT_MS },
  );

/** Loads the panel for 100k and 1M entries, scrolls through each; resolves with the figures. */
async function measure(browser, port) {
  const results = {};

  /** What the list has in the DOM and has asked the host for. */
  const domFigures = (page) =>
    page.evaluate(() => ({
      rowsInDom: document.querySelectorAll('.list-spacer > .row').length,
      getRowsRequests: window.__posted.filter((m) => m.type === 'getRows').length,
      rowsAsked: window.__posted.filter((m) => m.type === 'getRows').reduce((n, m) => n + m.count, 0),
    }));

  for (const entries of [100_000, 1_000_000]) {
    const page = await browser.newPage({ viewport: { width: 1000, height: 760 } });
    await page.goto(`http://127.0.0.1:${port}/test/bench/panelDom/index.html?n=${entries}`);
    await settled(page);
    const atStart = await domFigures(page);
    const msPerScrollFrame = await page.evaluate(async (steps) => {
      const list = document.querySelector('.list-scroll');
      const started = performance.now();
      for (let i = 0; i <= steps; i++) {
        list.scrollTop = (list.scrollHeight * i) / steps;
        await new Promise((resolve) => requestAnimationFrame(() => resolve(undefined)));
      }
      return (performance.now() - started) / (steps + 1);
    }, SCROLL_STEPS);
    await settled(page);
    const afterScroll = await domFigures(page);
    results[entries] = { atStart, afterScroll, msPerScrollFrame: Math.round(msPerScrollFrame * 100) / 100 };
    console.log(`${entries.toLocaleString('en-US')} entries: ${atStart.rowsInDom} rows in the DOM on opening (following the newest), ${afterScroll.rowsInDom} after scrolling to the end; ${afterScroll.rowsAsked} rows asked in ${afterScroll.getRowsRequests} requests; ${results[entries].msPerScrollFrame} ms per scroll frame`);
    await page.close();
  }
  return { rowsInDom100k: results[100_000].atStart.rowsInDom, rowsInDom1M: results[1_000_000].afterScroll.rowsInDom, msPerScrollFrame1M: results[1_000_000].msPerScrollFrame };
}

await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
let figures;
try {
  const browser = await launchChromium();
  try {
    figures = await measure(browser, server.address().port);
  } finally {
    await browser.close();
  }
} catch (error) {
  figures = { panelDom: null, why: error instanceof Error ? error.message.split('\n')[0] : String(error) };
} finally {
  server.close();
}
console.log(JSON.stringify(figures));
