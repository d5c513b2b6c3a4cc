// Bundles the extension host (dist/extension.js), the webviews (dist/webview.js, dist/dashboard.js) and the fleet
// simulator (dist/simulator.js) with esbuild, plus the local
// broker and the demo device (dist/localBroker.js, dist/demoDevice.js) that `npm start` runs in plain Node.
// Flags: --production (minified, no source maps), --watch (rebuild all on change),
// --tests (also transpile src/ and test/ file by file into out/ for the node and VS Code test runners).
import * as esbuild from 'esbuild';
import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const tests = process.argv.includes('--tests');

/** @type {esbuild.BuildOptions} */
const common = { bundle: true, minify: production, sourcemap: !production, logLevel: 'info', target: 'es2022' };

/** @type {esbuild.BuildOptions} */
const node = { ...common, platform: 'node', format: 'cjs' };

const builds = [
  { ...node, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] },
  { ...common, entryPoints: ['webview/main.ts'], outfile: 'dist/webview.js', platform: 'browser', format: 'iife' },
  { ...common, entryPoints: ['webview/dashboard/main.ts'], outfile: 'dist/dashboard.js', platform: 'browser', format: 'iife' },
  // The fleet simulator: a child process of the extension host, and the headless command line.
  { ...node, entryPoints: ['src/simulator/main.ts'], outfile: 'dist/simulator.js' },
  { ...common, entryPoints: ['webview/monitor/main.ts'], outfile: 'dist/monitor.js', platform: 'browser', format: 'iife' },
  // Plain Node bundles for `npm start` (scripts/start.mjs); not in the .vsix.
  { ...node, entryPoints: ['src/core/localBroker.ts'], outfile: 'dist/localBroker.js' },
  { ...node, entryPoints: ['src/demo/demoDevice.ts'], outfile: 'dist/demoDevice.js' },
];

function tsFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return tsFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

if (tests) {
  rmSync('out', { recursive: true, force: true });
  builds.push({
    entryPoints: [...tsFiles('src'), ...tsFiles('test')],
    outdir: 'out',
    outbase: '.',
    bundle: false,
    platform: 'node',
    format: 'cjs',
    target: 'es2022',
    sourcemap: 'inline',
    logLevel: 'warning',
  });
}

if (watch) {
  for (const options of builds) await (await esbuild.context(options)).watch();
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
}
