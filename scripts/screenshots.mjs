// Regenerates the README screenshots: runs the UI test (which saves PNGs under test-results/e2e) and copies the
// curated ones into media/screenshots/. Usage: node scripts/screenshots.mjs (after node scripts/build.mjs --tests).
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from './setup-test-host.mjs';

const CURATED = ['sidebar-dark.png', 'sidebar-light.png'];

const run = spawnSync(process.execPath, ['--test', join(REPO, 'test', 'e2e', 'sidebar.e2e.mjs')], { cwd: REPO, stdio: 'inherit' });
if (run.status !== 0) process.exit(run.status ?? 1);
mkdirSync(join(REPO, 'media', 'screenshots'), { recursive: true });
for (const name of CURATED) {
  copyFileSync(join(REPO, 'test-results', 'e2e', 'sidebar', name), join(REPO, 'media', 'screenshots', name));
  console.log(`media/screenshots/${name}`);
}
