// The Go/Eclipse Paho reference load generator (test/bench/fleet-paho/main.go), built at bench time offline from
// Debian's packages (installed with apt-get when missing and allowed), and run on one scenario step.
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SOURCE = join(__dirname, '..', '..', '..', 'test', 'bench', 'fleet-paho', 'main.go');
const PAHO = '/usr/share/gocode/src/github.com/eclipse/paho.mqtt.golang';

/** What the Go program prints. */
export interface PahoResult {
  clients: number;
  failed: number;
  sent: number;
  received: number;
  seconds: number;
  medianPerSec: number;
  e2eP50Ms: number;
  e2eP95Ms: number;
  e2eP99Ms: number;
}

function hasGo(): boolean {
  try {
    execFileSync('go', ['version'], { stdio: 'ignore' });
    return existsSync(PAHO);
  } catch {
    return false;
  }
}

/** Builds the reference; returns the binary's path, or why it could not be built. */
export function buildPaho(): { binary: string } | { reason: string } {
  if (!hasGo()) {
    try {
      execFileSync('apt-get', ['update'], { stdio: 'ignore', timeout: 600_000 });
      execFileSync('apt-get', ['install', '-y', 'golang-go', 'golang-github-eclipse-paho.mqtt.golang-dev'], { stdio: 'ignore', timeout: 600_000 });
    } catch (error) {
      return { reason: `golang-go / golang-github-eclipse-paho.mqtt.golang-dev are not installed and apt-get failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}` };
    }
    if (!hasGo()) return { reason: 'go or Debian paho.mqtt.golang is still missing after apt-get install' };
  }
  const dir = mkdtempSync(join(tmpdir(), 'fleet-paho-'));
  const binary = join(dir, 'fleet-paho');
  try {
    execFileSync('go', ['build', '-o', binary, SOURCE], { env: { ...process.env, GOPATH: '/usr/share/gocode', GO111MODULE: 'off', GOCACHE: join(dir, 'cache') }, stdio: ['ignore', 'ignore', 'pipe'], timeout: 600_000 });
  } catch (error) {
    return { reason: `go build failed: ${error instanceof Error ? error.message.split('\n').slice(0, 3).join(' ') : String(error)}` };
  }
  return { binary };
}

/** Runs the reference on one step; resolves with its figures or why there are none. */
export function runPaho(binary: string, url: string, clients: number, rate: number, seconds: number, payloadBytes: number): Promise<PahoResult | { reason: string }> {
  const broker = url.replace(/^mqtt:/, 'tcp:');
  const args = ['-broker', broker, '-clients', String(clients), '-rate', String(rate), '-seconds', String(seconds), '-connect-rate', '1000', '-payload', String(payloadBytes)];
  return new Promise((resolve) => {
    execFile(binary, args, { timeout: (seconds + 60) * 1000, maxBuffer: 1 << 20 }, (error, stdout, stderr) => {
      if (error) return resolve({ reason: `the Go reference failed: ${(stderr || error.message).split('\n')[0]}` });
      try {
        resolve(JSON.parse(stdout.trim().split('\n').pop() ?? '') as PahoResult);
      } catch {
        resolve({ reason: `the Go reference printed no figures: ${stdout.slice(0, 200)}` });
      }
    });
  });
}
