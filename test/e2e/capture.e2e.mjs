// Record and replay as a person does it, in a real VS Code driven by Chromium: "Record This Subtree" on a topic,
// the status bar counting, click it to stop, open the capture in the capture editor (the message panel's list in
// capture mode, with its timeline), filter it, and replay it at 10x to the local broker; screenshots light and dark.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, afterEach, before, test } from 'node:test';
import { openWorkbench, openWorkspaceFile, panelRows, runCleanups, runCommand, screenshotEnd, setColorTheme, treeRow, typeIntoPanelField, waitForPanelRows, widenSidebar } from './workbench.mjs';

const require = createRequire(import.meta.url);
const { startMosquitto } = require('../../out/test/helpers/broker.js');
const { encodeHeader, encodeMessageLine } = require('../../out/src/core/capture/format.js');
const mqtt = require('mqtt');

const RECORDED = 30;
let workbench;
let page;
let shots;
let frame;
let publisher;
const cleanups = [];
const row = (view, label) => treeRow(page, view, label);
const toasts = () => page.locator('.notifications-toasts');

before(async () => {
  const broker = await startMosquitto();
  cleanups.push(() => broker.stop());
  workbench = await openWorkbench({
    name: 'capture',
    settings: { 'mqttWorkbench.connections': [{ name: 'Lab broker', host: '127.0.0.1', port: broker.port, protocolVersion: '5', subscriptions: [{ filter: '#', qos: 1 }] }] },
  });
  cleanups.push(() => workbench.close());
  ({ page, shots } = workbench);
  publisher = mqtt.connect(broker.url('mqtt'), { clientId: 'e2e-capture-device', protocolVersion: 5, reconnectPeriod: 0 });
  await new Promise((resolve, reject) => publisher.once('connect', resolve).once('error', reject));
  cleanups.push(() => publisher.endAsync());
});

afterEach(async (t) => screenshotEnd(page, shots, t.name));
after(() => runCleanups(cleanups));

test('Record This Subtree from the Topics view; the status bar counts; clicking it stops', async () => {
  await page.locator('.activitybar a.action-label[aria-label="MQTT Workbench"]').click();
  await runCommand(page, 'MQTT: Connect');
  await page.locator('.statusbar-item[aria-label="MQTT: 1 of 1 connections connected"]').first().waitFor({ timeout: 15_000 });
  await widenSidebar(page, 420);
  // The subscription is granted a moment after the connection is up: publish until the topic shows.
  for (let attempt = 0; (await row('Topics', 'plant').count()) === 0; attempt++) {
    assert.ok(attempt < 30, 'the plant topic never appeared');
    await publisher.publishAsync('plant/line1/temp', '20', { qos: 1 });
    await page.waitForTimeout(500);
  }
  await row('Topics', 'plant').click({ button: 'right' });
  await page.getByRole('menuitem', { name: 'Record This Subtree' }).hover();
  await page.keyboard.press('Enter');
  const recording = page.locator('.statusbar-item[aria-label^="Recording MQTT messages"]');
  await recording.first().waitFor({ timeout: 15_000 });
  for (let i = 0; i < RECORDED; i++) {
    await publisher.publishAsync(`plant/line${(i % 2) + 1}/${i % 3 === 0 ? 'status' : 'temp'}`, JSON.stringify({ i, t: 20 + i / 10 }), { qos: 1, properties: { userProperties: { n: String(i) } } });
  }
  await publisher.publishAsync('office/door', 'open', { qos: 1 }); // outside the subtree: not recorded
  await page.locator(`.statusbar-item[aria-label="Recording MQTT messages: ${RECORDED}. Click to stop."]`).first().waitFor({ timeout: 15_000 });
  assert.match(await recording.first().innerText(), new RegExp(`● REC ${RECORDED} msgs · [\\d.]+ KB · \\d\\d:\\d\\d`));
  assert.match(await row('Connections', 'Lab broker').innerText(), /● REC/, 'the connection item carries the marker');
  await page.screenshot({ path: join(shots, 'capture-recording-dark.png') });
  await recording.first().click();
  await toasts().getByText(new RegExp(`^Recording stopped\\. ${RECORDED} messages in captures/Lab_broker-\\d{8}-\\d{6}\\.mqttcap\\.$`)).waitFor({ timeout: 15_000 });
  await recording.first().waitFor({ state: 'detached', timeout: 10_000 });
});

test('the capture opens in the capture editor with its timeline; filtering narrows the list', async () => {
  await toasts().getByRole('button', { name: 'Open Capture' }).click();
  const deadline = Date.now() + 30_000;
  while (!frame && Date.now() < deadline) {
    for (const candidate of page.frames()) {
      if ((await candidate.locator('section.timeline:not([hidden])').count().catch(() => 0)) > 0) frame = candidate;
    }
    if (!frame) await page.waitForTimeout(200);
  }
  assert.ok(frame, 'the capture editor appeared');
  await frame.locator('.timeline-figures', { hasText: new RegExp(`^${RECORDED} messages · \\d\\d:\\d\\d · 4 topics`) }).waitFor({ timeout: 15_000 });
  assert.match(await frame.locator('.timeline-title').innerText(), /^Recorded from Lab broker \(127\.0\.0\.1:\d+\) on /);
  assert.equal(await frame.locator('.timeline-bar').count(), 60);
  await frame.waitForFunction(() => document.querySelectorAll('[aria-label="Messages"] [role="option"]:not(.loading):not([hidden])').length >= 10, undefined, { timeout: 15_000 });
  assert.ok(!(await panelRows(frame).locator('.col-topic').allTextContents()).includes('office/door'));
  await typeIntoPanelField(frame, 'filter-topic', 'plant/+/status');
  await waitForPanelRows(frame, 10);
  await panelRows(frame).first().click();
  const detail = frame.locator('[aria-label="Message detail"]');
  await detail.locator('.detail-payload').filter({ hasText: '"i": 0' }).waitFor({ timeout: 10_000 });
  await detail.getByText('User property: n').waitFor({ timeout: 5_000 });
  assert.equal(await frame.locator('section.publish').isVisible(), false, 'no publish form on a capture');
  await page.screenshot({ path: join(shots, 'capture-editor-dark.png') });
  await setColorTheme(page, 'Light Modern', 'vs');
  await page.screenshot({ path: join(shots, 'capture-editor-light.png') });
});

test('Replay from the editor at 10x to the local broker: a subscriber sees every recorded message in order', async () => {
  const replayed = [];
  await publisher.subscribeAsync('plant/#', { qos: 1 });
  publisher.on('message', (topic, payload) => replayed.push(`${topic}|${payload.toString()}`));
  await frame.locator('vscode-button.timeline-replay').click();
  const quickInput = page.locator('.quick-input-widget');
  await quickInput.getByText('Replay Speed').waitFor({ timeout: 10_000 });
  await page.locator('.quick-input-list .monaco-list-row[aria-label^="10x"]').first().click();
  await toasts().getByText(new RegExp(`^Replayed ${RECORDED} messages in \\d+\\.\\d s \\(drift p99 \\d+ ms\\), 0 failed$`)).waitFor({ timeout: 30_000 });
  const deadline = Date.now() + 10_000;
  while (replayed.length < RECORDED && Date.now() < deadline) await page.waitForTimeout(100);
  assert.deepEqual(replayed, Array.from({ length: RECORDED }, (_, i) => `plant/line${(i % 2) + 1}/${i % 3 === 0 ? 'status' : 'temp'}|${JSON.stringify({ i, t: 20 + i / 10 })}`));
  await page.screenshot({ path: join(shots, 'capture-replayed-light.png') });
});

test('a replay pauses from the editor and resumes from the status bar; nothing is skipped', async () => {
  // A capture of 16 readings 400 ms apart (6 s at 1x), written as a device's recording would be.
  const spaced = Array.from({ length: 16 }, (_, i) => encodeMessageLine({ topic: `slow/${i}`, payload: Buffer.from(String(i)), qos: 1, retain: false, dup: false, direction: 'in' }, i * 400_000));
  writeFileSync(join(workbench.workspace, 'slow.mqttcap'), encodeHeader({ connection: 'Bench', broker: '127.0.0.1:1883', protocolVersion: '5', filters: ['slow/#'], startedAt: new Date().toISOString(), extension: 'e2e' }) + spaced.join(''));
  const replayed = [];
  await publisher.subscribeAsync('slow/#', { qos: 1 });
  publisher.on('message', (topic) => topic.startsWith('slow/') && replayed.push(topic));
  await openWorkspaceFile(page, 'slow.mqttcap');
  let editor;
  for (const deadline = Date.now() + 20_000; !editor && Date.now() < deadline; ) {
    for (const candidate of page.frames()) if ((await candidate.locator('.timeline-figures', { hasText: /^16 messages/ }).count().catch(() => 0)) > 0) editor = candidate;
    if (!editor) await page.waitForTimeout(200);
  }
  assert.ok(editor, 'the capture editor of slow.mqttcap');
  await editor.locator('vscode-button.timeline-replay').click();
  await page.locator('.quick-input-widget').getByText('Replay Speed').waitFor({ timeout: 10_000 });
  await page.locator('.quick-input-list .monaco-list-row[aria-label^="1x"]').first().click();
  const pause = editor.locator('vscode-button.timeline-pause');
  await pause.filter({ hasText: 'Pause' }).waitFor({ timeout: 10_000 });
  await page.locator('.statusbar-item[aria-label^="Replaying, "]').first().waitFor({ timeout: 10_000 });
  await pause.click();
  await pause.filter({ hasText: 'Resume' }).waitFor({ timeout: 5_000 });
  const status = page.locator('.statusbar-item[aria-label^="Replay paused, "]').first();
  await status.waitFor({ timeout: 5_000 });
  assert.match(await status.innerText(), /Replay paused \d+ \/ 16/);
  const whilePaused = replayed.length;
  await page.waitForTimeout(1500);
  assert.equal(replayed.length, whilePaused, 'nothing is published while paused');
  assert.ok(whilePaused < 16, `sent before the pause: ${whilePaused}`);
  await page.screenshot({ path: join(shots, 'capture-replay-paused.png') });
  await status.click();
  await toasts().getByText(/^Replayed 16 messages in \d+\.\d s \(drift p99 \d+ ms\), 0 failed$/).waitFor({ timeout: 30_000 });
  await pause.waitFor({ state: 'hidden', timeout: 5_000 });
  for (const deadline = Date.now() + 10_000; replayed.length < 16 && Date.now() < deadline; ) await page.waitForTimeout(100);
  assert.deepEqual(replayed, Array.from({ length: 16 }, (_, i) => `slow/${i}`));
});
