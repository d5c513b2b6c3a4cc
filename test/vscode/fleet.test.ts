// Inside the real extension host: Run Scenario with a task argument resolves with the report and writes it next
// to the scenario; Start Simulated Devices answers requests until Stop Simulated Devices; and the sentences the
// user reads for a wrong argument, a scenario with a mistake and an unknown connection (README "Troubleshooting").
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { RunOutcome } from '../../src/host/fleet/fleetRuns';
import { startMosquitto, type Broker } from '../helpers/broker';
import { connectClient, endClient } from '../helpers/clients';
import { eventually, workbenchApi } from './publishHelpers';
import { logMark, waitForLog, waitForUserMessage } from './userMessages';

function folder(): string {
  const first = vscode.workspace.workspaceFolders?.[0];
  assert.ok(first, 'the tests run with a folder open');
  return first.uri.fsPath;
}

async function writeScenario(name: string, scenario: unknown): Promise<string> {
  const file = join(folder(), `${name}.mqttsim.json`);
  await writeFile(file, JSON.stringify(scenario, null, 2));
  return file;
}

describe('Fleet scenarios (extension host)', function () {
  this.timeout(120_000);
  let broker: Broker;
  const written: string[] = [];

  before(async () => {
    broker = await startMosquitto();
    await workbenchApi();
    await waitForLog();
    await vscode.workspace.getConfiguration('mqttWorkbench').update('connections', [{ name: 'Fleet broker', host: '127.0.0.1', port: broker.port }], vscode.ConfigurationTarget.Workspace);
    const api = await workbenchApi();
    await eventually(() => api.connectionNames().includes('Fleet broker'), 'the connection "Fleet broker"');
  });

  after(async () => {
    await vscode.workspace.getConfiguration('mqttWorkbench').update('connections', undefined, vscode.ConfigurationTarget.Workspace);
    for (const file of written) await rm(file, { force: true });
    await broker.stop();
  });

  it('runScenario { file, durationSeconds } resolves with the report written next to the scenario', async () => {
    const file = await writeScenario('task-run', { broker: 'Fleet broker', clients: 10, clientId: 'task-{index}', duration: 60, publish: [{ topic: 't/{clientId}', rate: 5, qos: 1, payload: { n: '{seq}' } }], subscribe: [{ filter: 't/+' }] });
    written.push(file);
    const outcome = await vscode.commands.executeCommand<RunOutcome | undefined>('mqttWorkbench.runScenario', { file: 'task-run.mqttsim.json', durationSeconds: 2 });
    assert.ok(outcome, 'the command resolved with the report');
    written.push(outcome.markdown, outcome.json);
    assert.ok(existsSync(outcome.markdown) && existsSync(outcome.json));
    assert.match(outcome.markdown, /task-run\.report-\d{8}-\d{6}\.md$/);
    assert.equal(outcome.report.totals.sent, 100, '10 clients x 5 msg/s x 2 s');
    assert.equal(outcome.report.totals.acked, 100);
    assert.ok(outcome.report.endToEnd.count > 0);
    const markdown = readFileSync(outcome.markdown, 'utf8');
    assert.match(markdown, /\| Messages sent \| 100 \|/);
    assert.deepEqual(JSON.parse(readFileSync(outcome.json, 'utf8')).totals, outcome.report.totals);
  });

  it('Start Simulated Devices answers requests until Stop Simulated Devices', async () => {
    const file = await writeScenario('responders', { broker: 'Fleet broker', clients: 3, clientId: 'resp-{index}', respond: [{ filter: 'resp/{clientId}/cmd', payload: { ok: true, from: '{clientId}' } }] });
    written.push(file);
    const id = await vscode.commands.executeCommand<number | undefined>('mqttWorkbench.startSimulatedDevices', vscode.Uri.file(file));
    assert.equal(typeof id, 'number');
    const { client } = await connectClient(broker.url(), { protocolVersion: 5 });
    await client.subscribeAsync('answers', { qos: 1 });
    let answer: string | undefined;
    client.on('message', (_topic, payload, packet) => {
      if (packet.properties?.correlationData?.toString() === 'c-1') answer = payload.toString();
    });
    await eventually(() => {
      client.publish('resp/resp-2/cmd', 'hi', { properties: { responseTopic: 'answers', correlationData: Buffer.from('c-1') } });
      return answer !== undefined;
    }, 'an answer from the simulated device', 30_000);
    assert.deepEqual(JSON.parse(answer ?? ''), { ok: true, from: 'resp-2' });
    const stopped = await vscode.commands.executeCommand<number>('mqttWorkbench.stopSimulatedDevices', { runId: id });
    assert.equal(stopped, 1);
    await endClient(client);
  });

  it('a wrong argument, a mistake in the scenario and an unknown connection are named', async () => {
    const cases: Array<[unknown, string]> = [
      [{ file: 42 }, 'Run Scenario: Expected { "file": "<path of a .mqttsim.json>", "durationSeconds": <positive number, optional> }, not {"file":42}.'],
      [{ file: await writeScenario('fast', { broker: 'Fleet broker', publish: [{ topic: 'a', rate: 'fast', payload: 'x' }] }) }, 'Run Scenario: fast.mqttsim.json has problems: publish[0].rate: must be a positive number, not "fast"'],
      [{ file: await writeScenario('nowhere', { broker: 'Nowhere', publish: [{ topic: 'a', rate: 1, payload: 'x' }] }) }, 'Run Scenario: There is no connection named "Nowhere". Known: Fleet broker.'],
    ];
    written.push(join(folder(), 'fast.mqttsim.json'), join(folder(), 'nowhere.mqttsim.json'));
    for (const [argument, message] of cases) {
      const mark = logMark();
      assert.equal(await vscode.commands.executeCommand('mqttWorkbench.runScenario', argument), undefined);
      await waitForUserMessage(message, mark);
    }
    const mark = logMark();
    const silent = await writeScenario('silent', { broker: 'Fleet broker', publish: [{ topic: 'a', rate: 1, payload: 'x' }] });
    written.push(silent);
    assert.equal(await vscode.commands.executeCommand('mqttWorkbench.startSimulatedDevices', { file: silent }), undefined);
    await waitForUserMessage('Start Simulated Devices: silent.mqttsim.json has no respond rules: simulated devices need at least one.', mark);
  });
});
