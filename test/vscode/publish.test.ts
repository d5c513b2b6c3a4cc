// Inside the real extension host: the publish commands with argument objects (keybindings, tasks) reach a
// real subscriber; invalid arguments give their exact sentence and send nothing; saved messages publish from
// the Saved Messages view's command; a request gets its reply from a responder.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { startMosquitto, type Broker } from '../helpers/broker';
import { connectClient, endClient } from '../helpers/clients';
import { eventually, expectReported, recorder, workbenchApi } from './publishHelpers';

const NAME = 'Publish broker';

describe('Publishing (extension host)', function () {
  this.timeout(60_000);
  let broker: Broker;
  let sub: Awaited<ReturnType<typeof recorder>>;

  before(async () => {
    broker = await startMosquitto();
    assert.equal(await vscode.commands.executeCommand('mqttWorkbench.addConnection', { name: NAME, host: '127.0.0.1', port: broker.port, target: 'workspace' }), NAME);
    assert.equal(await vscode.commands.executeCommand('mqttWorkbench.connect', NAME), true);
    sub = await recorder(broker.url(), 'wb/#');
  });

  after(async () => {
    await sub?.close();
    await (await workbenchApi()).disconnect(NAME);
    const config = vscode.workspace.getConfiguration('mqttWorkbench');
    await config.update('savedMessages', undefined, vscode.ConfigurationTarget.Workspace);
    await config.update('connections', undefined, vscode.ConfigurationTarget.Workspace);
    await broker?.stop();
  });

  it('publish with an argument object reaches a subscriber and resolves with the broker\'s answer', async () => {
    const result = await vscode.commands.executeCommand<string>('mqttWorkbench.publish', {
      connection: NAME,
      topic: 'wb/cmd',
      payload: '{ "reboot": true }',
      format: 'json',
      qos: 1,
      properties: { contentType: 'application/json', userProperties: { origin: 'keybinding' } },
    });
    assert.match(result ?? '', /^Acknowledged in \d+ ms$/);
    await eventually(() => sub.received.length === 1, 'the message');
    assert.deepEqual(sub.received, ['wb/cmd|{ "reboot": true }']);
    const hex = await vscode.commands.executeCommand<string>('mqttWorkbench.publish', { connection: NAME, topic: 'wb/bin', payload: '48 69', format: 'hex', qos: 2 });
    assert.match(hex ?? '', /^Completed in \d+ ms$/);
    await eventually(() => sub.received.length === 2, 'the hex message');
    assert.equal(sub.received[1], 'wb/bin|Hi');
  });

  const invalid: Array<[string, Record<string, unknown>, string]> = [
    ['a topic of the wrong type', { topic: 5, payload: 'x' }, 'publish.topic: must be a string, not the number 5'],
    ['an unknown field', { topic: 'wb/a', payload: 'x', qso: 1 }, 'publish.qso: unknown field (did you mean "qos"?)'],
    ['an unknown format', { topic: 'wb/a', payload: 'x', format: 'yaml' }, 'publish.format: must be one of "text", "json", "hex", "base64", "cbor", "msgpack", "protobuf", "cstruct", not "yaml"'],
    ['a payload that is not JSON', { topic: 'wb/a', payload: '{"a":}', format: 'json' }, "publish.payload: Not valid JSON at line 1, column 6 (byte 5): expected a value, found '}'"],
    ['a payload that is not hex', { topic: 'wb/a', payload: '0x1z', format: 'hex' }, "publish.payload: Not valid hex at line 1, column 4: 'z' is not a hex digit"],
    ['a wildcard topic', { topic: 'wb/+', payload: 'x' }, 'publish.topic: Topic must not contain wildcards (+ or #); wildcards are only for subscriptions.'],
    ['QoS 3 and a retain string', { topic: 'wb/a', payload: 'x', qos: 3, retain: 'yes' }, 'publish.qos: must be one of 0, 1, 2, not 3; publish.retain: must be true or false, not the string "yes"'],
  ];
  for (const [label, argument, message] of invalid) {
    it(`invalid arguments (${label}) show the exact message and send nothing`, async () => {
      const before = sub.received.length;
      const result = await vscode.commands.executeCommand('mqttWorkbench.publish', { connection: NAME, ...argument });
      assert.equal(result, undefined);
      await expectReported('Publish', `Nothing was published: ${message}`);
      await new Promise((r) => setTimeout(r, 200));
      assert.equal(sub.received.length, before, 'nothing reached the broker');
    });
  }

  it('Save Message with arguments writes the workspace setting; the view\'s command publishes it', async () => {
    const saved = await vscode.commands.executeCommand('mqttWorkbench.saveMessage', { name: 'Reboot bench', connection: NAME, topic: 'wb/saved', payload: 'reboot', qos: 1 });
    assert.equal(saved, 'Reboot bench');
    const setting = vscode.workspace.getConfiguration('mqttWorkbench').inspect<unknown[]>('savedMessages')?.workspaceValue;
    assert.deepEqual(setting, [{ name: 'Reboot bench', connection: NAME, topic: 'wb/saved', payload: 'reboot', qos: 1 }]);
    const before = sub.received.length;
    // The Saved Messages view item runs this command with the message's name when clicked.
    const result = await vscode.commands.executeCommand<string>('mqttWorkbench.publishSavedMessage', 'Reboot bench');
    assert.match(result ?? '', /^Acknowledged in \d+ ms$/);
    await eventually(() => sub.received.length === before + 1, 'the saved message');
    assert.equal(sub.received.at(-1), 'wb/saved|reboot');
  });

  it('an invalid saved message is not published and says why', async () => {
    await vscode.workspace.getConfiguration('mqttWorkbench').update('savedMessages', [{ name: 'Broken', topic: 'wb/broken', payload: '{', format: 'json' }], vscode.ConfigurationTarget.Workspace);
    const before = sub.received.length;
    assert.equal(await vscode.commands.executeCommand('mqttWorkbench.publishSavedMessage', 'Broken'), undefined);
    await expectReported('Publish Saved Message', '"Broken" cannot be published: savedMessages[0].payload: Not valid JSON at line 1, column 2 (byte 1): unexpected end of input (expected a property name in double quotes)');
    assert.equal(sub.received.length, before);
  });

  it('Publish Again repeats the last publish', async () => {
    await vscode.commands.executeCommand('mqttWorkbench.publish', { connection: NAME, topic: 'wb/again', payload: 'once', qos: 1 });
    const before = sub.received.length;
    assert.match((await vscode.commands.executeCommand<string>('mqttWorkbench.publishAgain')) ?? '', /^Acknowledged in \d+ ms$/);
    await eventually(() => sub.received.length === before + 1, 'the repeated message');
    assert.equal(sub.received.at(-1), 'wb/again|once');
  });

  it('Publish Repeatedly sends the message count times', async () => {
    const before = sub.received.length;
    const summary = await vscode.commands.executeCommand<string>('mqttWorkbench.publishRepeatedly', { connection: NAME, topic: 'wb/tick', payload: 'tick', qos: 1, intervalMs: 20, count: 5 });
    assert.equal(summary, 'Published 5 of 5 to wb/tick: 5 sent, 0 queued, 0 failed.');
    await eventually(() => sub.received.length === before + 5, 'five ticks');
  });

  it('Publish and Wait for Response returns the reply with its round-trip time', async () => {
    const responder = await connectClient(broker.url(), { protocolVersion: 5 });
    try {
      await responder.client.subscribeAsync('svc/echo', { qos: 1 });
      responder.client.on('message', (_topic, payload, packet) => {
        const { responseTopic, correlationData } = packet.properties ?? {};
        if (responseTopic) responder.client.publish(responseTopic, `echo:${payload.toString()}`, { qos: 1, properties: { correlationData } });
      });
      const reply = await vscode.commands.executeCommand<{ topic: string; payload: string; rttMs: number }>('mqttWorkbench.request', { connection: NAME, topic: 'svc/echo', payload: 'ping', qos: 1 });
      assert.equal(reply?.payload, 'echo:ping');
      assert.match(reply?.topic ?? '', /^mqtt-workbench\/response\//);
      assert.ok(typeof reply?.rttMs === 'number' && reply.rttMs >= 0);
    } finally {
      await endClient(responder.client);
    }
  });
});
