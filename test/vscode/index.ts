// The extension tests module (extensionTestsPath): VS Code loads it in the real extension host and calls run().
// Runs mocha over every *.test.js compiled next to this file (out/test/vscode/**), prints each result and a
// final "vscode: N passed, N failed" line; rejecting makes VS Code report exit code 1.
import Mocha from 'mocha';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { format } from 'node:util';
import * as vscode from 'vscode';

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return testFiles(path);
      return entry.name.endsWith('.test.js') ? [path] : [];
    })
    .sort();
}

/** Called by VS Code once the extension host is up. Resolves when every test passed. */
export async function run(): Promise<void> {
  // The extension host forwards console.log arguments unformatted ("%s%s ..."): format mocha's lines here.
  Mocha.reporters.Base.consoleLog = (...data: unknown[]) => console.log(format(...data));
  // MQTT_WORKBENCH_TEST_GREP (set on the code-server process) runs only the tests whose title matches.
  const grep = process.env.MQTT_WORKBENCH_TEST_GREP;
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60_000, reporter: 'spec', ...(grep ? { grep } : {}) });
  const files = testFiles(__dirname);
  for (const file of files) mocha.addFile(file);
  console.log(`vscode: running ${files.length} test file(s) from ${__dirname} in VS Code ${vscode.version}`);

  let passed = 0;
  let failed = 0;
  try {
    await new Promise<void>((resolve) => {
      const runner = mocha.run(() => resolve());
      runner.on('pass', () => passed++);
      runner.on('fail', () => failed++);
    });
  } catch (error) {
    // A test file that throws while loading ends up here: count it, never swallow it.
    failed++;
    console.error(`vscode: could not run the tests: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  }
  console.log(`vscode: ${passed} passed, ${failed} failed`);
  if (failed > 0) throw new Error(`${failed} VS Code test(s) failed.`);
}
