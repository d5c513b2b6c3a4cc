// The fleet simulator as a person uses it: open the sample scenario, click the "Run" CodeLens, watch the
// dashboard fill with rates and latencies from a real mosquitto, switch themes (screenshots in both), press Stop,
// find the report next to the scenario; then Start Simulated Devices from the CodeLens and stop them from the
// Connections view.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { after, afterEach, before, test } from 'node:test';
import { openWorkbench, openWorkspaceFile, runCleanups, screenshotEnd, setColorTheme, treeRow } from './workbench.mjs';

const require = createRequire(import.meta.url);
const { startMosquitto } = require('../../out/test/helpers/broker.js');
const { sampleScenario } = require('../../out/src/core/fleet/sampleScenario.js');

let workbench;
let page;
let shots;
const cleanups = [];

before(async () => {
  const broker = await startMosquitto();
  cleanups.push(() => broker.stop());
  // The sample as New Scenario writes it, running long enough to be stopped by hand.
  const scenario = { ...sampleScenario('Local'), duration: 600 };
  workbench = await openWorkbench({
    name: 'fleet',
    settings: { 'mqttWorkbench.connections': [{ name: 'Local', host: '127.0.0.1', port: broker.port }] },
    files: { 'thermostats.mqttsim.json': `${JSON.stringify(scenario, null, 2)}\n` },
  });
  cleanups.push(() => workbench.close());
  ({ page, shots } = workbench);
});

afterEach(async (t) => screenshotEnd(page, shots, t.name));
after(() => runCleanups(cleanups));

/** The dashboard webview's frame, once it has drawn its tiles. */
async function dashboardFrame() {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    for (const frame of page.frames()) if ((await frame.locator('.tiles .tile').count().catch(() => 0)) > 0) return frame;
    await page.waitForTimeout(200);
  }
  throw new Error('The fleet dashboard did not appear.');
}

/** Waits until a webview (the Markdown preview) shows a heading with `text`. */
async function previewHeading(text) {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    for (const frame of page.frames()) if ((await frame.locator('h1', { hasText: text }).count().catch(() => 0)) > 0) return;
    await page.waitForTimeout(200);
  }
  throw new Error(`No preview shows the heading "${text}".`);
}

const codeLens = (title) => page.locator('.contentWidgets .codelens-decoration a').filter({ hasText: title });

test('Run from the CodeLens: the dashboard shows rates and latencies; Stop writes the report next to the scenario', async () => {
  await openWorkspaceFile(page, 'thermostats.mqttsim.json');
  await codeLens('Run').first().click({ timeout: 30_000 });
  const frame = await dashboardFrame();
  const tile = (key) => frame.locator(`.tile-${key} .tile-value`);
  await frame.locator('.tile-clients .tile-value').filter({ hasText: '20 / 20' }).waitFor({ timeout: 30_000 });
  const nonZero = async (key) => {
    await frame.waitForFunction((selector) => {
      const text = document.querySelector(selector)?.textContent ?? '';
      return /[1-9]/.test(text);
    }, `.tile-${key} .tile-value`, { timeout: 30_000 });
  };
  for (const key of ['sent', 'acked', 'received']) await nonZero(key);
  await frame.locator('.tile-ack .tile-value').filter({ hasText: / ms$/ }).waitFor({ timeout: 30_000 });
  await frame.locator('.tile-e2e .tile-value').filter({ hasText: / ms$/ }).waitFor({ timeout: 30_000 });
  assert.equal(await tile('failed').textContent(), '0');
  assert.equal(await frame.locator('.no-errors').isVisible(), true);
  // A few seconds of charts, then a picture in each theme.
  await frame.waitForFunction(() => (document.querySelector('.line.sent')?.getAttribute('points') ?? '').split(' ').length >= 4, undefined, { timeout: 30_000 });
  await page.screenshot({ path: join(shots, 'dashboard-dark.png') });
  await setColorTheme(page, 'Light Modern', 'vs');
  await page.screenshot({ path: join(shots, 'dashboard-light.png') });
  await setColorTheme(page, 'Dark Modern', 'vs-dark');

  await frame.locator('vscode-button.stop').click();
  await frame.locator('.status').filter({ hasText: /^Done: [\d,]+ messages sent in/ }).waitFor({ timeout: 30_000 });
  await frame.locator('vscode-button.open-report').waitFor({ timeout: 5_000 });
  const reports = readdirSync(workbench.workspace).filter((name) => /^thermostats\.report-\d{8}-\d{6}\.(md|json)$/.test(name));
  assert.equal(reports.length, 2, `report files: ${reports.join(', ')}`);
  const json = JSON.parse(readFileSync(join(workbench.workspace, reports.find((name) => name.endsWith('.json'))), 'utf8'));
  assert.equal(json.runs[0].stoppedBy, 'stopped');
  assert.ok(json.totals.sent > 0 && json.ack.count > 0 && json.endToEnd.count > 0);
  // The Markdown report opens in a preview.
  await page.locator('.tab').filter({ hasText: /Preview thermostats\.report-/ }).waitFor({ timeout: 20_000 });
  await previewHeading('Fleet report: thermostats');
  await page.screenshot({ path: join(shots, 'report-preview.png') });
});

test('Start Simulated Devices from the CodeLens shows them in the Connections view; its stop action ends them', async () => {
  await openWorkspaceFile(page, 'thermostats.mqttsim.json');
  await codeLens('Start Simulated Devices').first().click({ timeout: 30_000 });
  const row = treeRow(page, 'Connections', 'thermostats (simulated)');
  await row.filter({ hasText: '20/20 connected' }).waitFor({ timeout: 30_000 });
  await page.locator('.part.sidebar').screenshot({ path: join(shots, 'simulated-devices.png') });
  await row.hover();
  await row.locator('.action-label[aria-label="Stop Simulated Devices"]').click();
  await row.waitFor({ state: 'detached', timeout: 30_000 });
  await codeLens('Start Simulated Devices').first().waitFor({ timeout: 15_000 });
});
