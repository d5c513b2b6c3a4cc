// What a person sees: a watch with its value and sparkline in the Watches view, an alert rule from the
// workspace settings firing a notification (its text and buttons), the Alerts view with its badge, in the dark
// and the light theme.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { after, afterEach, before, test } from 'node:test';
import { connectInSidebar, openWorkbench, runCleanups, runCommand, screenshotEnd, setColorTheme, treeRow } from './workbench.mjs';

const require = createRequire(import.meta.url);
const { startMosquitto } = require('../../out/test/helpers/broker.js');
const { freePort } = require('../../out/test/helpers/ports.js');
const mqtt = require('mqtt');

let page;
let shots;
let publisher;
let localPort;
const cleanups = [];
const row = (view, label) => treeRow(page, view, label);
const header = (view) => page.locator(`[id="workbench.view.extension.mqttWorkbench"] .pane-header[aria-label="${view} Section"]`);

before(async () => {
  // $SYS every second, so the dashboard fills within the test.
  const broker = await startMosquitto({ extraConfig: ['sys_interval 1'] });
  cleanups.push(() => broker.stop());
  publisher = mqtt.connect(broker.url('mqtt'), { clientId: 'e2e-boiler', reconnectPeriod: 0 });
  await new Promise((resolve, reject) => publisher.once('connect', resolve).once('error', reject));
  cleanups.push(() => publisher.endAsync());
  let n = 0;
  const ticker = setInterval(() => {
    n++;
    publisher.publish('boiler/1/temp', JSON.stringify({ celsius: 40 + ((n * 7) % 11) }));
    publisher.publish('boiler/1/pressure', String(1.2 + (n % 5) / 10));
  }, 250);
  cleanups.push(() => clearInterval(ticker));
  localPort = await freePort();
  const workbench = await openWorkbench({
    name: 'monitor',
    settings: {
      'mqttWorkbench.localBroker.engine': 'embedded',
      'mqttWorkbench.localBroker.port': localPort,
      'mqttWorkbench.connections': [{ name: 'Boiler room', host: '127.0.0.1', port: broker.port, subscriptions: [{ filter: 'boiler/#', qos: 0 }] }],
      'mqttWorkbench.watches': [
        { topic: 'boiler/1/temp', path: 'celsius', unit: '°C', label: 'Boiler temperature' },
        { topic: 'boiler/1/pressure', unit: 'bar' },
        { topic: 'boiler/1/temp', path: 'fahrenheit', label: 'Missing field' },
      ],
      'mqttWorkbench.alerts': [
        { name: 'Boiler overheating', topic: 'boiler/+/temp', path: 'celsius', when: { above: 200 }, cooldownSeconds: 600 },
        { name: 'Burner offline', topic: 'boiler/+/burner', when: { equals: 'offline' }, severity: 'error' },
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

test('watches show values, statistics and a sparkline; a rule fires a notification and lists the alert', async () => {
  await connectInSidebar(page, 'Boiler room', 520);
  for (const view of ['Topics', 'Saved Messages']) if ((await header(view).getAttribute('aria-expanded')) === 'true') await header(view).click();
  for (const view of ['Watches', 'Alerts']) if ((await header(view).getAttribute('aria-expanded')) !== 'true') await header(view).click();

  const temperature = row('Watches', 'Boiler temperature');
  await temperature.filter({ hasText: /min \d+ max \d+ avg/ }).waitFor({ timeout: 20_000 });
  assert.match(await temperature.innerText(), /\d+ °C [↑↓→] · (now|\d+ s) · min \d+ max \d+ avg [\d.]+/);
  assert.match(await row('Watches', 'boiler/1/pressure').innerText(), /1\.\d+ bar/);
  assert.match(await row('Watches', 'Missing field').innerText(), /Nothing at fahrenheit in this json payload\./);
  // The sparkline is an image icon (an SVG per theme), not a codicon.
  assert.match((await temperature.locator('.custom-view-tree-node-item-icon').getAttribute('style')) ?? '', /data:image\/svg\+xml/);

  // The boiler overheats: the rule fires.
  publisher.publish('boiler/1/temp', JSON.stringify({ celsius: 250 }));
  const toast = page.locator('.notification-toast').filter({ hasText: 'Boiler overheating: ' });
  await toast.waitFor({ timeout: 20_000 });
  assert.match(await toast.innerText(), /Boiler overheating: boiler\/1\/temp celsius is 250 \(above 200\) \[Boiler room\]/);
  assert.equal(await toast.getByRole('button', { name: 'Show Message' }).count(), 1);
  assert.equal(await toast.getByRole('button', { name: 'Mute for 1 Hour' }).count(), 1);
  const alert = row('Alerts', 'Boiler overheating');
  await alert.waitFor({ timeout: 10_000 });
  assert.match(await alert.innerText(), /250 · boiler\/1\/temp · Boiler room/);
  // A retained status keeps an alert active: the badge and the status bar count it.
  publisher.publish('boiler/1/burner', 'offline', { qos: 1, retain: true });
  await row('Alerts', 'Burner offline').waitFor({ timeout: 10_000 });
  await page.locator('.statusbar [aria-label="1 MQTT alert active"]').first().waitFor({ timeout: 10_000 });
  assert.match((await page.locator('.activitybar a.action-label[aria-label^="MQTT Workbench"]').getAttribute('aria-label')) ?? '', /1 active MQTT alert/);
  await page.locator('.part.sidebar').screenshot({ path: join(shots, 'monitor-dark.png') });
  await page.screenshot({ path: join(shots, 'monitor-window-dark.png') });

  await setColorTheme(page, 'Light Modern', 'vs');
  await page.locator('.part.sidebar').screenshot({ path: join(shots, 'monitor-light.png') });

  await toast.getByRole('button', { name: 'Mute for 1 Hour' }).click().catch(() => undefined);
});

/** The frame of a monitor webview whose card has this aria-label. */
async function monitorFrame(label) {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    for (const frame of page.frames()) if ((await frame.locator(`section[aria-label="${label}"]`).count().catch(() => 0)) > 0) return frame;
    await page.waitForTimeout(200);
  }
  throw new Error(`No webview shows "${label}".`);
}

test('the Connection Health view and the Broker Dashboard render with mosquitto', async () => {
  await runCommand(page, 'MQTT: Open Connection Health');
  const health = await monitorFrame('Health of Boiler room');
  const card = health.locator('section[aria-label="Health of Boiler room"]');
  await card.locator('.chart-line').first().waitFor({ state: 'attached', timeout: 30_000 });
  assert.match(await card.innerText(), /Boiler room\s+connected/);
  assert.match(await card.innerText(), /\d+\.\d %\s+uptime/);
  assert.match((await card.locator('.timeline').getAttribute('aria-label')) ?? '', /^States: connecting, connected$/);
  await page.screenshot({ path: join(shots, 'health-light.png') });

  await runCommand(page, 'MQTT: Open Broker Dashboard');
  const dashboard = await monitorFrame('Broker of Boiler room');
  const brokerCard = dashboard.locator('section[aria-label="Broker of Boiler room"]');
  // The version is retained (it comes with the subscription); uptime and totals follow at the next $SYS interval
  // (mosquitto sends a count such as clients/connected only when it changes).
  await brokerCard.filter({ hasText: 'mosquitto version' }).filter({ hasText: /\d+ min \d+ s\s*uptime/ }).waitFor({ timeout: 30_000 });
  const text = await brokerCard.innerText();
  assert.match(text, /mosquitto version 2\.\d+\.\d+/);
  assert.match(text, /[\d.]+k?\s+messages in/);
  await brokerCard.locator('.chart-line').first().waitFor({ state: 'attached', timeout: 30_000 });
  await page.screenshot({ path: join(shots, 'broker-light.png') });
  await setColorTheme(page, 'Dark Modern', 'vs-dark');
  await page.screenshot({ path: join(shots, 'broker-dark.png') });
});

test('the Broker Dashboard and Connection Health render with the embedded local broker too', async () => {
  await runCommand(page, 'MQTT: Start Local Broker');
  const started = page.locator('.notifications-toasts .notification-toast').filter({ hasText: `Local broker started at mqtt://127.0.0.1:${localPort}.` });
  await started.getByRole('button', { name: "Add 'Local broker' connection" }).click();
  await row('Connections', 'Local broker').filter({ hasText: '· connected' }).waitFor({ timeout: 20_000 });
  await runCommand(page, 'MQTT: Open Broker Dashboard');
  await page.locator('.quick-input-list .monaco-list-row[aria-label^="Local broker"]').first().click();
  const dashboard = await monitorFrame('Broker of Local broker');
  const card = dashboard.locator('section[aria-label="Broker of Local broker"]');
  // The embedded broker publishes mosquitto's $SYS topics every 2 s: its version, one client (the extension), uptime.
  await card.filter({ hasText: 'aedes 1.2 (MQTT Workbench embedded broker)' }).filter({ hasText: /\d+ s\s*uptime/ }).waitFor({ timeout: 30_000 });
  // The first retained count may predate the extension's connection: the next interval says 1.
  const clients = card.locator('.figure').filter({ has: dashboard.locator('.figure-label', { hasText: /^clients$/ }) }).locator('.figure-value');
  await clients.filter({ hasText: /^1$/ }).waitFor({ timeout: 15_000 });
  await card.locator('.chart-line').first().waitFor({ state: 'attached', timeout: 30_000 });
  await page.screenshot({ path: join(shots, 'broker-embedded-dark.png') });
  await runCommand(page, 'MQTT: Open Connection Health');
  const health = await monitorFrame('Health of Local broker');
  assert.match(await health.locator('section[aria-label="Health of Local broker"]').innerText(), /Local broker\s+connected/);
  await runCommand(page, 'MQTT: Stop Local Broker');
});
