// What a person sees and clicks: the MQTT Workbench sidebar in a real VS Code (code-server) driven by Chromium.
// Opens the activity bar container, connects a saved connection with its inline action, watches the Topics view
// fill from a live mosquitto, and saves screenshots of the sidebar in the dark and the light theme.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { REPO, developmentUrl, ensureTestHost, extensionLink, launchChromium, startCodeServer } from '../../scripts/code-server.mjs';

const require = createRequire(import.meta.url);
const { startMosquitto } = require('../../out/test/helpers/broker.js');
const mqtt = require('mqtt');

const SHOTS = join(REPO, 'test-results', 'e2e');
const cleanups = [];
let page;
let publisher;
let ticker;

before(async () => {
  const host = await ensureTestHost();
  if (host.vscode !== undefined) throw new Error(`the VS Code test host is not available: ${host.vscode}`);
  mkdirSync(SHOTS, { recursive: true });
  const broker = await startMosquitto();
  cleanups.push(() => broker.stop());

  // A device that has been talking for a while: retained status and config, live telemetry.
  publisher = mqtt.connect(broker.url('mqtt'), { clientId: 'e2e-device-sim', reconnectPeriod: 0 });
  await new Promise((resolve, reject) => publisher.once('connect', resolve).once('error', reject));
  cleanups.push(() => publisher.endAsync());
  for (const line of [1, 2]) {
    await publisher.publishAsync(`plant/line${line}/status`, 'online', { qos: 1, retain: true });
    await publisher.publishAsync(`plant/line${line}/config`, JSON.stringify({ interval: 1000, unit: 'C' }), { qos: 1, retain: true });
  }
  let n = 0;
  ticker = setInterval(() => {
    n++;
    for (const line of [1, 2]) {
      publisher.publish(`plant/line${line}/cell${n % 3}/temperature`, JSON.stringify({ t: 20 + ((n * line) % 7) / 2, seq: n }));
    }
    publisher.publish('plant/line1/cell0/raw', Buffer.from([0xde, 0xad, 0xbe, 0xef, n & 0xff]));
  }, 200);
  cleanups.push(() => clearInterval(ticker));

  const temp = mkdtempSync(join(tmpdir(), 'mqtt-workbench-e2e-'));
  cleanups.push(() => rmSync(temp, { recursive: true, force: true }));
  const workspace = join(temp, 'firmware');
  mkdirSync(join(workspace, '.vscode'), { recursive: true });
  writeFileSync(
    join(workspace, '.vscode', 'settings.json'),
    JSON.stringify({ 'mqttWorkbench.connections': [{ name: 'Plant broker', host: '127.0.0.1', port: broker.port, subscriptions: [{ filter: 'plant/#', qos: 1, retainAsPublished: true }] }] }, null, 2),
  );
  const userDataDir = join(temp, 'user-data');
  const server = await startCodeServer({ workspace, userDataDir, extensionsDir: join(temp, 'extensions'), logFile: join(SHOTS, 'code-server.log') });
  cleanups.push(() => server.stop());
  const browser = await launchChromium();
  cleanups.push(() => browser.close());
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(developmentUrl({ port: server.port, workspace, extensionPath: extensionLink(temp) }));
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
});

after(async () => {
  while (cleanups.length > 0) {
    const cleanup = cleanups.pop();
    await Promise.resolve().then(cleanup).catch((error) => console.error(`cleanup: ${error.message}`));
  }
});

/** The row of a tree view whose label is `label`. */
const row = (view, label) =>
  page
    .locator(`[id="workbench.view.extension.mqttWorkbench"] .pane:has(.pane-header[aria-label="${view} Section"]) .monaco-list-row`)
    .filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`) }) });

/** Switches the color theme the way a person does: F1, "Preferences: Color Theme", pick one. */
async function setColorTheme(name) {
  await page.keyboard.press('F1');
  await page.keyboard.type('Preferences: Color Theme');
  await page.locator('.quick-input-list .monaco-list-row[aria-label^="Preferences: Color Theme"]').first().click();
  await page.keyboard.type(name);
  await page.locator(`.quick-input-list .monaco-list-row[aria-label^="${name}"]`).first().click();
}

/** Drags the sash right of the sidebar so descriptions fit, as a person would. */
async function widenSidebar(width) {
  const box = await page.locator('.part.sidebar').boundingBox();
  if (!box) return;
  await page.mouse.move(box.x + box.width + 1, box.y + 200);
  await page.mouse.down();
  await page.mouse.move(box.x + width, box.y + 200, { steps: 5 });
  await page.mouse.up();
}

test('open the sidebar, connect with the inline action, and watch the topic tree fill', async () => {
  await page.locator('.activitybar a.action-label[aria-label="MQTT Workbench"]').click();
  await widenSidebar(460);
  const connection = row('Connections', 'Plant broker');
  await connection.waitFor({ timeout: 30_000 });
  assert.match(await connection.innerText(), /127\.0\.0\.1:\d+ · disconnected/);

  await connection.hover();
  await connection.locator('.action-label[aria-label="Connect"]').click();
  await page.waitForFunction(() => /connected/.test(document.querySelector('[id="workbench.view.extension.mqttWorkbench"]')?.textContent ?? ''), undefined, { timeout: 30_000 });
  await assert.doesNotReject(connection.filter({ hasText: '· connected' }).waitFor({ timeout: 15_000 }));
  assert.match(await row('Connections', 'plant/#').innerText(), /QoS 1/);

  const topicsRoot = row('Topics', 'Plant broker');
  await topicsRoot.waitFor({ timeout: 15_000 });
  await row('Topics', 'plant').click();
  await row('Topics', 'line1').click();
  await row('Topics', 'cell0').click();
  await row('Topics', 'temperature').waitFor({ timeout: 15_000 });
  assert.match(await row('Topics', 'status').innerText(), /online/);
  assert.match(await row('Topics', 'raw').innerText(), /0x de ad be ef/);
  assert.match(await topicsRoot.innerText(), /\d+ topics · \d+ msg\/s/);
  await page.mouse.move(900, 600);
  await page.waitForTimeout(800);
  await page.locator('.part.sidebar').screenshot({ path: join(SHOTS, 'sidebar-dark.png') });

  await setColorTheme('Light Modern');
  await page.locator('.monaco-workbench.vs').waitFor({ timeout: 15_000 });
  await page.waitForTimeout(800);
  await page.locator('.part.sidebar').screenshot({ path: join(SHOTS, 'sidebar-light.png') });
  await page.screenshot({ path: join(SHOTS, 'window-light.png') });
});
