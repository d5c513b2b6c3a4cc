// Inside the real extension host: the local broker commands with arguments (as tasks and keybindings call them),
// a real MQTT.js client on the started broker, a busy port and bad arguments told in exact sentences.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import * as vscode from 'vscode';
import { connectClient, endClient } from '../helpers/clients';
import { acceptsConnections, freePort } from '../helpers/ports';
import { logMark, waitForUserMessage } from './userMessages';

const start = (argument?: unknown): Thenable<string | undefined> => vscode.commands.executeCommand<string | undefined>('mqttWorkbench.startLocalBroker', argument);
const stop = (): Thenable<boolean> => vscode.commands.executeCommand<boolean>('mqttWorkbench.stopLocalBroker');

/** A plain TCP server holding a port on 127.0.0.1, like another broker would. */
async function occupy(port: number): Promise<Server> {
  const server = createServer((socket) => socket.destroy());
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return server;
}

describe('Local broker (extension host)', function () {
  this.timeout(60_000);

  before(async () => {
    await vscode.extensions.getExtension('mqtt-workbench.mqtt-workbench')?.activate();
  });

  after(async () => {
    await stop();
  });

  it('contributes and registers the start and stop commands', async () => {
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('mqttWorkbench.startLocalBroker'));
    assert.ok(commands.includes('mqttWorkbench.stopLocalBroker'));
  });

  it('starts on the port it is given; a client connects, publishes and receives; a second start says it runs', async () => {
    const port = await freePort();
    const url = await start({ port });
    assert.equal(url, `mqtt://127.0.0.1:${port}`);
    const { client, inbox } = await connectClient(url, { protocolVersion: 4 });
    try {
      await client.subscribeAsync('ext/#', { qos: 1 });
      await client.publishAsync('ext/hello', 'from the extension host test', { qos: 1, retain: true });
      const [message] = await inbox.waitFor(1);
      assert.equal(message.payload.toString(), 'from the extension host test');

      assert.equal(await start({ port }), url, 'the same request resolves with the running broker');
      const mark = logMark();
      const other = await freePort();
      assert.equal(await start({ port: other }), undefined);
      await waitForUserMessage(`The local broker is already running at ${url}. Stop it first to start it on 127.0.0.1:${other}.`, mark);
      assert.equal(client.connected, true, 'the running broker was left alone');
    } finally {
      await endClient(client);
      await stop();
    }
  });

  it('stop disconnects the clients and frees the port; stopping again says it is not running', async () => {
    const port = await freePort();
    const url = await start({ port });
    assert.ok(url);
    const { client } = await connectClient(url, { protocolVersion: 4 });
    const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
    assert.equal(await stop(), true);
    await closed;
    client.end(true);
    assert.equal(await acceptsConnections('127.0.0.1', port, 500), false, 'nothing listens any more');
    assert.equal(await stop(), false);
  });

  it('a port in use gives the exact sentence and starts nothing', async () => {
    const port = await freePort();
    const blocker = await occupy(port);
    try {
      const mark = logMark();
      assert.equal(await start({ port }), undefined);
      await waitForUserMessage(`Port ${port} on 127.0.0.1 is already in use. Stop the other broker or choose another port in the setting mqttWorkbench.localBroker.port.`, mark);
      assert.equal(await stop(), false, 'no broker runs');
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it('bad arguments give precise messages and start nothing', async () => {
    const cases: Array<[unknown, string]> = [
      [{ port: 'x' }, 'The local broker was not started: startLocalBroker.port: must be a whole number, not the string "x"'],
      [{ port: 70000 }, 'The local broker was not started: startLocalBroker.port: must be between 1 and 65535, not 70000'],
      [{ bindAddress: 'my laptop' }, 'The local broker was not started: startLocalBroker.bindAddress: must be an IP address of this machine such as "127.0.0.1" or "0.0.0.0", not "my laptop"'],
      [{ prot: 1884 }, 'The local broker was not started: startLocalBroker.prot: unknown field (did you mean "port"?)'],
      [1884, 'The local broker was not started: startLocalBroker: must be an object, not the number 1884'],
      [{ engine: 'hivemq' }, 'The local broker was not started: startLocalBroker.engine: must be one of "auto", "mosquitto", "embedded", not "hivemq"'],
    ];
    for (const [argument, message] of cases) {
      const mark = logMark();
      assert.equal(await start(argument), undefined, JSON.stringify(argument));
      await waitForUserMessage(message, mark);
    }
    assert.equal(await stop(), false, 'no broker runs');
  });
});
