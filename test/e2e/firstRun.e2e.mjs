// A newcomer's first minutes, clicked through in a real VS Code: an empty workspace, start the local broker from
// the welcome view, add a connection through the quick input, connect, watch the demo greenhouse fill the topic
// tree, open the message panel, publish a command from the form and see the command and the device's answer in
// the history, then clear the retained subtree through its confirmation. Screenshots in dark and light themes.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { after, afterEach, before, test } from 'node:test';
import { answerQuickInput, chooseInDropdown, expandTreePath, openWorkbench, panelFrame, panelRows, runCommand, screenshotEnd, setColorTheme, treeRow, typeIntoPanelField, waitForPanelRows, widenSidebar } from './workbench.mjs';

const require = createRequire(import.meta.url);
const { freePort } = require('../../out/test/helpers/ports.js');
const { startDemoDevice } = require('../../out/src/demo/demoDevice.js');
const mqtt = require('mqtt');

let workbench;
let page;
let shots;
let port;
let device;
let frame;

before(async () => {
  port = await freePort();
  workbench = await openWorkbench({ name: 'first-run', settings: { 'mqttWorkbench.localBroker.port': port } });
  ({ page, shots } = workbench);
});

afterEach(async (t) => screenshotEnd(page, shots, t.name));

after(async () => {
  await device?.stop().catch(() => undefined);
  await workbench?.close();
});

const row = (view, label) => treeRow(page, view, label);

test('empty workspace -> Start Local Broker -> Add Connection through the quick input -> connect', async () => {
  await page.locator('.activitybar a.action-label[aria-label="MQTT Workbench"]').click();
  const welcome = page.locator('[id="workbench.view.extension.mqttWorkbench"] .welcome-view-content');
  await welcome.getByRole('button', { name: 'Start Local Broker' }).click();
  // mosquitto is installed on the test host, so "auto" runs it; the greenhouse controller speaks MQTT 3.1.1.
  await page.locator('.statusbar-item').filter({ hasText: new RegExp(`Local broker \\(mosquitto \\d+\\.\\d+\\) :${port}`) }).waitFor({ timeout: 15_000 });
  device = startDemoDevice(`mqtt://127.0.0.1:${port}`, { protocolVersion: 4, intervalMs: 400 });
  await device.ready;

  await welcome.getByRole('button', { name: 'Add Connection' }).click();
  await answerQuickInput(page, 'A name for this broker connection', 'Greenhouse');
  await answerQuickInput(page, 'Host, host:port or a URL', `127.0.0.1:${port}`);
  await answerQuickInput(page, 'MQTT version', '3.1.1');
  await answerQuickInput(page, 'User name (leave empty for none)', '');
  await answerQuickInput(page, 'Topic filters to subscribe to', 'demo/#');
  await answerQuickInput(page, 'save in', 'Workspace');
  const saved = page.locator('.notifications-toasts .notification-toast').filter({ hasText: 'Connection "Greenhouse" saved.' });
  await saved.getByRole('button', { name: 'Connect' }).click();
  await row('Connections', 'Greenhouse').filter({ hasText: '· connected' }).waitFor({ timeout: 20_000 });
});

test('the topic tree fills with the greenhouse', async () => {
  await row('Topics', 'Greenhouse').filter({ hasText: /[1-9]\d* topics?/ }).waitFor({ timeout: 20_000 });
  await expandTreePath(page, 'Topics', ['demo', 'greenhouse', 'sensor-1'], 'temperature');
  await row('Topics', 'temperature').first().filter({ hasText: /"unit":"C"/ }).waitFor({ timeout: 15_000 });
  await row('Topics', 'status').filter({ hasText: 'online' }).waitFor({ timeout: 15_000 });
  await widenSidebar(page, 420);
  await runCommand(page, 'Notifications: Clear All Notifications');
  await page.mouse.move(900, 600);
  await page.waitForTimeout(1200); // expanded branches redraw their counts once a second
  await page.screenshot({ path: join(shots, 'first-run-sidebar-dark.png') });
});

test('publish a command from the panel form; the command and the device answer appear in the history', async () => {
  await runCommand(page, 'MQTT: Show Messages');
  frame = await panelFrame(page);
  await panelRows(frame).first().waitFor({ timeout: 15_000 });
  await frame.locator('.publish-toggle').click();
  const form = frame.locator('section[aria-label="Publish"]');
  await form.locator('input.publish-topic').fill('demo/greenhouse/cmd/vent');
  await chooseInDropdown(frame, 'vscode-dropdown.publish-format', 'JSON');
  await chooseInDropdown(frame, 'vscode-dropdown.publish-qos', 'QoS 1');
  await form.locator('vscode-text-area.publish-payload textarea').fill('{"open": 40}');
  await frame.waitForFunction(() => document.querySelector('.publish-send')?.hasAttribute('disabled') === false, undefined, { timeout: 10_000 });
  await form.locator('vscode-button.publish-send').click();
  await form.locator('.publish-result.ok', { hasText: /^Acknowledged in \d+ ms$/ }).waitFor({ timeout: 10_000 });
  await typeIntoPanelField(frame, 'filter-topic', 'demo/greenhouse/+/vent');
  // Our command (published, and received back through demo/#) and the device's answer.
  await waitForPanelRows(frame, 3);
  const shown = await panelRows(frame).evaluateAll((rows) => rows.map((r) => `${r.querySelector('.col-dir')?.title} ${r.querySelector('.col-topic')?.textContent}`));
  // mosquitto can deliver our own command back before its PUBACK (which records "Published"): either order is right.
  assert.deepEqual([...shown.slice(0, 2)].sort(), ['Published demo/greenhouse/cmd/vent', 'Received demo/greenhouse/cmd/vent']);
  assert.equal(shown[2], 'Received demo/greenhouse/response/vent');
  await panelRows(frame).last().click();
  await frame.locator('[aria-label="Message detail"] .detail-payload').filter({ hasText: '"ok": true' }).waitFor({ timeout: 10_000 });
  await page.screenshot({ path: join(shots, 'first-run-panel-dark.png') });
  await setColorTheme(page, 'Light Modern', 'vs');
  await page.screenshot({ path: join(shots, 'first-run-panel-light.png') });
});

test('clear the retained subtree through its confirmation; the broker forgets the retained status', async () => {
  await device.stop(); // a running device would publish its retained status again
  device = undefined;
  const topicsHeader = page.locator('[id="workbench.view.extension.mqttWorkbench"] .pane-header[aria-label="Topics Section"]');
  await topicsHeader.hover();
  await topicsHeader.locator('.action-label[aria-label="Pause Live Updates"]').click();
  await row('Topics', 'greenhouse').click({ button: 'right' });
  await page.getByRole('menuitem', { name: 'Clear Retained Subtree' }).hover();
  await page.keyboard.press('Enter');
  const dialog = page.locator('.monaco-dialog-box');
  await dialog.waitFor({ timeout: 10_000 });
  assert.match(await dialog.innerText(), /Clear 1 retained message at or below "demo\/greenhouse" on Greenhouse\?/);
  await dialog.getByRole('button', { name: 'Clear Retained' }).click();
  await page.locator('.notifications-toasts').getByText('Cleared 1 retained message under "demo/greenhouse".').waitFor({ timeout: 15_000 });
  await page.mouse.move(900, 600);
  await page.screenshot({ path: join(shots, 'first-run-sidebar-light.png') });
  const check = mqtt.connect(`mqtt://127.0.0.1:${port}`, { clientId: 'e2e-first-run-check', protocolVersion: 4, reconnectPeriod: 0 });
  await new Promise((resolve, reject) => check.once('connect', resolve).once('error', reject));
  const retained = [];
  check.on('message', (topic, _payload, packet) => packet.retain && retained.push(topic));
  await check.subscribeAsync('demo/#', { qos: 1 });
  await new Promise((resolve) => setTimeout(resolve, 700));
  await check.endAsync();
  assert.deepEqual(retained, []);
});
