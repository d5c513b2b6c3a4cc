// What a person sees and clicks on a fresh workspace: the empty Connections view offers to start a local broker,
// add a connection or open the walkthrough; starting on a busy port says so and offers another port; the running
// broker shows in the status bar and becomes a "Local broker" connection with one click.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, rmSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { after, afterEach, before, test } from 'node:test';
import { answerQuickInput, openWorkbench, reloadWindow, runCommand, screenshotEnd, setColorTheme, treeRow } from './workbench.mjs';

const require = createRequire(import.meta.url);
const { freePort } = require('../../out/test/helpers/ports.js');

let page;
let shots;
let workbench;
let busyPort;
let freeOne;
let closeBlocker;
/** The status bar item of the running local broker on `port`, as it names the engine (mosquitto is installed here). */
const brokerItem = (engine, port, rest = '') => page.locator('.statusbar-item').filter({ hasText: new RegExp(`Local broker \\(${engine}\\) :${port}${rest}`) });
/** The local broker's storage folder in this profile's global storage. */
const brokerStorage = () => join(workbench.userDataDir, 'User', 'globalStorage', 'mqtt-workbench.mqtt-workbench', 'local-broker');

/** The pid of the mosquitto this window runs: the process started with this profile's mosquitto.conf. */
function mosquittoPid() {
  const config = join(brokerStorage(), 'mosquitto.conf');
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const argv = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (argv.includes(config) && argv.some((arg) => arg.endsWith('mosquitto'))) return Number(entry);
    } catch {
      // the process ended meanwhile
    }
  }
  return undefined;
}
const toasts = () => page.locator('.notifications-toasts');
const welcome = () => page.locator('[id="workbench.view.extension.mqttWorkbench"] .welcome-view-content');

before(async () => {
  busyPort = await freePort();
  freeOne = await freePort();
  // Another program on the configured port, as when a mosquitto already runs on 1883.
  const blocker = createServer((socket) => socket.destroy());
  await new Promise((resolve) => blocker.listen(busyPort, '127.0.0.1', resolve));
  closeBlocker = () => new Promise((resolve) => (blocker.listening ? blocker.close(resolve) : resolve()));
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

  await brokerItem('mosquitto \\d+\\.\\d+', freeOne, ' · 0 clients').waitFor({ timeout: 15_000 });
  const started = toasts().locator('.notification-toast').filter({ hasText: `Local broker started at mqtt://127.0.0.1:${freeOne}. No connection points at it yet.` });
  await started.getByRole('button', { name: "Add 'Local broker' connection" }).click();
  await treeRow(page, 'Connections', 'Local broker').filter({ hasText: '· connected' }).waitFor({ timeout: 20_000 });
  await brokerItem('mosquitto \\d+\\.\\d+', freeOne, ' · 1 client').waitFor({ timeout: 15_000 });
  const saved = JSON.parse(readFileSync(join(workbench.workspace, '.vscode', 'settings.json'), 'utf8'))['mqttWorkbench.connections'];
  assert.equal(saved.find((profile) => profile.name === 'Local broker')?.protocolVersion, '5', 'mosquitto: the Local broker connection uses MQTT 5');
  await page.screenshot({ path: join(shots, 'local-broker-running.png') });
});

test('mosquitto killed: the status bar turns red, the notification says why, Restart brings it back', async () => {
  const pid = mosquittoPid();
  assert.ok(pid, 'the mosquitto of this window runs');
  process.kill(pid, 'SIGKILL');
  await page.locator('.statusbar-item').filter({ hasText: /Local broker \(mosquitto \d+\.\d+\) stopped/ }).waitFor({ timeout: 15_000 });
  const crashed = toasts().locator('.notification-toast').filter({ hasText: 'The local broker (mosquitto) stopped unexpectedly: it exited with SIGKILL' });
  await crashed.waitFor({ timeout: 15_000 });
  await page.screenshot({ path: join(shots, 'local-broker-crashed-dark.png') });
  await setColorTheme(page, 'Light Modern', 'vs');
  await page.screenshot({ path: join(shots, 'local-broker-crashed-light.png') }); // the rest of the file runs light
  await crashed.getByRole('button', { name: 'Restart' }).click();
  await brokerItem('mosquitto \\d+\\.\\d+', freeOne).waitFor({ timeout: 15_000 });
  assert.notEqual(mosquittoPid(), pid, 'a new mosquitto process');
});

test('the status bar item stops it; the Connections view then shows the connection reconnecting', async () => {
  await brokerItem('mosquitto \\d+\\.\\d+', freeOne).click();
  await page.locator('.quick-input-list .monaco-list-row').filter({ hasText: 'Stop Local Broker' }).click();
  await page.locator('.statusbar-item').filter({ hasText: 'Local broker (' }).waitFor({ state: 'hidden', timeout: 15_000 });
  await treeRow(page, 'Connections', 'Local broker').filter({ hasText: /reconnecting|failed/ }).waitFor({ timeout: 20_000 });
  assert.equal(await page.locator('.statusbar-item').filter({ hasText: 'Local broker (' }).count(), 0);
  // The item hides when Stop begins; mosquitto then saves its database and exits.
  for (const deadline = Date.now() + 10_000; mosquittoPid() !== undefined && Date.now() < deadline; ) await new Promise((resolve) => setTimeout(resolve, 100));
  assert.equal(mosquittoPid(), undefined, 'no mosquitto left');
});

test('a mosquitto that fails at start shows the first line of its error; Use Embedded Broker starts aedes', async () => {
  await closeBlocker();
  mkdirSync(join(brokerStorage(), 'mosquitto'), { recursive: true });
  writeFileSync(join(brokerStorage(), 'mosquitto', 'mosquitto.db'), 'not a mosquitto database');
  await runCommand(page, 'MQTT: Start Local Broker');
  const failed = toasts().locator('.notification-toast').filter({ hasText: 'mosquitto did not start: Error: Unable to restore persistent database. Unrecognised file format.' });
  await failed.waitFor({ timeout: 15_000 });
  await failed.getByRole('button', { name: 'Use Embedded Broker' }).click();
  await brokerItem('aedes', busyPort).waitFor({ timeout: 15_000 });
  await page.screenshot({ path: join(shots, 'local-broker-embedded.png') });
  await runCommand(page, 'MQTT: Stop Local Broker');
  await brokerItem('aedes', busyPort).waitFor({ state: 'hidden', timeout: 15_000 });
  rmSync(join(brokerStorage(), 'mosquitto', 'mosquitto.db'), { force: true });
});

test('a window reload stops mosquitto cleanly (deactivate) and the retained message is there after the next start', async () => {
  const { connectClient, endClient } = require('../../out/test/helpers/clients.js');
  await runCommand(page, 'MQTT: Start Local Broker');
  await brokerItem('mosquitto \\d+\\.\\d+', busyPort).waitFor({ timeout: 15_000 });
  const pid = mosquittoPid();
  assert.ok(pid, 'mosquitto runs');
  const publisher = await connectClient(`mqtt://127.0.0.1:${busyPort}`, { protocolVersion: 5 });
  await publisher.client.publishAsync('lab/firmware', '1.4.2', { qos: 1, retain: true });
  await endClient(publisher.client);

  await reloadWindow(page);
  for (const deadline = Date.now() + 20_000; mosquittoPid() === pid && Date.now() < deadline; ) await new Promise((resolve) => setTimeout(resolve, 100));
  assert.notEqual(mosquittoPid(), pid, 'the reload stopped mosquitto');
  // The reloaded window is ready for the palette once the new extension host shows the connections summary.
  await page.locator('.statusbar-item').filter({ hasText: /MQTT \d+\/\d+/ }).waitFor({ timeout: 60_000 });
  await page.locator('.monaco-workbench .part.editor').click();
  await runCommand(page, 'MQTT: Start Local Broker');
  await brokerItem('mosquitto \\d+\\.\\d+', busyPort).waitFor({ timeout: 20_000 });
  const reader = await connectClient(`mqtt://127.0.0.1:${busyPort}`, { protocolVersion: 5 });
  try {
    await reader.client.subscribeAsync('lab/firmware', { qos: 1 });
    const [kept] = await reader.inbox.waitFor(1);
    assert.equal(kept.payload.toString(), '1.4.2');
  } finally {
    await endClient(reader.client);
  }

  // Clear Local Broker Data asks first, then restarts the running broker empty.
  await runCommand(page, 'MQTT: Clear Local Broker Data');
  const dialog = page.locator('.monaco-dialog-box');
  await dialog.getByText('Delete the retained messages and persistent sessions the local broker saved?').waitFor({ timeout: 10_000 });
  await dialog.getByRole('button', { name: 'Delete' }).click();
  await toasts().locator('.notification-toast').filter({ hasText: 'The local broker data was deleted.' }).waitFor({ timeout: 15_000 });
  await brokerItem('mosquitto \\d+\\.\\d+', busyPort).waitFor({ timeout: 20_000 });
  const after = await connectClient(`mqtt://127.0.0.1:${busyPort}`, { protocolVersion: 5 });
  try {
    // The broker sends a subscription's retained messages before anything published after it on this connection:
    // had lab/firmware survived, it would arrive before the marker.
    await after.client.subscribeAsync('lab/#', { qos: 1 });
    await after.client.publishAsync('lab/marker', 'after clear', { qos: 1 });
    await after.inbox.waitFor(1);
    assert.deepEqual(after.inbox.messages.map((m) => m.topic), ['lab/marker']);
  } finally {
    await endClient(after.client);
  }
  await runCommand(page, 'MQTT: Stop Local Broker');
});
