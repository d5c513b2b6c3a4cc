// C struct payloads as a firmware developer meets them, in a real VS Code driven by Chromium: the workspace's
// header is listed in mqttWorkbench.structs, a device publishes a packed telemetry_t to mosquitto, the panel's
// detail pane decodes it (Auto, from the topic mapping) into a field tree beside a hex view whose bytes light up
// for the field pointed at, and a broken header shows its problem in the Problems view until it is fixed on disk. Screenshots dark and light.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { after, afterEach, before, test } from 'node:test';
import { chooseInDropdown, openWorkbench, panelFrame, panelRows, runCommand, screenshotEnd, setColorTheme, treeRow, typeIntoPanelField, waitForPanelRows, runCleanups } from './workbench.mjs';

const require = createRequire(import.meta.url);
const { startMosquitto } = require('../../out/test/helpers/broker.js');
const { encodePayload, StructRegistry } = require('../../out/src/core/payload/index.js');
const mqtt = require('mqtt');

const HEADER = readFileSync(join(import.meta.dirname, '..', 'fixtures', 'cstruct', 'telemetry.h'), 'utf8');
const BROKEN = '#include <stdint.h>\ntypedef struct {\n  u16 mv;\n} broken_t;\n';
const TELEMETRY = { seq: 4242, uptime_ms: 86400123, battery: { mv: 3712, temp_c: -12, percent: 87 }, name: 'node-7', temps: [215, -40, 0, 1000], humidity: 41.5, pressure: 1013.25, online: true, mode: 'MODE_RUN', flags: { charging: 1, level: 5, trend: -3 }, offset: -123456 };

let workbench;
let page;
let shots;
let frame;
let publisher;
const cleanups = [];

before(async () => {
  const broker = await startMosquitto();
  cleanups.push(() => broker.stop());
  workbench = await openWorkbench({
    name: 'cstruct',
    settings: {
      'mqttWorkbench.connections': [{ name: 'Lab broker', host: '127.0.0.1', port: broker.port, subscriptions: [{ filter: '#', qos: 1 }] }],
      'mqttWorkbench.structs': { files: ['firmware/include/telemetry.h', 'firmware/include/broken.h'], types: { 'devices/+/telemetry': 'telemetry_t' } },
    },
    files: { 'firmware/include/telemetry.h': HEADER, 'firmware/include/broken.h': BROKEN },
  });
  cleanups.push(() => workbench.close());
  ({ page, shots } = workbench);
  publisher = mqtt.connect(broker.url('mqtt'), { clientId: 'e2e-struct-device', reconnectPeriod: 0 });
  await new Promise((resolve, reject) => publisher.once('connect', resolve).once('error', reject));
  cleanups.push(() => publisher.endAsync());
});

afterEach(async (t) => screenshotEnd(page, shots, t.name));

after(async () => {
  await runCleanups(cleanups);
});

test('a packed telemetry_t from a device is shown as a field tree with offsets, and a field lights up its bytes', async () => {
  await runCommand(page, 'MQTT: Connect');
  await page.locator('.statusbar-item[aria-label="MQTT: 1 of 1 connections connected"]').first().waitFor({ timeout: 15_000 });
  await runCommand(page, 'MQTT: Show Messages');
  frame = await panelFrame(page);
  const { registry } = StructRegistry.fromFiles([{ fileName: 'telemetry.h', source: HEADER }]);
  const encoded = encodePayload(JSON.stringify(TELEMETRY), 'cstruct', { structs: registry, structType: 'telemetry_t' });
  assert.ok(encoded.ok);
  // The subscription is granted a moment after the connection is up: publish until the frame comes back.
  for (let attempt = 0; (await panelRows(frame).count()) === 0; attempt++) {
    assert.ok(attempt < 30, 'the telemetry frame never reached the panel');
    await publisher.publishAsync('devices/node-7/telemetry', Buffer.from(encoded.bytes), { qos: 1 });
    await page.waitForTimeout(500);
  }
  await typeIntoPanelField(frame, 'filter-topic', 'devices/+/telemetry');
  await waitForPanelRows(frame, 1);
  await panelRows(frame).first().click();
  await chooseInDropdown(frame, '[aria-label="Message detail"] vscode-dropdown', 'Auto');
  const detail = frame.locator('[aria-label="Message detail"]');
  await detail.locator('.detail-decoded-as', { hasText: 'decoded as C struct' }).waitFor({ timeout: 10_000 });
  const fields = detail.locator('table.struct-fields');
  await fields.waitFor({ timeout: 10_000 });
  const mv = fields.locator('tr', { has: frame.locator('td.struct-name', { hasText: /^mv$/ }) });
  assert.deepEqual(await mv.locator('td').allTextContents(), ['mv', 'uint16_t', '12', '2', '3712']);
  const level = fields.locator('tr', { has: frame.locator('td.struct-name', { hasText: /^level$/ }) });
  assert.deepEqual(await level.locator('td').allTextContents(), ['level', 'uint8_t : 3', '57 bit 1', '3 bits', '5']);
  assert.deepEqual(await fields.locator('tr', { has: frame.locator('td.struct-name', { hasText: /^mode$/ }) }).locator('td.struct-value').allTextContents(), ['MODE_RUN']);
  assert.equal(await detail.locator('.struct-byte').count(), 62);
  await mv.click();
  await frame.waitForFunction(() => [...document.querySelectorAll('.struct-byte.highlighted')].map((b) => b.dataset.offset).join(',') === '12,13', undefined, { timeout: 5_000 });
  assert.deepEqual(await detail.locator('.struct-byte.highlighted').allTextContents(), ['80', '0e']);
  // Clicking a byte selects the innermost field that covers it: byte 16 is the first of name.
  await detail.locator('.struct-byte[data-offset="16"]').click();
  await fields.locator('tr.selected td.struct-name', { hasText: /^name$/ }).waitFor({ timeout: 5_000 });
  await mv.click();
  await page.screenshot({ path: join(shots, 'cstruct-detail-dark.png') });
  await setColorTheme(page, 'Light Modern', 'vs');
  await page.screenshot({ path: join(shots, 'cstruct-detail-light.png') });
});

test('the Topics view previews the struct by its fields, not as a hex dump', async () => {
  await page.locator('.activitybar a.action-label[aria-label="MQTT Workbench"]').click();
  await treeRow(page, 'Topics', 'devices').click();
  await treeRow(page, 'Topics', 'node-7').click();
  const telemetry = treeRow(page, 'Topics', 'telemetry');
  await telemetry.waitFor({ timeout: 10_000 });
  const description = telemetry.locator('.label-description');
  // 48 characters of the fields as one line of JSON, then the age.
  await description.filter({ hasText: /^\{"seq": 4242, "uptime_ms": 86400123, "battery": …( · \d+ s)?$/ }).waitFor({ timeout: 10_000 });
  await page.screenshot({ path: join(shots, 'cstruct-topics-preview.png') });
});

test('Export writes each struct with its decoded fields beside the raw bytes', async () => {
  await frame.getByRole('button', { name: 'Export ▾' }).click();
  await frame.getByRole('menuitem', { name: 'Filtered messages as JSON Lines' }).click();
  // The save dialog (VS Code's own, in the browser) proposes <connection>-messages.jsonl in the workspace.
  const dialog = page.locator('.quick-input-widget');
  await dialog.locator('input.input').waitFor({ timeout: 10_000 });
  // The dialog fills in the folder first and the proposed name a moment later.
  await page.waitForFunction(() => document.querySelector('.quick-input-widget input.input')?.value.endsWith('/Lab-broker-messages.jsonl'), undefined, { timeout: 10_000 });
  await dialog.locator('input.input').press('Enter');
  await page.locator('.notifications-toasts').getByText(/^Exported .* to Lab-broker-messages\.jsonl\.$/).first().waitFor({ timeout: 10_000 });
  const lines = readFileSync(join(workbench.workspace, 'Lab-broker-messages.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line));
  assert.ok(lines.length >= 1);
  assert.deepEqual(lines.map((l) => l.topic), lines.map(() => 'devices/node-7/telemetry'));
  const { decoded, payloadBase64 } = lines[0];
  assert.deepEqual(decoded.battery, TELEMETRY.battery);
  assert.equal(decoded.name, 'node-7');
  assert.equal(decoded.mode, 'MODE_RUN');
  assert.equal(Buffer.from(payloadBase64, 'base64').length, 62);
});

test('a header problem is in the Problems view with its file, line and column', async () => {
  await runCommand(page, 'View: Focus Problems (Errors, Warnings, Infos)');
  const problems = page.locator('.markers-panel');
  await problems.getByText('Unknown type "u16" (typedef it in one of the listed headers).').first().waitFor({ timeout: 15_000 });
  await problems.getByText('broken.h').first().waitFor({ timeout: 5_000 });
  await problems.getByText('[Ln 3, Col 3]').first().waitFor({ timeout: 5_000 });
  await page.screenshot({ path: join(shots, 'cstruct-problems.png') });
  // The header is re-read when it changes on disk: fixing the type clears the problem.
  writeFileSync(join(workbench.workspace, 'firmware', 'include', 'broken.h'), BROKEN.replace('u16', 'uint16_t'));
  await problems.getByText('Unknown type "u16"').first().waitFor({ state: 'detached', timeout: 20_000 });
});
