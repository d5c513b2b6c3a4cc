// What a person sees and clicks on a fresh workspace: the empty Connections view offers to start a local broker,
// add a connection or open the walkthrough; starting on a busy port says so and offers another port; the running
// broker shows in the status bar and becomes a "Local broker" connection with one click.
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { after, afterEach, before, test } from 'node:test';
import { answerQuickInput, openWorkbench, runCommand, screenshotEnd, treeRow } from './workbench.mjs';

const require = createRequire(import.meta.url);
const { freePort } = require('../../out/test/helpers/ports.js');

let page;
let shots;
let workbench;
let busyPort;
let freeOne;
const toasts = () => page.locator('.notifications-toasts');
const welcome = () => page.locator('[id="workbench.view.extension.mqttWorkbench"] .welcome-view-content');

before(async () => {
  busyPort = await freePort();
  freeOne = await freePort();
  // Another program on the configured port, as when a mosquitto already runs on 1883.
  const blocker = createServer((socket) => socket.destroy());
  await new Promise((resolve) => blocker.listen(busyPort, '127.0.0.1', resolve));
  const closeBlocker = () => new Promise((resolve) => blocker.close(resolve));
  workbench = await openWorkbench({ name: 'local-broker', settings: { 'mqttWorkbench.localBroker.port': busyPort } }).catch(async (error) => {
    await closeBlocker();
    throw error;
  });
  workbench.cleanups.push(closeBlocker);
  page = workbench.page;
  shots = workbench.shots;
});

afterEach(async (t) => screenshotEnd(page, shots, t.name));

after(() => workbench?.close());

test('the empty Connections view offers Start Local Broker, Add Connection and the walkthrough', async () => {
  await page.locator('.activitybar a.action-label[aria-label="MQTT Workbench"]').click();
  await welcome().getByText('No MQTT connections yet.', { exact: false }).waitFor({ timeout: 30_000 });
  for (const button of ['Start Local Broker', 'Add Connection']) await welcome().getByRole('button', { name: button }).waitFor({ timeout: 10_000 });
  await page.locator('.part.sidebar').screenshot({ path: join(shots, 'welcome.png') });
  await welcome().getByRole('button', { name: 'Get started' }).click(); // a link; VS Code gives it the button role
  const walkthrough = page.locator('.gettingStartedContainer');
  await walkthrough.getByText('Get started with MQTT Workbench').first().waitFor({ timeout: 15_000 });
  for (const step of ['Start or add a broker', 'Connect', 'Subscribe', 'Publish', 'Read the history', 'Save a message to share with the team']) {
    await walkthrough.locator('.step-title').getByText(step, { exact: true }).waitFor({ timeout: 10_000 });
  }
  await page.screenshot({ path: join(shots, 'walkthrough.png') });
  await runCommand(page, 'View: Close All Editors');
});

test('a busy port is named; Choose Another Port starts it there, and one click adds a connected "Local broker"', async () => {
  await welcome().getByRole('button', { name: 'Start Local Broker' }).click();
  const busy = toasts().locator('.notification-toast').filter({ hasText: `Port ${busyPort} on 127.0.0.1 is already in use. Stop the other broker or choose another port in the setting mqttWorkbench.localBroker.port.` });
  await busy.waitFor({ timeout: 15_000 });
  await busy.getByRole('button', { name: 'Choose Another Port' }).click();
  await answerQuickInput(page, `Port ${busyPort} cannot be used`, 'not a port');
  await page.locator('.quick-input-widget').getByText('Enter a whole number from 1 to 65535.').waitFor({ timeout: 5_000 });
  const field = page.locator('.quick-input-widget input.input');
  await field.fill(String(freeOne));
  await field.press('Enter');

  await page.locator('.statusbar-item').filter({ hasText: `Local broker :${freeOne} · 0 clients` }).waitFor({ timeout: 15_000 });
  const started = toasts().locator('.notification-toast').filter({ hasText: `Local broker started at mqtt://127.0.0.1:${freeOne}. No connection points at it yet.` });
  await started.getByRole('button', { name: "Add 'Local broker' connection" }).click();
  await treeRow(page, 'Connections', 'Local broker').filter({ hasText: '· connected' }).waitFor({ timeout: 20_000 });
  await page.locator('.statusbar-item').filter({ hasText: `Local broker :${freeOne} · 1 client` }).waitFor({ timeout: 15_000 });
  await page.screenshot({ path: join(shots, 'local-broker-running.png') });
});

test('the status bar item stops it; the Connections view then shows the connection reconnecting', async () => {
  await page.locator('.statusbar-item').filter({ hasText: `Local broker :${freeOne}` }).click();
  await page.locator('.quick-input-list .monaco-list-row').filter({ hasText: 'Stop Local Broker' }).click();
  await page.locator('.statusbar-item').filter({ hasText: 'Local broker :' }).waitFor({ state: 'hidden', timeout: 15_000 });
  await treeRow(page, 'Connections', 'Local broker').filter({ hasText: /reconnecting|failed/ }).waitFor({ timeout: 20_000 });
  assert.equal(await page.locator('.statusbar-item').filter({ hasText: 'Local broker :' }).count(), 0);
});
