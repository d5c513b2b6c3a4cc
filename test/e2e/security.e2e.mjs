// Security as a person meets it, in a real VS Code driven by Chromium: secrets typed into prompts end up nowhere
// but the connection (not in settings, logs, the webview or anything VS Code wrote to disk), the panel's content
// security policy allows no inline or evaluated script, topics carrying HTML stay text in tree tooltips, and an
// untrusted folder cannot bring its own connections.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, test } from 'node:test';
import { DEFAULT_USER_SETTINGS } from '../../scripts/code-server.mjs';
import { answerQuickInput, expandTreePath, openWorkbench, panelFrame, panelRows, reloadWindow, runCommand, screenshotEnd, treeRow, runCleanups } from './workbench.mjs';

const require = createRequire(import.meta.url);
const { startMosquitto } = require('../../out/test/helpers/broker.js');
const { CLIENT_KEY_PASSPHRASE, makeCertificates } = require('../../out/test/helpers/certs.js');
const mqtt = require('mqtt');

const PASSWORD = 'e2e-s3cret-Pa55word';
const XSS_TOPIC = 'fleet/<img src=x onerror="window.__xss=1">/status';
/** Topic -> payload: theme-icon syntax, HTML entities, markdown and links, each to be shown exactly as sent. */
const AS_SENT = {
  'fleet/tips/icons': '$(terminal) $(warning) icons?',
  'fleet/tips/entities': '&lt;img src=x onerror=alert(1)&gt; &amp;',
  'fleet/tips/$(terminal) topic &lt;b&gt;': '**not bold** _x_ `y` [link](https://example.com/a) <b>b</b> \\ | ~~s~~ # h',
  'fleet/tips/links': 'see https://example.com/x?a=1, www.example.org and ops@example.com',
  'fleet/tips/spaces': '  two  spaces,   three, \\$(x)',
};

let workbench;
let page;
let device;
let secure;
const cleanups = [];

before(async () => {
  const certs = await makeCertificates(mkdtempSync(join(tmpdir(), 'wb-e2e-certs-')));
  secure = await startMosquitto({ tls: certs, requireClientCert: true, users: { dev: PASSWORD } });
  cleanups.push(() => secure.stop());
  device = mqtt.connect(secure.url('mtls'), { clientId: 'e2e-fleet-device', username: 'dev', password: PASSWORD, ca: readFileSync(certs.caCert), cert: readFileSync(certs.clientCert), key: readFileSync(certs.clientKey), reconnectPeriod: 0 });
  await new Promise((resolve, reject) => device.once('connect', resolve).once('error', reject));
  cleanups.push(() => device.endAsync());
  await device.publishAsync(XSS_TOPIC, '<script>window.__xss=1</script>', { qos: 1, retain: true });
  for (const [topic, payload] of Object.entries(AS_SENT)) await device.publishAsync(topic, payload, { qos: 1, retain: true });
  const port = Number(new URL(secure.url('mtls')).port);
  workbench = await openWorkbench({
    name: 'security',
    settings: {
      'mqttWorkbench.connections': [
        { name: 'Fleet', host: '127.0.0.1', port, protocol: 'mqtts', username: 'dev', tls: { ca: certs.caCert, cert: certs.clientCert, key: certs.clientKeyEncrypted }, subscriptions: [{ filter: 'fleet/#', qos: 1 }] },
      ],
    },
  });
  cleanups.push(() => workbench.close());
  page = workbench.page;
});

afterEach(async (t) => page && screenshotEnd(page, workbench.shots, t.name));

after(async () => {
  await runCleanups(cleanups);
  for (const topic of [XSS_TOPIC, ...Object.keys(AS_SENT)]) await device?.publishAsync(topic, '', { retain: true }).catch(() => undefined);
});

/** Every file under `dir` whose bytes contain `secret` (settings, logs, state databases, caches...). */
function filesContaining(dir, secret) {
  const needle = Buffer.from(secret, 'utf8');
  const found = [];
  const walk = (path) => {
    for (const entry of readdirSync(path, { withFileTypes: true })) {
      const full = join(path, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile() && statSync(full).size < 64 * 1024 * 1024 && readFileSync(full).includes(needle)) found.push(full);
    }
  };
  walk(dir);
  return found;
}

test('connect over mutual TLS with a password and a key passphrase typed into the prompts', async () => {
  await page.locator('.activitybar a.action-label[aria-label="MQTT Workbench"]').click();
  const fleet = treeRow(page, 'Connections', 'Fleet');
  await fleet.hover();
  await fleet.locator('.action-label[aria-label="Connect"]').click();
  await answerQuickInput(page, /Password for "dev" at mqtts:\/\/127\.0\.0\.1:\d+ \(connection "Fleet"\)/, PASSWORD);
  await answerQuickInput(page, /Passphrase of the private key of connection "Fleet"/, CLIENT_KEY_PASSPHRASE);
  await fleet.filter({ hasText: '· connected' }).waitFor({ timeout: 15_000 });
  await runCommand(page, 'MQTT: Show Messages');
  await page.waitForTimeout(1500);
});

test('topics carrying HTML are text in the tree tooltip and run nothing', async () => {
  await expandTreePath(page, 'Topics', ['fleet', '<img src=x onerror="window.__xss=1">'], 'status');
  const hover = await showTooltip(treeRow(page, 'Topics', 'status'));
  assert.ok((await hover.innerText()).includes(XSS_TOPIC), 'the tooltip names the topic as sent');
  assert.match(await hover.innerText(), /<script>window\.__xss=1<\/script>/);
  assert.equal(await page.evaluate(() => globalThis.__xss), undefined);
  assert.equal(await page.locator('.monaco-hover img, .workbench-hover img').count(), 0);
});

/**
 * Hovers `row` until VS Code shows its tooltip (a row redrawn under the pointer, as a row with a live rate is
 * each second, hides a hover that was about to open: move away and hover again) and returns the hover.
 */
async function showTooltip(row) {
  const hovers = page.locator('.monaco-hover, .workbench-hover').filter({ has: page.locator('.rendered-markdown hr') });
  for (let attempt = 1; ; attempt++) {
    await page.mouse.move(0, 0);
    await page.keyboard.press('Escape');
    await hovers.first().waitFor({ state: 'hidden', timeout: 10_000 }).catch(() => undefined);
    await row.hover();
    try {
      await hovers.first().waitFor({ timeout: 5_000 });
      return hovers.first();
    } catch (error) {
      if (attempt === 4) throw error;
    }
  }
}

/** The tooltip VS Code shows for a Topics row: its title (the topic) and its last paragraph (the payload). */
async function hoverTooltip(row) {
  const markdown = (await showTooltip(row)).locator('.rendered-markdown');
  const text = (locator) => locator.evaluate((element) => element.textContent.replace(/\u00a0/g, ' '));
  return {
    title: await text(markdown.locator('p strong').first()),
    payload: await text(markdown.locator('p').last()),
    links: await markdown.locator('a').count(),
    icons: await markdown.locator('.codicon').count(),
  };
}

test('topics and payloads in tooltips and in the panel are shown exactly as sent: no icon, entity, markup or link', async () => {
  await expandTreePath(page, 'Topics', ['fleet', 'tips'], 'icons');
  for (const [topic, payload] of Object.entries(AS_SENT)) {
    const level = topic.split('/').pop();
    const tooltip = await hoverTooltip(treeRow(page, 'Topics', level));
    assert.deepEqual(tooltip, { title: topic, payload, links: 0, icons: 0 }, `the tooltip of ${topic}`);
  }
  await page.screenshot({ path: join(workbench.shots, 'tooltip-as-sent.png') });
  const frame = await panelFrame(page);
  const rows = panelRows(frame);
  for (const [topic, payload] of Object.entries(AS_SENT)) {
    const row = rows.filter({ has: frame.locator('.col-topic', { hasText: new RegExp(`^${topic.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`) }) });
    await row.first().waitFor({ timeout: 10_000 });
    assert.equal(await row.first().locator('.col-preview').textContent(), payload, `the panel row of ${topic}`);
  }
});

test('the message panel allows no inline or evaluated script', async () => {
  let csp;
  for (const frame of page.frames()) {
    csp = await frame.evaluate(() => document.querySelector('#app') && document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content')).catch(() => undefined);
    if (csp) break;
  }
  assert.ok(csp, 'the panel webview and its policy were found');
  const directives = Object.fromEntries(csp.split(';').map((d) => d.trim().split(/\s+/)).filter((d) => d[0]).map(([name, ...values]) => [name, values]));
  assert.deepEqual(directives['default-src'], ["'none'"]);
  assert.ok(directives['script-src'].some((v) => /^'nonce-[A-Za-z0-9+/=]{16,}'$/.test(v)), `scripts by nonce: ${csp}`);
  for (const forbidden of ["'unsafe-inline'", "'unsafe-eval'", '*', 'data:', 'blob:']) assert.ok(!directives['script-src'].includes(forbidden), `script-src has no ${forbidden}`);
});

test('the password and the key passphrase appear in no page, setting, log or file VS Code wrote', async () => {
  await reloadWindow(page); // flushes state and logs to disk, saves webview state
  for (const secret of [PASSWORD, CLIENT_KEY_PASSPHRASE]) {
    for (const frame of page.frames()) {
      const html = await frame.content().catch(() => '');
      assert.ok(!html.includes(secret), `a page or webview (${frame.url().slice(0, 80)}) contains a secret`);
    }
    assert.deepEqual(filesContaining(workbench.userDataDir, secret), [], 'no file in the VS Code profile (settings, logs, state) holds a secret');
    assert.deepEqual(filesContaining(workbench.workspace, secret), [], 'no file in the workspace holds a secret');
  }
});

test('an untrusted folder cannot bring its own connections; user settings still work', async () => {
  const plain = await startMosquitto();
  cleanups.push(() => plain.stop());
  const restricted = await openWorkbench({
    name: 'security-restricted',
    workspaceTrust: true,
    userSettings: {
      ...DEFAULT_USER_SETTINGS,
      'security.workspace.trust.enabled': true,
      'security.workspace.trust.startupPrompt': 'never',
      'security.workspace.trust.banner': 'always',
      'mqttWorkbench.connections': [{ name: 'My user broker', host: '127.0.0.1', port: plain.port }],
    },
    settings: { 'mqttWorkbench.connections': [{ name: 'Folder broker', host: 'attacker.example', port: 1883 }] },
    files: { 'load.mqttsim.json': JSON.stringify({ broker: 'My user broker', clients: 2, duration: 5, publish: [{ topic: 'load/{clientId}', rate: 1, payload: 'x' }] }, null, 2) },
  });
  cleanups.push(() => restricted.close());
  const untrustedPage = restricted.page;
  await untrustedPage.getByText(/Restricted Mode/).first().waitFor({ timeout: 30_000 });
  await untrustedPage.locator('.activitybar a.action-label[aria-label="MQTT Workbench"]').click();
  const mine = treeRow(untrustedPage, 'Connections', 'My user broker');
  await mine.waitFor({ timeout: 15_000 });
  assert.equal(await treeRow(untrustedPage, 'Connections', 'Folder broker').count(), 0, 'the folder profile is not shown');
  await mine.hover();
  await mine.locator('.action-label[aria-label="Connect"]').click();
  await mine.filter({ hasText: '· connected' }).waitFor({ timeout: 15_000 });
  await untrustedPage.screenshot({ path: join(restricted.shots, 'restricted-mode.png') });
  // A scenario in the untrusted folder would start a process that connects: its Run CodeLens refuses and says why.
  await untrustedPage.keyboard.press('Control+P');
  await untrustedPage.keyboard.type('load.mqttsim.json');
  await untrustedPage.locator('.quick-input-list .monaco-list-row', { hasText: 'load.mqttsim.json' }).first().click();
  await untrustedPage.locator('.codelens-decoration a', { hasText: 'Run' }).first().click({ timeout: 30_000 });
  await untrustedPage
    .locator('.notifications-toasts', { hasText: 'Running a scenario starts a process that connects to a broker; trust this workspace first (Workspaces: Manage Workspace Trust).' })
    .waitFor({ timeout: 15_000 });
});
