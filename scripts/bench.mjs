// `npm run bench`: builds the tests, then runs every benchmark in test/bench one after the other and prints,
// at the end, the last line (one JSON object of figures) of each; the very last line is the JSON object of the
// receive-path benchmark (pipeline): {"rawMsgsPerSec","pipelineMsgsPerSec","ratio","heapMB100kTopics",...}. Benchmarks assert nothing: figures depend on
// the machine. The pipeline benchmark needs mosquitto and the panel's DOM benchmark Chromium; `npm test`
// installs both (`npm run bench -- pipeline topicTree` runs a subset). vscode-load floods the extension inside
// code-server. A figure a bench could not measure prints as null with a "why" (exit 0): a non-zero exit means
// the code under test is broken.
import { spawn } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const BENCHES = {
  topicTree: ['--expose-gc', 'out/test/bench/topicTree.bench.js'],
  history: ['--expose-gc', 'out/test/bench/history.bench.js'],
  payload: ['out/test/bench/payload.bench.js'],
  cstruct: ['out/test/bench/cstruct.bench.js'],
  panelFeed: ['out/test/bench/panelFeed.bench.js'],
  panelDom: ['test/bench/panelDom.bench.mjs'],
  monitor: ['--expose-gc', 'out/test/bench/monitor.bench.js'],
  pipeline: ['--expose-gc', 'out/test/bench/pipeline.bench.js'],
  localBroker: ['out/test/bench/localBroker.bench.js'],
  fleet: ['out/test/bench/fleet.bench.js'],
  capture: ['--expose-gc', 'out/test/bench/capture.bench.js'],
  'vscode-load': ['test/bench/vscodeLoad.bench.mjs'],
};

/** Runs node with `args`, streaming its output; resolves with the exit code and the last non-empty line. */
function runNode(args) {
  return new Promise((resolvePromise) => {
    let output = '';
    const child = spawn(process.execPath, args, { cwd: REPO, stdio: ['ignore', 'pipe', 'inherit'] });
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      output = (output + chunk.toString()).slice(-65_536);
    });
    child.once('close', (code) => resolvePromise({ code: code ?? 1, last: output.trim().split('\n').pop() ?? '' }));
  });
}

const requested = process.argv.slice(2);
const unknown = requested.filter((name) => !(name in BENCHES));
if (unknown.length > 0) {
  console.error(`Unknown benchmark(s): ${unknown.join(', ')}. Benchmarks: ${Object.keys(BENCHES).join(' ')}`);
  process.exit(2);
}
const build = await runNode([join(REPO, 'scripts', 'build.mjs'), '--tests']);
if (build.code !== 0) process.exit(build.code);

const results = [];
for (const name of Object.keys(BENCHES).filter((bench) => requested.length === 0 || requested.includes(bench))) {
  console.log(`\n== bench: ${name}`);
  results.push({ name, ...(await runNode(BENCHES[name])) });
}
console.log('\n== figures');
for (const { name, code, last } of results) console.log(`${name.padEnd(10)} ${code === 0 ? last : `FAILED (exit ${code})`}`);
const pipeline = results.find((result) => result.name === 'pipeline' && result.code === 0);
if (pipeline) console.log(pipeline.last);
process.exit(results.every((result) => result.code === 0) ? 0 : 1);
