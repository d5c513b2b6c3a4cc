// Inside the real extension host: record a connection's messages with a command argument (as a task would),
// stop, read the capture file back, replay it at speed 10 under another topic prefix to the same broker, and the
// bad inputs of both commands (outside the workspace, a missing file, a speed of "fast") with their sentences.
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { CaptureFile } from '../../src/core/capture/reader';
import type { ReplaySummary } from '../../src/core/capture/scheduler';
import type { RecordingResult } from '../../src/host/capture/recordings';
import { startMosquitto, type Broker } from '../helpers/broker';
import { connectClient, endClient, type Connected } from '../helpers/clients';
import { eventually, expectReported, recorder, workbenchApi } from './publishHelpers';

const NAME = 'Capture broker';
const COUNT = 50;

describe('Record and replay (extension host)', function () {
  this.timeout(90_000);
  let broker: Broker;
  let publisher: Connected;
  const root = (): string => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the test workspace has a folder');
    return folder.uri.fsPath;
  };

  before(async () => {
    broker = await startMosquitto();
    assert.equal(await vscode.commands.executeCommand('mqttWorkbench.addConnection', { name: NAME, host: '127.0.0.1', port: broker.port, protocolVersion: '5', target: 'workspace' }), NAME);
    publisher = await connectClient(broker.url(), { protocolVersion: 5 });
  });

  after(async () => {
    await endClient(publisher.client);
    await (await workbenchApi()).disconnect(NAME);
    await vscode.workspace.getConfiguration('mqttWorkbench').update('connections', undefined, vscode.ConfigurationTarget.Workspace);
    await rm(join(root(), 'captures'), { recursive: true, force: true });
    await broker?.stop();
  });

  it('records with an argument, stops, and the capture holds every message with its properties', async () => {
    const file = await vscode.commands.executeCommand<string>('mqttWorkbench.startRecording', { connection: NAME, filters: ['cap/#'], file: 'captures/host.mqttcap' });
    assert.equal(file, join(root(), 'captures', 'host.mqttcap'));
    await eventually(async () => (await workbenchApi()).state(NAME).kind === 'connected', 'the connection (startRecording connects)');
    for (let i = 0; i < COUNT; i++) {
      await publisher.client.publishAsync(`cap/dev-${i % 3}`, `reading ${i}`, { qos: 1, properties: { userProperties: { n: String(i) }, contentType: 'text/plain' } });
    }
    await publisher.client.publishAsync('other/topic', 'not recorded', { qos: 1 });
    const api = await workbenchApi();
    await eventually(() => api.topics(NAME).filter((t) => t.topic.startsWith('cap/')).reduce((n, t) => n + t.messageCount, 0) >= COUNT, 'the messages');
    const result = await vscode.commands.executeCommand<RecordingResult>('mqttWorkbench.stopRecording', NAME);
    assert.equal(result?.messages, COUNT);
    assert.equal(result?.summary, 'Recording stopped.');

    const capture = await CaptureFile.open(file);
    try {
      assert.equal(capture.header.connection, NAME);
      assert.equal(capture.header.broker, `127.0.0.1:${broker.port}`);
      assert.deepEqual(capture.header.filters, ['cap/#']);
      const entries = await capture.read(0, capture.count);
      assert.equal(entries.length, COUNT);
      const first = entries[0];
      assert.ok('entry' in first && first.entry.kind === 'message');
      assert.equal(first.entry.topic, 'cap/dev-0');
      assert.equal(Buffer.from(first.entry.payload).toString(), 'reading 0');
      assert.deepEqual(first.entry.properties?.userProperties, [['n', '0']]);
    } finally {
      await capture.close();
    }
  });

  it('replays the capture at speed 10 under a topic prefix; a subscriber sees every message in order', async () => {
    const sub = await recorder(broker.url(), 'again/#');
    try {
      const summary = await vscode.commands.executeCommand<ReplaySummary>('mqttWorkbench.replayCapture', { file: 'captures/host.mqttcap', connection: NAME, speed: 10, topicPrefix: 'again/' });
      assert.equal(summary?.sent, COUNT);
      assert.equal(summary?.failed, 0);
      await eventually(() => sub.received.length === COUNT, 'the replayed messages');
      assert.deepEqual(sub.received, Array.from({ length: COUNT }, (_, i) => `again/cap/dev-${i % 3}|reading ${i}`));
    } finally {
      await sub.close();
    }
  });

  it('with mqttWorkbench.capture.includePublished on, what this window publishes is recorded too (direction out)', async () => {
    const settings = vscode.workspace.getConfiguration('mqttWorkbench');
    await settings.update('capture.includePublished', true, vscode.ConfigurationTarget.Workspace);
    try {
      const file = await vscode.commands.executeCommand<string>('mqttWorkbench.startRecording', { connection: NAME, filters: ['both/#'], file: 'captures/both.mqttcap' });
      const api = await workbenchApi();
      await api.publish(NAME, 'both/out', 'from the window', { qos: 1 });
      await publisher.client.publishAsync('both/in', 'from the device', { qos: 1 });
      await eventually(() => api.topics(NAME).some((t) => t.topic === 'both/in') && api.topics(NAME).some((t) => t.topic === 'both/out'), 'both messages');
      const result = await vscode.commands.executeCommand<RecordingResult>('mqttWorkbench.stopRecording', NAME);
      const capture = await CaptureFile.open(file);
      try {
        assert.equal(capture.header.includesPublished, true);
        const lines = (await capture.read(0, capture.count)).map((line) => ('entry' in line && line.entry.kind === 'message' ? `${line.entry.direction} ${line.entry.topic}` : 'other'));
        // The window's own message comes back from the broker too (it is subscribed to both/#): out, then in.
        assert.deepEqual(lines.filter((l) => l.startsWith('out')), ['out both/out']);
        assert.ok(lines.includes('in both/in'), lines.join(', '));
        assert.equal(result?.messages, lines.length);
      } finally {
        await capture.close();
      }
    } finally {
      await settings.update('capture.includePublished', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  it('bad input: a file outside the workspace, a missing capture, a speed of "fast"', async () => {
    await vscode.commands.executeCommand('mqttWorkbench.startRecording', { connection: NAME, file: '/tmp/elsewhere.mqttcap' });
    await expectReported('startRecording', '/tmp/elsewhere.mqttcap is outside the workspace folders; captures are read and written only inside the workspace.');
    await vscode.commands.executeCommand('mqttWorkbench.replayCapture', { file: 'captures/gone.mqttcap', connection: NAME });
    await expectReported('Replay Capture', `The capture file ${join(root(), 'captures', 'gone.mqttcap')} does not exist.`);
    await vscode.commands.executeCommand('mqttWorkbench.replayCapture', { file: 'captures/host.mqttcap', connection: NAME, speed: 'fast' });
    await expectReported('Replay Capture', 'Nothing was replayed: replay.speed: must be a number from 0.1 to 100 or "max", not the string "fast"');
    await vscode.commands.executeCommand('mqttWorkbench.stopRecording');
    await expectReported('stopRecording', 'Nothing is being recorded.');
  });
});
