/* global document, window, performance, requestAnimationFrame, Event -- used inside page.evaluate, which runs in the browser */
// Loads the panel webview in headless Chromium with a fake host (fakeHost.js) and checks it by eye and by
// numbers: rows in the DOM, getRows requests, XSS strings inert. Run after `node scripts/build.mjs`:
//   node test/webview-harness/run.mjs   -> screenshots in /tmp/panel-harness-*.png
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { chromium } from 'playwright-core';

const root = process.cwd();
const types = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.map': 'application/json' };
const server = createServer(async (req, res) => {
  const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
  try {
    const body = await readFile(join(root, path));
    res.writeHead(200, { 'content-type': types[extname(path)] ?? 'application/octet-stream' }).end(body);
  } catch {
    res.writeHead(404).end();
  }
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
const port = server.address().port;
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
const results = {};
const wait = (ms) => new Promise((r) => setTimeout(r, ms));

async function open(query, size = { width: 1000, height: 760 }) {
  const page = await browser.newPage({ viewport: size });
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(String(e)));
  await page.goto(`http://127.0.0.1:${port}/test/webview-harness/index.html?${query}`);
  await page.waitForSelector('.list-spacer > .row:not(.loading)');
  await wait(300);
  return { page, problems };
}
const dom = (page) => page.evaluate(() => ({
  rowsInDom: document.querySelectorAll('.list-spacer > .row').length,
  visibleRows: document.querySelectorAll('.list-spacer > .row:not([hidden])').length,
  getRows: window.__posted.filter((m) => m.type === 'getRows').length,
  rowsAsked: window.__posted.filter((m) => m.type === 'getRows').reduce((n, m) => n + m.count, 0),
  pwned: window.__pwned,
  imgs: document.querySelectorAll('img, svg, script:not([src])').length,
  status: document.querySelector('.toolbar-counts')?.textContent,
}));

for (const n of [100_000, 1_000_000]) {
  const { page, problems } = await open(`n=${n}`);
  const atStart = await dom(page);
  await page.screenshot({ path: `/tmp/panel-harness-${n}-end.png` });
  // Scroll through the list: 60 jumps, measure time per scroll + render.
  const scrollMs = await page.evaluate(async () => {
    const s = document.querySelector('.list-scroll');
    const t0 = performance.now();
    for (let i = 0; i < 60; i++) {
      s.scrollTop = (s.scrollHeight * i) / 60;
      await new Promise((r) => requestAnimationFrame(() => r(undefined)));
    }
    return (performance.now() - t0) / 60;
  });
  await page.evaluate(() => { const s = document.querySelector('.list-scroll'); s.scrollTop = s.scrollHeight / 2; });
  await wait(300);
  await page.click('.list-spacer > .row:not([hidden]) >> nth=5');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await wait(400);
  await page.screenshot({ path: `/tmp/panel-harness-${n}-middle.png` });
  results[n] = { atStart, afterScroll: await dom(page), msPerScrollFrame: scrollMs.toFixed(2), problems };
  await page.close();
}

// Filter error, banner, codec error, narrow layout.
{
  const { page, problems } = await open('n=5000&live=1', { width: 760, height: 900 });
  await page.click('.list-spacer > .row:not([hidden]) >> nth=3');
  await wait(300);
  await page.locator('.filter-topic').click();
  await page.keyboard.type('sensors/#/x');
  await wait(500);
  await page.locator('.detail-actions vscode-button').first().click();
  await wait(300);
  await page.screenshot({ path: '/tmp/panel-harness-errors.png' });
  results.errors = { ...(await dom(page)), filterError: await page.textContent('.filter-error'), banner: await page.textContent('.banner-text'), problems };
  await page.close();
}
// Live rows with follow mode, wide layout, CBOR decode error.
{
  const { page, problems } = await open('n=300&live=1', { width: 1400, height: 700 });
  await page.click('.list-spacer > .row:not([hidden]) >> nth=-3');
  await page.evaluate(() => { const d = document.querySelector('.detail-codec'); d.value = 'cbor'; d.dispatchEvent(new Event('change')); });
  await wait(1000);
  await page.screenshot({ path: '/tmp/panel-harness-live.png' });
  const follow = await page.evaluate(() => { const s = document.querySelector('.list-scroll'); return s.scrollTop + s.clientHeight >= s.scrollHeight - 2; });
  await page.evaluate(() => { document.querySelector('.list-scroll').scrollTop = 0; });
  await wait(800);
  await page.screenshot({ path: '/tmp/panel-harness-unfollow.png' });
  results.live = { ...(await dom(page)), followedToBottom: follow, newButton: await page.isVisible('.list-new'), detailError: await page.textContent('.detail-error'), problems };
  await page.close();
}
console.log(JSON.stringify(results, null, 2));
await browser.close();
server.close();
