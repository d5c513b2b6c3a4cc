// What a person sees and clicks: the MQTT Workbench sidebar in a real VS Code (code-server) driven by Chromium.
// Opens the activity bar container, connects a saved connection with its inline action, watches the Topics view
// fill from a live mosquitto, and saves screenshots of the sidebar in the dark and the light theme.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, test } from 'node:test';
import { answerQuickInput, expandTreePath, openWorkbench, screenshotEnd, setColorTheme, treeRow, widenSidebar, runCleanups } from './workbench.mjs';

const require = createRequire(import.meta.url);
const { startMosquitto } = require('../../out/test/helpers/broker.js');
const { dynamicSecurity } = require('../../out/test/helpers/dynsec.js');
const mqtt = require('mqtt');

let page;
let shots;
let workbench;
let publisher;
let ticker;
let brokerUrl;
const cleanups = [];
const GUARDED_PASSWORD = 'e2e-typed-password';
const row = (view, label) => treeRow(page, view, label);

before(async () => {
  const broker = await startMosquitto();
  cleanups.push(() => broker.stop());
  brokerUrl = broker.url('mqtt');
  // A broker that lets user "dev" subscribe only below public/: a SUBSCRIBE to secret/# is refused (0x87).
  const guarded = await startMosquitto({ extraConfig: await dynamicSecurity(mkdtempSync(join(tmpdir(), 'wb-e2e-dynsec-')), 'dev', GUARDED_PASSWORD, ['public/#']) });
  cleanups.push(() => guarded.stop());

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

  workbench = await openWorkbench({
    name: 'sidebar',
    settings: {
      'mqttWorkbench.connections': [
        { name: 'Plant broker', host: '127.0.0.1', port: broker.port, subscriptions: [{ filter: 'plant/#', qos: 1, retainAsPublished: true }] },
        { name: 'Guarded broker', host: '127.0.0.1', port: guarded.port, username: 'dev', subscriptions: [{ filter: 'secret/#', qos: 1 }, { filter: 'public/#', qos: 0 }] },
      ],
    },
  });
  cleanups.push(() => workbench.close());
  page = workbench.page;
  shots = workbench.shots;
});

afterEach(async (t) => screenshotEnd(page, shots, t.name));

after(async () => {
  await runCleanups(cleanups);
});

test('open the sidebar, connect with the inline action, and watch the topic tree fill', async () => {
  await page.locator('.activitybar a.action-label[aria-label="MQTT Workbench"]').click();
  await widenSidebar(page, 460);
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
  await page.locator('.part.sidebar').screenshot({ path: join(shots, 'sidebar-dark.png') });

  await setColorTheme(page, 'Light Modern', 'vs');
  await page.locator('.part.sidebar').screenshot({ path: join(shots, 'sidebar-light.png') });
  await page.screenshot({ path: join(shots, 'window-light.png') });
});

test('filter the topic tree with an MQTT filter, then clear the filter', async () => {
  const topicsHeader = page.locator('[id="workbench.view.extension.mqttWorkbench"] .pane-header[aria-label="Topics Section"]');
  await topicsHeader.hover();
  await topicsHeader.locator('.action-label[aria-label="Filter Topics"]').click();
  await answerQuickInput(page, 'Text to find in topic names', 'plant/+/status');
  await row('Topics', 'status').first().waitFor({ timeout: 10_000 });
  await page.waitForTimeout(600);
  assert.equal(await row('Topics', 'status').count(), 2, 'both lines show their status');
  assert.equal(await row('Topics', 'temperature').count(), 0, 'telemetry is filtered out');
  assert.equal(await row('Topics', 'config').count(), 0);
  await page.locator('.part.sidebar').screenshot({ path: join(shots, 'topics-filtered.png') });
  await topicsHeader.hover();
  await topicsHeader.locator('.action-label[aria-label="Clear Topic Filter"]').click();
  await page.locator('.pane:has(.pane-header[aria-label="Topics Section"]) .pane-body').getByText('Filter: plant/+/status').waitFor({ state: 'detached', timeout: 10_000 });
  await expandTreePath(page, 'Topics', ['plant', 'line1'], 'config');
  await expandTreePath(page, 'Topics', ['plant'], 'line2');
});

test('clear a retained subtree through its confirmation, and the broker forgets it', async () => {
  // Freeze the busy tree first, as a person would before acting on a row that changes several times a second.
  const topicsHeader = page.locator('[id="workbench.view.extension.mqttWorkbench"] .pane-header[aria-label="Topics Section"]');
  await topicsHeader.hover();
  await topicsHeader.locator('.action-label[aria-label="Pause Live Updates"]').click();
  await page.locator('.pane:has(.pane-header[aria-label="Topics Section"]) .pane-body').getByText('Live updates paused').waitFor({ timeout: 5_000 });
  await row('Topics', 'line2').click({ button: 'right' });
  const item = page.getByRole('menuitem', { name: 'Clear Retained Subtree' });
  await item.hover();
  await page.keyboard.press('Enter');
  const dialog = page.locator('.monaco-dialog-box');
  await dialog.waitFor({ timeout: 10_000 });
  assert.match(await dialog.innerText(), /Clear 2 retained messages at or below "plant\/line2" on Plant broker\?/);
  await page.screenshot({ path: join(shots, 'clear-retained-confirm.png') });
  await dialog.getByRole('button', { name: 'Clear Retained' }).click();
  await page.locator('.notifications-toasts').getByText('Cleared 2 retained messages under "plant/line2".').waitFor({ timeout: 15_000 });

  await topicsHeader.hover();
  await topicsHeader.locator('.action-label[aria-label="Resume Live Updates"]').click();
  const retained = await retainedTopics('plant/#');
  assert.deepEqual(retained, ['plant/line1/config', 'plant/line1/status'], 'only line1 keeps its retained messages');
});

test('a password is asked for on connect, and a refused subscription shows its reason on the item', async () => {
  const guarded = row('Connections', 'Guarded broker');
  await guarded.hover();
  await guarded.locator('.action-label[aria-label="Connect"]').click();
  const prompt = page.locator('.quick-input-widget').getByText(/Password for "dev" at mqtt:\/\/127\.0\.0\.1:\d+ \(connection "Guarded broker"\)/);
  await prompt.waitFor({ timeout: 10_000 });
  assert.equal(await page.locator('.quick-input-widget input.input').getAttribute('type'), 'password', 'typed characters are hidden');
  await answerQuickInput(page, /Password for "dev"/, GUARDED_PASSWORD);
  await guarded.filter({ hasText: '· connected' }).waitFor({ timeout: 15_000 });
  await page.locator('.notifications-toasts').getByText(/Save the password in VS Code's secret storage/).waitFor({ timeout: 10_000 });
  const refused = row('Connections', 'secret/#');
  await refused.filter({ hasText: 'refused: Not authorized (0x87)' }).waitFor({ timeout: 10_000 });
  await row('Connections', 'public/#').filter({ hasText: /QoS 0$/ }).waitFor({ timeout: 10_000 });
  await row('Topics', 'Guarded broker').filter({ hasText: '0 topics' }).waitFor({ timeout: 10_000 });
  await page.mouse.move(900, 600);
  await page.locator('.part.sidebar').screenshot({ path: join(shots, 'subscription-refused.png') });
});

/** The retained messages under `filter` on the plain broker, as a fresh subscriber sees them. */
async function retainedTopics(filter) {
  const client = mqtt.connect(brokerUrl, { clientId: `e2e-check-${Date.now()}`, reconnectPeriod: 0 });
  await new Promise((resolve, reject) => client.once('connect', resolve).once('error', reject));
  const topics = new Set();
  client.on('message', (topic, _payload, packet) => packet.retain && topics.add(topic));
  await client.subscribeAsync(filter, { qos: 1 });
  await new Promise((resolve) => setTimeout(resolve, 700));
  await client.endAsync();
  return [...topics].sort();
}
