// The headless simulator (node dist/simulator.js) against mosquitto: two runs with their own client-id ranges
// (--index-offset) and reports (--report), merged with --merge; the same validation sentences as the editor,
// and the safety limit that needs --yes.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { FleetReport } from '../../src/core/fleet/report';
import { startMosquitto, type Broker } from '../helpers/broker';

const SIMULATOR = join(__dirname, '..', '..', '..', 'dist', 'simulator.js');

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [SIMULATOR, ...args], { timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

describe('headless simulator', () => {
  let broker: Broker;
  let dir: string;
  before(async () => {
    broker = await startMosquitto();
    dir = mkdtempSync(join(tmpdir(), 'fleet-cli-'));
  });
  after(async () => {
    rmSync(dir, { recursive: true, force: true });
    await broker.stop();
  });

  test('two runs with their own index ranges merge into one report', async () => {
    const scenario = join(dir, 'cli.mqttsim.json');
    writeFileSync(scenario, JSON.stringify({ broker: broker.url(), clients: 3, clientId: 'cli-{index}', duration: 1, publish: [{ topic: 'cli/{clientId}', rate: 5, qos: 1, payload: { i: '{index}' } }] }));
    const first = await cli([scenario, '--report', join(dir, 'a.md')]);
    const second = await cli([scenario, '--index-offset', '3', '--report', join(dir, 'b.md')]);
    assert.equal(first.code, 0, first.stderr);
    assert.equal(second.code, 0, second.stderr);
    assert.match(first.stdout, /clients 3\/3/);
    assert.match(first.stdout, /Report: .*a\.md/);
    const merged = await cli(['--merge', join(dir, 'a.json'), join(dir, 'b.json'), '--report', join(dir, 'all.md')]);
    assert.equal(merged.code, 0, merged.stderr);
    const report = JSON.parse(readFileSync(join(dir, 'all.json'), 'utf8')) as FleetReport;
    assert.equal(report.runs.length, 2);
    assert.deepEqual(report.runs.map((r) => r.environment.indexOffset), [0, 3]);
    assert.equal(report.clients.target, 6);
    assert.equal(report.totals.sent, 30);
    assert.equal(report.ack.count, 30);
    assert.match(readFileSync(join(dir, 'all.md'), 'utf8'), /Merged from 2 runs\./);
  });

  test('a mistake in the scenario and a safety limit stop it before it connects', async () => {
    const bad = join(dir, 'bad.mqttsim.json');
    writeFileSync(bad, JSON.stringify({ broker: broker.url(), publish: [{ topic: 'a', rate: 'fast', payload: 'x' }] }));
    const refused = await cli([bad]);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /publish\[0\]\.rate: must be a positive number, not "fast"/);
    const big = join(dir, 'big.mqttsim.json');
    writeFileSync(big, JSON.stringify({ broker: broker.url(), clients: 5, publish: [{ topic: 'a/{clientId}', rate: 1, payload: 'x' }] }));
    const limited = await cli([big, '--max-clients', '2']);
    assert.equal(limited.code, 2);
    assert.ok(limited.stderr.includes('The scenario starts 5 clients, more than the safety limit of 2 (mqttWorkbench.fleet.maxClients).\nAdd --yes to run anyway, or raise --max-clients / --max-rate.'), limited.stderr);
    const named = join(dir, 'named.mqttsim.json');
    writeFileSync(named, JSON.stringify({ broker: 'Lab', publish: [{ topic: 'a', rate: 1, payload: 'x' }] }));
    writeFileSync(join(dir, 'settings.json'), '{\n  // comments are fine\n  "mqttWorkbench.connections": [{ "name": "Other", "host": "127.0.0.1" },],\n}');
    const unknown = await cli([named, '--settings', join(dir, 'settings.json')]);
    assert.equal(unknown.code, 2);
    assert.ok(unknown.stderr.includes(`There is no connection named "Lab" in ${join(dir, 'settings.json')}. Known: Other. Pass --settings <settings.json> or use a broker URL such as mqtt://127.0.0.1:1883.`), unknown.stderr);
  });
});
