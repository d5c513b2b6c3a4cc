/* global document, window, performance, requestAnimationFrame -- used inside page.evaluate, which runs in the browser */
// Benchmark of the message panel's virtual list in Chromium, with a stand-in host (panelDom/fakeHost.js) that
// serves generated rows: rows in the DOM and rows asked of the host for 100k and 1M history entries, at the
// top and after scrolling through the whole list, and the time per scroll frame. Ends with one JSON line.
// Run after `node scripts/build.mjs`: node test/bench/panelDom.bench.mjs. No assertions on timing.
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { REPO, launchChromium } from '../../scripts/code-server.mjs';

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.map': 'application/json' };
const SCROLL_STEPS = 60;

const server = createServer(async (request, response) => {
  const path = normalize(decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname));
  try {
    const body = await readFile(join(REPO, path));
    response.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream' }).end(body);
  } catch {
    response.writeHead(404).end();
  }
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
const browser = await launchChromium();

/** What the list has in the DOM and has asked the host for. */
const domFigures = (page) =>
  page.evaluate(() => ({
    rowsInDom: document.querySelectorAll('.list-spacer > .row').length,
    getRowsRequests: window.__posted.filter((m) => m.type === 'getRows').length,
    rowsAsked: window.__posted.filter((m) => m.type === 'getRows').reduce((n, m) => n + m.count, 0),
  }));

const results = {};
for (const entries of [100_000, 1_000_000]) {
  const page = await browser.newPage({ viewport: { width: 1000, height: 760 } });
  await page.goto(`http://127.0.0.1:${server.address().port}/test/bench/panelDom/index.html?n=${entries}`);
  await page.waitForSelector('.list-spacer > .row:not(.loading)');
  await page.waitForTimeout(300);
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
  await page.waitForTimeout(300);
  const afterScroll = await domFigures(page);
  results[entries] = { atStart, afterScroll, msPerScrollFrame: Math.round(msPerScrollFrame * 100) / 100 };
  console.log(`${entries.toLocaleString('en-US')} entries: ${atStart.rowsInDom} rows in the DOM at the top, ${afterScroll.rowsInDom} after scrolling to the end; ${afterScroll.rowsAsked} rows asked in ${afterScroll.getRowsRequests} requests; ${results[entries].msPerScrollFrame} ms per scroll frame`);
  await page.close();
}
await browser.close();
server.close();
console.log(JSON.stringify({ rowsInDom100k: results[100_000].atStart.rowsInDom, rowsInDom1M: results[1_000_000].afterScroll.rowsInDom, msPerScrollFrame1M: results[1_000_000].msPerScrollFrame }));
