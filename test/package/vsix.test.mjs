// The .vsix a user installs: built by `npm run package` from a clean production build, under 2 MB, and holding
// only what runs (the bundles, media, the manifest and the documents), never sources, tests or node_modules.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { REPO } from '../../scripts/setup-test-host.mjs';

const VSIX = join(REPO, 'mqtt-workbench.vsix');
const MAX_BYTES = 2 * 1024 * 1024;
/** Every file the package may hold, as patterns over its path inside the archive's extension/ folder. */
const ALLOWED = [/^dist\/(extension|webview|simulator|dashboard|monitor)\.js$/, /^media\/[\w./-]+\.(svg|png|css|md|json)$/, /^package\.json$/, /^readme\.md$/i, /^changelog\.md$/i, /^LICENSE(\.txt)?$/i];
let files = [];

before(() => {
  execFileSync('npm', ['run', '-s', 'package'], { cwd: REPO, stdio: ['ignore', 'ignore', 'inherit'], timeout: 300_000 });
  files = execFileSync('zipinfo', ['-1', VSIX], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line.startsWith('extension/') && !line.endsWith('/'))
    .map((line) => line.slice('extension/'.length));
});

after(() => rmSync(VSIX, { force: true }));

test('the package is under 2 MB', () => {
  const size = statSync(VSIX).size;
  console.log(`mqtt-workbench.vsix: ${(size / 1024).toFixed(0)} KB, ${files.length} files`);
  assert.ok(size < MAX_BYTES, `${size} bytes`);
});

test('it holds only what runs: the bundles, media, manifest and documents', () => {
  const unexpected = files.filter((file) => !ALLOWED.some((pattern) => pattern.test(file)));
  assert.deepEqual(unexpected, []);
  for (const needed of ['dist/extension.js', 'dist/webview.js', 'dist/simulator.js', 'dist/dashboard.js', 'dist/monitor.js', 'media/dashboard.css', 'media/monitor.css', 'media/mqttsim.schema.json', 'package.json', 'media/panel.css', 'media/activitybar.svg']) assert.ok(files.includes(needed), `${needed} is packaged`);
  assert.ok(!files.some((file) => /\.map$|node_modules|^src\/|^test\//.test(file)), 'no source maps, sources, tests or node_modules');
});

test('the production bundle needs no node_modules: every require is Node built-in or vscode', () => {
  const bundle = execFileSync('unzip', ['-p', VSIX, 'extension/dist/extension.js'], { encoding: 'utf8', maxBuffer: 32 * 1024 * 1024 });
  const required = new Set([...bundle.matchAll(/\brequire\("([^"]+)"\)/g)].map((m) => m[1]));
  const external = [...required].filter((name) => name !== 'vscode' && !name.startsWith('node:') && !BUILTINS.has(name.split('/')[0]) && !OPTIONAL.has(name));
  assert.deepEqual(external, [], 'modules the bundle would look for in node_modules');
});

const BUILTINS = new Set((await import('node:module')).builtinModules);
/** Native speed-ups the websocket library (ws, used by MQTT.js) tries inside try/catch and does without. */
const OPTIONAL = new Set(['bufferutil', 'utf-8-validate']);
