// Regenerates the README screenshots: runs the UI test (which saves PNGs under test-results/e2e) and copies the
// curated ones into media/screenshots/. Usage: node scripts/screenshots.mjs (after node scripts/build.mjs --tests).
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from './setup-test-host.mjs';

/** Result folder of a UI test -> the screenshots in it that the README shows. */
const CURATED = {
  'first-run': ['first-run-sidebar-dark.png', 'first-run-panel-dark.png', 'first-run-panel-light.png'],
  sidebar: ['sidebar-dark.png', 'sidebar-light.png'],
  messages: ['panel-dark.png', 'panel-detail-hex.png', 'panel-light.png'],
};

const TEST_FILES = { 'first-run': 'firstRun', sidebar: 'sidebar', messages: 'messages' };
const files = Object.keys(CURATED).map((folder) => join(REPO, 'test', 'e2e', `${TEST_FILES[folder]}.e2e.mjs`));
const run = spawnSync(process.execPath, ['--test', '--test-concurrency=1', ...files], { cwd: REPO, stdio: 'inherit' });
if (run.status !== 0) process.exit(run.status ?? 1);
mkdirSync(join(REPO, 'media', 'screenshots'), { recursive: true });
for (const [folder, names] of Object.entries(CURATED)) {
  for (const name of names) {
    copyFileSync(join(REPO, 'test-results', 'e2e', folder, name), join(REPO, 'media', 'screenshots', name));
    console.log(`media/screenshots/${name}`);
  }
}
