// Builds and runs tiny C programs with the machine's gcc: the reference for struct layouts (sizeof, offsetof,
// bit positions) and the firmware stand-in of the integration test. gcc comes with `npm test` (setup-test-host).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Why gcc cannot be used here, or undefined when it can. */
export function gccProblem(): string | undefined {
  const probe = spawnSync('gcc', ['--version'], { encoding: 'utf8' });
  return probe.status === 0 ? undefined : 'gcc is not installed (apt-get install gcc; npm test installs it)';
}

/**
 * Compiles `program` (C source; `includeDir` on the include path) and runs it; resolves with its stdout.
 * Throws with gcc's messages when it does not compile.
 */
export function runC(program: string, includeDir: string, args: string[] = []): string {
  const dir = mkdtempSync(join(tmpdir(), 'mqttwb-gcc-'));
  try {
    const source = join(dir, 'probe.c');
    const binary = join(dir, 'probe');
    writeFileSync(source, program);
    const built = spawnSync('gcc', ['-std=gnu11', '-w', '-I', includeDir, '-o', binary, source], { encoding: 'utf8' });
    if (built.status !== 0) throw new Error(`gcc failed:\n${built.stderr}`);
    return execFileSync(binary, args, { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
