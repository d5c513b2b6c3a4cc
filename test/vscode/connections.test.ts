// Runs inside the real VS Code extension host (code-server): activation, adding a connection through the
// command with arguments, secrets kept out of settings, connecting to a real mosquitto through the public API.
import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { MqttWorkbenchApi } from '../../src/host/api';
import { startMosquitto, type Broker } from '../helpers/broker';

const EXTENSION_ID = 'mqtt-workbench.mqtt-workbench';
const PASSWORD = 'pw-9f3a-never-in-settings';

async function api(): Promise<MqttWorkbenchApi> {
  const extension = vscode.extensions.getExtension<MqttWorkbenchApi>(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is installed`);
  return extension.activate();
}

async function waitFor(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}.`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function workspaceSettingsFile(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the tests run with a folder open');
  return join(folder.uri.fsPath, '.vscode', 'settings.json');
}

async function savedConnections(): Promise<Array<Record<string, unknown>>> {
  await new Promise((r) => setTimeout(r, 100));
  return vscode.workspace.getConfiguration('mqttWorkbench').inspect<Array<Record<string, unknown>>>('connections')?.workspaceValue ?? [];
}

/** Every file below `dir` (recursively). */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath ?? e.path, e.name));
}

describe('Connections (extension host)', function () {
  this.timeout(60_000);
  let broker: Broker;

  before(async () => {
    broker = await startMosquitto({ users: { dev: PASSWORD } });
  });

  after(async () => {
    await vscode.workspace.getConfiguration('mqttWorkbench').update('connections', undefined, vscode.ConfigurationTarget.Workspace);
    await broker?.stop();
  });

  it('activates lazily and returns API version 1 with every connection command registered', async () => {
    const workbench = await api();
    assert.equal(workbench.apiVersion, 1);
    const commands = await vscode.commands.getCommands(true);
    for (const id of ['addConnection', 'editConnection', 'removeConnection', 'duplicateConnection', 'connect', 'disconnect', 'reconnect', 'forgetPassword', 'showLog']) {
      assert.ok(commands.includes(`mqttWorkbench.${id}`), `mqttWorkbench.${id} is registered`);
    }
    const packageJson = vscode.extensions.getExtension(EXTENSION_ID)?.packageJSON as { activationEvents?: string[] };
    assert.ok(!packageJson.activationEvents?.includes('*'), 'no eager activation');
  });

  it('addConnection with arguments writes the workspace setting, and the password only to secret storage', async () => {
    const name = await vscode.commands.executeCommand<string>('mqttWorkbench.addConnection', {
      name: 'Test broker',
      host: '127.0.0.1',
      port: broker.port,
      protocolVersion: '5',
      username: 'dev',
      password: PASSWORD,
      target: 'workspace',
    });
    assert.equal(name, 'Test broker');
    const saved = await savedConnections();
    assert.deepEqual(saved, [{ name: 'Test broker', host: '127.0.0.1', port: broker.port, protocolVersion: '5', username: 'dev' }]);
    const onDisk = await readFile(workspaceSettingsFile(), 'utf8');
    assert.ok(onDisk.includes('"Test broker"'), 'the profile is in .vscode/settings.json');
    assert.ok(!onDisk.includes(PASSWORD), 'the password is not in settings.json');
    assert.deepEqual((await api()).connectionNames(), ['Test broker']);
  });

  it('invalid arguments save nothing', async () => {
    const before = await savedConnections();
    const result = await vscode.commands.executeCommand('mqttWorkbench.addConnection', { name: 'Bad', host: '127.0.0.1', port: 'not-a-port', target: 'workspace' });
    assert.equal(result, undefined);
    const duplicate = await vscode.commands.executeCommand('mqttWorkbench.addConnection', { name: 'Test broker', host: 'elsewhere', target: 'workspace' });
    assert.equal(duplicate, undefined);
    assert.deepEqual(await savedConnections(), before);
  });

  it('connects with the stored password (no prompt), round-trips a message, and disconnects', async () => {
    const workbench = await api();
    await workbench.connect('Test broker');
    assert.equal(workbench.state('Test broker').kind, 'connected');
    const status = await workbench.subscribe('Test broker', 'vscode/#', { qos: 1 });
    await waitFor(() => status.state === 'active' || workbench.state('Test broker').kind !== 'connected', 'SUBACK');
    const received: string[] = [];
    const listener = workbench.onMessage(({ connection, message }) => received.push(`${connection}|${message.topic}|${Buffer.from(message.payload).toString()}`));
    const result = await workbench.publish('Test broker', 'vscode/hello', 'from the extension host', { qos: 1 });
    assert.match(result.summary, /^Acknowledged in \d+ ms$/);
    await waitFor(() => received.length > 0, 'the message');
    listener.dispose();
    assert.deepEqual(received, ['Test broker|vscode/hello|from the extension host']);
    await workbench.disconnect('Test broker');
    assert.equal(workbench.state('Test broker').kind, 'disconnected');
  });

  it('the password appears nowhere in VS Code logs or settings after connecting', async () => {
    const userData = process.env.MQTT_WORKBENCH_USER_DATA;
    assert.ok(userData, 'the runner passes the user-data folder');
    const workbench = await api();
    await workbench.connect('Test broker');
    await workbench.disconnect('Test broker');
    const files = await filesUnder(userData);
    assert.ok(files.some((f) => f.endsWith('MQTT Workbench.log')), 'our log file is among them');
    for (const file of [...files, workspaceSettingsFile()]) {
      const text = await readFile(file, 'latin1').catch(() => '');
      assert.ok(!text.includes(PASSWORD), `${file} does not contain the password`);
    }
  });

  it('duplicate makes a copy without the client id; forget password makes the next connect ask again', async () => {
    const copy = await vscode.commands.executeCommand<string>('mqttWorkbench.duplicateConnection', 'Test broker');
    assert.equal(copy, 'Test broker (copy)');
    const saved = await savedConnections();
    assert.deepEqual(saved.map((p) => p.name), ['Test broker', 'Test broker (copy)']);
    assert.equal(saved[1].clientId, undefined);
    await vscode.workspace.getConfiguration('mqttWorkbench').update('connections', [saved[0]], vscode.ConfigurationTarget.Workspace);

    await vscode.commands.executeCommand('mqttWorkbench.forgetPassword', 'Test broker');
    const workbench = await api();
    const connecting = workbench.connect('Test broker').then(
      () => 'connected',
      (error: unknown) => (error instanceof Error ? error.name : String(error)),
    );
    await new Promise((r) => setTimeout(r, 1000));
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    assert.equal(await connecting, 'Canceled', 'without a stored password the user is asked (and cancels)');
  });

  it('a profile whose host changed does not get the old password: it asks instead', async () => {
    const saved = await savedConnections();
    await vscode.workspace.getConfiguration('mqttWorkbench').update('connections', [{ ...saved[0], host: 'localhost' }], vscode.ConfigurationTarget.Workspace);
    const workbench = await api();
    await waitFor(() => workbench.state('Test broker').kind === 'disconnected', 'the reloaded profile');
    const connecting = workbench.connect('Test broker').then(
      () => 'connected',
      (error: unknown) => (error instanceof Error ? error.name : String(error)),
    );
    // The password box is open now; nothing was sent to the new endpoint. Dismiss it like a user pressing Escape.
    await new Promise((r) => setTimeout(r, 1000));
    assert.equal(workbench.state('Test broker').kind, 'disconnected');
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    assert.equal(await connecting, 'Canceled');
    await vscode.workspace.getConfiguration('mqttWorkbench').update('connections', saved, vscode.ConfigurationTarget.Workspace);
  });

  it('an invalid profile in settings is reported with its path and cannot connect', async () => {
    const saved = await savedConnections();
    await vscode.workspace.getConfiguration('mqttWorkbench').update('connections', [...saved, { name: 'Broken', host: '127.0.0.1', port: 'x' }], vscode.ConfigurationTarget.Workspace);
    const workbench = await api();
    await waitFor(() => workbench.connectionNames().includes('Broken'), 'the new profile');
    await assert.rejects(workbench.connect('Broken'), { message: '"Broken" cannot connect: connections[1].port: must be a whole number, not the string "x"' });
    await vscode.workspace.getConfiguration('mqttWorkbench').update('connections', saved, vscode.ConfigurationTarget.Workspace);
  });
});
