// The message panel as a person uses it, in a real VS Code driven by Chromium: open it from the command palette,
// watch rows arrive from mosquitto, filter by an MQTT topic filter, read a message as JSON and as a hex dump, and
// see a corpus of HTML/script payloads and topics rendered as text without running anything.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { after, afterEach, before, test } from 'node:test';
import { chooseInDropdown, openWorkbench, panelFrame, panelRows, reloadWindow, runCommand, screenshotEnd, setColorTheme, typeIntoPanelField, waitForLogLine, waitForPanelRows, runCleanups } from './workbench.mjs';

const require = createRequire(import.meta.url);
const { startMosquitto } = require('../../out/test/helpers/broker.js');
const mqtt = require('mqtt');
const protobuf = require('protobufjs');

const READING_PROTO = 'syntax = "proto3";\npackage demo;\nmessage Reading {\n  double temp = 1;\n  string unit = 2;\n}\n';

/** Strings that would run script if they were ever inserted as HTML. Each sets window.__xss. */
const XSS_CORPUS = [
  '<img src=x onerror="window.__xss=1">',
  '<script>window.__xss=1</script>',
  '"><svg onload="window.__xss=1">',
  'javascript:window.__xss=1',
  '<iframe srcdoc="<script>parent.__xss=1</script>"></iframe>',
];

let workbench;
let page;
let shots;
let frame;
let publisher;
let brokerUrl;
const cleanups = [];

before(async () => {
  const broker = await startMosquitto();
  cleanups.push(() => broker.stop());
  workbench = await openWorkbench({
    name: 'messages',
    settings: {
      'mqttWorkbench.connections': [{ name: 'Lab broker', host: '127.0.0.1', port: broker.port, subscriptions: [{ filter: '#', qos: 1 }] }],
      'mqttWorkbench.protobuf.files': ['protos/reading.proto'],
      'mqttWorkbench.protobuf.types': { 'pb/+/reading': 'demo.Reading' },
    },
    files: { 'protos/reading.proto': READING_PROTO },
  });
  cleanups.push(() => workbench.close());
  ({ page, shots } = workbench);
  brokerUrl = broker.url('mqtt');
  publisher = mqtt.connect(brokerUrl, { clientId: 'e2e-panel-device', reconnectPeriod: 0 });
  await new Promise((resolve, reject) => publisher.once('connect', resolve).once('error', reject));
  cleanups.push(() => publisher.endAsync());
});

afterEach(async (t) => screenshotEnd(page, shots, t.name));

after(async () => {
  await runCleanups(cleanups);
});

/** Types into one of the panel's text fields. */
const typeInto = (className, text) => typeIntoPanelField(frame, className, text);

/** Picks a format in the detail pane's dropdown. */
const chooseFormat = (label) => chooseInDropdown(frame, '[aria-label="Message detail"] vscode-dropdown', label);

const rows = () => panelRows(frame);

test('connect, open the panel from the palette, and see messages arrive as rows', async () => {
  await runCommand(page, 'MQTT: Connect');
  await page.locator('.statusbar-item[aria-label="MQTT: 1 of 1 connections connected"]').first().waitFor({ timeout: 15_000 });
  await runCommand(page, 'MQTT: Show Messages');
  frame = await panelFrame(page);
  // The subscription is granted a moment after the connection is up: publish a probe until it comes back.
  for (let attempt = 0; (await rows().count()) === 0; attempt++) {
    assert.ok(attempt < 30, 'the probe message never reached the panel');
    await publisher.publishAsync('probe/ready', String(attempt), { qos: 1 });
    await page.waitForTimeout(500);
  }
  for (let i = 0; i < 12; i++) {
    await publisher.publishAsync(`sensors/room${(i % 3) + 1}/temp`, JSON.stringify({ t: 20 + i / 2, unit: 'C' }), { qos: 1 });
    await publisher.publishAsync(`sensors/room${(i % 3) + 1}/humidity`, String(40 + i), { qos: 1 });
  }
  await publisher.publishAsync('devices/d1/raw', Buffer.from([0xde, 0xad, 0xbe, 0xef, 0x00, 0x01]), { qos: 1 });
  // Rows arrive in batches and are fetched from the host as they scroll in: wait for the last message published
  // and a full screen of rows at once (either alone is reached before the other).
  await frame.waitForFunction(() => {
    const topics = [...document.querySelectorAll('[aria-label="Messages"] [role="option"]:not(.loading):not([hidden]) .col-topic')].map((e) => e.textContent);
    return topics.length >= 20 && topics.includes('devices/d1/raw');
  }, undefined, { timeout: 15_000 });
  await page.screenshot({ path: join(shots, 'panel-dark.png') });
});

test('filter by sensors/+/temp shows only those topics', async () => {
  await typeInto('filter-topic', 'sensors/+/temp');
  await frame.waitForFunction(() => {
    const topics = [...document.querySelectorAll('[aria-label="Messages"] [role="option"]:not(.loading):not([hidden]) .col-topic')].map((e) => e.textContent);
    return topics.length === 12 && topics.every((t) => /^sensors\/room\d\/temp$/.test(t ?? ''));
  }, undefined, { timeout: 10_000 });
  await typeInto('filter-topic', 'sensors/#/temp');
  await frame.getByText("'#' must be the last level of a filter, e.g. a/b/#.").waitFor({ timeout: 10_000 });
  await typeInto('filter-topic', 'sensors/+/temp');
  await waitForPanelRows(frame, 12);
});

test('select a message and read it as JSON, then as a hex dump', async () => {
  await rows().last().click();
  const detail = frame.locator('[aria-label="Message detail"]');
  await detail.locator('.detail-payload').filter({ hasText: '"unit": "C"' }).waitFor({ timeout: 10_000 });
  // The chart of the topic picks the numeric field "t" and shows the four temperatures of room 3.
  await detail.locator('.chart-summary', { hasText: '4 points · min 21 · max 25.5 · last 25.5' }).waitFor({ timeout: 10_000 });
  assert.equal((await detail.locator('.chart-plot polyline').getAttribute('points'))?.split(' ').length, 4);
  await chooseFormat('Hex');
  await detail.locator('.detail-payload').filter({ hasText: /^00000000 {2}7b 22 74 22/ }).waitFor({ timeout: 10_000 });
  await page.screenshot({ path: join(shots, 'panel-detail-hex.png') });
});

test('Watch This Value in the detail pane pins the charted field in the Watches view and the workspace settings', async () => {
  const detail = frame.locator('[aria-label="Message detail"]');
  const topic = (await detail.locator('.detail-topic').textContent())?.trim();
  assert.match(topic ?? '', /^sensors\/[^/]+\/temp$/);
  await detail.locator('vscode-button.chart-watch').click();
  const watchRow = page.locator('.pane:has(.pane-header[aria-label="Watches Section"]) .monaco-list-row', { hasText: `${topic} t` });
  await watchRow.first().waitFor({ timeout: 15_000 });
  const settings = JSON.parse(readFileSync(join(workbench.workspace, '.vscode', 'settings.json'), 'utf8'));
  assert.deepEqual(settings['mqttWorkbench.watches'], [{ connection: 'Lab broker', topic, path: 't' }]);
  await page.screenshot({ path: join(shots, 'panel-watch-value.png') });
});

test('a protobuf payload on a mapped topic is decoded with the type from the settings', async () => {
  const Reading = protobuf.parse(READING_PROTO).root.lookupType('demo.Reading');
  await publisher.publishAsync('pb/d7/reading', Buffer.from(Reading.encode({ temp: 19.25, unit: 'C' }).finish()), { qos: 1 });
  await typeInto('filter-topic', 'pb/#');
  await waitForPanelRows(frame, 1);
  await rows().first().click();
  await chooseFormat('Auto');
  const detail = frame.locator('[aria-label="Message detail"]');
  await detail.locator('.detail-payload').filter({ hasText: '"temp": 19.25' }).waitFor({ timeout: 10_000 });
  await detail.locator('.detail-decoded-as', { hasText: 'decoded as protobuf' }).waitFor({ timeout: 5_000 });
});

test('the publish form: invalid JSON is marked and blocks Publish; valid JSON reaches a subscriber', async () => {
  const received = [];
  await publisher.subscribeAsync('lab/valve/set', { qos: 1 });
  publisher.on('message', (topic, payload) => topic === 'lab/valve/set' && received.push(payload.toString()));
  await frame.locator('.publish-toggle').click();
  const form = frame.locator('section[aria-label="Publish"]');
  await form.locator('input.publish-topic').fill('lab/valve/set');
  await chooseInDropdown(frame, 'vscode-dropdown.publish-format', 'JSON');
  await chooseInDropdown(frame, 'vscode-dropdown.publish-qos', 'QoS 1');
  const payload = form.locator('vscode-text-area.publish-payload textarea');
  await payload.fill('{"open": tru}');
  const payloadError = form.locator('.field-error[data-field="payload"]');
  await payloadError.filter({ hasText: "Not valid JSON at line 1, column 10 (byte 9): expected a value, found 't'" }).waitFor({ timeout: 10_000 });
  await frame.waitForFunction(() => document.querySelector('.publish-send')?.hasAttribute('disabled') === true, undefined, { timeout: 5_000 });
  await page.screenshot({ path: join(shots, 'panel-publish-invalid.png') });
  await payload.fill('{"open": true}');
  await payloadError.waitFor({ state: 'hidden', timeout: 10_000 });
  await frame.waitForFunction(() => document.querySelector('.publish-send')?.hasAttribute('disabled') === false, undefined, { timeout: 5_000 });
  await form.locator('vscode-button.publish-send').click();
  await form.locator('.publish-result.ok', { hasText: /^Acknowledged in \d+ ms$/ }).waitFor({ timeout: 10_000 });
  const deadline = Date.now() + 10_000;
  while (received.length === 0 && Date.now() < deadline) await page.waitForTimeout(100);
  assert.deepEqual(received, ['{"open": true}']);
  // The published message is in the history too, as outgoing.
  await typeInto('filter-topic', 'lab/#');
  await waitForPanelRows(frame, 2);
  assert.deepEqual(await rows().locator('.col-dir').evaluateAll((cells) => cells.map((c) => c.title).sort()), ['Published', 'Received']);
  await page.screenshot({ path: join(shots, 'panel-publish.png') });
});

test('Publish and Wait for Response from the form shows the reply with its round trip', async () => {
  // A device answering MQTT 5 requests on their response topic, with their correlation data.
  const responder = mqtt.connect(brokerUrl, { clientId: 'e2e-rpc-device', protocolVersion: 5, reconnectPeriod: 0 });
  await new Promise((resolve, reject) => responder.once('connect', resolve).once('error', reject));
  cleanups.push(() => responder.endAsync());
  await responder.subscribeAsync('lab/rpc/#', { qos: 1 });
  responder.on('message', (_topic, _payload, packet) => {
    const { responseTopic, correlationData } = packet.properties ?? {};
    if (responseTopic) responder.publish(responseTopic, '{"firmware":"1.4.2"}', { qos: 1, properties: { correlationData } });
  });
  const form = frame.locator('section[aria-label="Publish"]');
  await form.locator('input.publish-topic').fill('lab/rpc/version');
  await form.locator('vscode-text-area.publish-payload textarea').fill('{}');
  await frame.waitForFunction(() => document.querySelector('.publish-request')?.hasAttribute('disabled') === false, undefined, { timeout: 10_000 });
  await form.locator('vscode-button.publish-request').click();
  await form.locator('.publish-result.ok', { hasText: /^Response on mqtt-workbench\/response\/\S+ in \d+ ms$/ }).waitFor({ timeout: 15_000 });
  assert.equal(await form.locator('.publish-response').textContent(), '{"firmware":"1.4.2"}');
  await page.screenshot({ path: join(shots, 'panel-request.png') });
  await frame.locator('.publish-toggle').click();
});

test('HTML and script in topics and payloads are shown as text and run nothing', async () => {
  for (const [i, text] of XSS_CORPUS.entries()) {
    await publisher.publishAsync(`xss/${i}/${text.replace(/[+#]/g, '')}`, text, { qos: 1 });
  }
  await typeInto('filter-topic', 'xss/#');
  await waitForPanelRows(frame, XSS_CORPUS.length);
  const previews = await rows().locator('.col-preview').allTextContents();
  assert.deepEqual([...previews].sort(), [...XSS_CORPUS].sort(), 'payloads appear literally');
  await rows().first().click();
  await frame.locator('[aria-label="Message detail"] .detail-payload').filter({ hasText: '<' }).waitFor({ timeout: 10_000 });
  await page.waitForTimeout(500);
  assert.equal(await frame.evaluate(() => globalThis.__xss), undefined, 'nothing ran in the webview');
  assert.equal(await page.evaluate(() => globalThis.__xss), undefined, 'nothing ran in the workbench');
  assert.equal(await frame.locator('#app img, #app iframe, #app svg[onload], #app script').count(), 0, 'no element was created from broker data');
  await page.screenshot({ path: join(shots, 'panel-xss-as-text.png') });
  await setColorTheme(page, 'Light Modern', 'vs');
  await page.screenshot({ path: join(shots, 'panel-light.png') });
});

test('messages a script in the panel forges are rejected and logged; none runs a command or reads a file', async () => {
  const forged = [
    [{ type: 'runCommand', command: 'workbench.action.terminal.new' }, 'unknown message type "runCommand"'],
    [{ type: 'openFile', path: '/etc/passwd' }, 'unknown message type "openFile"'],
    [{ type: 'getRows', requestId: 1, start: -1, count: 5 }, 'getRows: requestId, start and count (at most 500) must be whole numbers'],
    ['reboot', 'not an object with a type'],
  ];
  // What acquireVsCodeApi().postMessage does (VS Code hides the function from the page itself; the page's
  // script, once it holds the API, can post anything through it).
  await frame.parentFrame().evaluate((messages) => {
    for (const message of messages) window.__vscode_post_message__('onmessage', { message });
  }, forged.map(([message]) => message));
  for (const [, reason] of forged) {
    await waitForLogLine(workbench, `[panel Lab broker] rejected a message from the webview: ${reason}`);
  }
  assert.equal(await page.locator('.terminal-wrapper, .xterm').count(), 0, 'no terminal was opened');
  await waitForPanelRows(frame, XSS_CORPUS.length); // the panel still works
});

test('after a window reload the panel comes back with its filter and the saved history', async () => {
  await reloadWindow(page);
  frame = await panelFrame(page);
  // The connection is not reconnected by a reload: these rows come from the history saved on deactivate.
  await waitForPanelRows(frame, XSS_CORPUS.length);
  assert.equal(await frame.locator('vscode-text-field.filter-topic input').inputValue(), 'xss/#');
  assert.deepEqual([...(await rows().locator('.col-preview').allTextContents())].sort(), [...XSS_CORPUS].sort());
});
