// Inside the real extension host: what the user reads after a mistake the host finds, before any broker is
// involved: certificate files missing or not PEM, duplicate connection names, settings edited by hand into
// nonsense, fields of the wrong type, and command arguments of the wrong type. Each asserts the exact sentence
// (README "Troubleshooting").
import assert from 'node:assert/strict';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { eventually, workbenchApi } from './publishHelpers';
import { logMark, waitForLog, waitForSettingsProblem, waitForUserMessage } from './userMessages';

function workspaceFolder(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the tests run with a folder open');
  return folder.uri.fsPath;
}

/** Saves `profiles` as the workspace's connections and waits until the extension has read them. */
async function setConnections(profiles: unknown[]): Promise<void> {
  await vscode.workspace.getConfiguration('mqttWorkbench').update('connections', profiles, vscode.ConfigurationTarget.Workspace);
  const names = profiles.map((p) => (p as { name?: unknown }).name);
  const workbench = await workbenchApi();
  await eventually(() => JSON.stringify(workbench.connectionNames()) === JSON.stringify(names), `the connections ${JSON.stringify(names)}`);
}

/** Runs a command with an argument; it must do nothing (resolve with nothing or false) and show `message`. */
async function expectRefused(command: string, argument: unknown, message: string): Promise<void> {
  const mark = logMark();
  const result = await vscode.commands.executeCommand<unknown>(command, argument);
  assert.ok(result === undefined || result === false, `${command} returned ${JSON.stringify(result)}`);
  await waitForUserMessage(message, mark);
}

describe('Bad input (extension host)', function () {
  this.timeout(60_000);
  const certs = (): string => join(workspaceFolder(), 'bad-certs');

  before(async () => {
    await workbenchApi();
    await waitForLog();
    await mkdir(certs(), { recursive: true });
    await writeFile(join(certs(), 'not-pem.crt'), 'This is a note, not a certificate.\n');
  });

  afterEach(async () => {
    await vscode.workspace.getConfiguration('mqttWorkbench').update('connections', undefined, vscode.ConfigurationTarget.Workspace);
  });

  after(async () => {
    await rm(certs(), { recursive: true, force: true });
  });

  it('a certificate file that does not exist is named with its setting and path, and nothing connects', async () => {
    await setConnections([{ name: 'Missing CA', protocol: 'mqtts', host: '127.0.0.1', port: 8883, tls: { ca: 'bad-certs/missing-ca.pem' } }]);
    await expectRefused('mqttWorkbench.connect', 'Missing CA', 'Could not connect to "Missing CA": connections[0].tls.ca: file not found: bad-certs/missing-ca.pem');
    assert.notEqual((await workbenchApi()).state('Missing CA').kind, 'connected');
  });

  it('a certificate file that is not PEM is named with the PEM header it should start with', async () => {
    await setConnections([{ name: 'Not PEM', protocol: 'mqtts', host: '127.0.0.1', port: 8883, tls: { ca: 'bad-certs/not-pem.crt' } }]);
    await expectRefused('mqttWorkbench.connect', 'Not PEM', 'Could not connect to "Not PEM": connections[0].tls.ca: not a PEM file (expected "-----BEGIN CERTIFICATE-----"): bad-certs/not-pem.crt');
  });

  it('a duplicate name in the settings is reported on the second entry; Add Connection refuses a taken name', async () => {
    const mark = logMark();
    await setConnections([
      { name: 'Twin', host: '127.0.0.1', port: 1883 },
      { name: 'Twin', host: '127.0.0.2', port: 1884 },
    ]);
    await waitForSettingsProblem('connections[1].name: "Twin" is already used by connections[0]; names must be unique', mark);
    await expectRefused('mqttWorkbench.addConnection', { name: 'Twin', host: '127.0.0.3', target: 'workspace' }, 'A connection named "Twin" already exists; pick another name.');
  });

  it('the connections setting edited by hand into an object is reported, and that entry cannot connect', async () => {
    const settingsFile = join(workspaceFolder(), '.vscode', 'settings.json');
    const mark = logMark();
    // By hand, as someone typing in settings.json would (the Settings API would refuse nothing either).
    const current = JSON.parse(await readFile(settingsFile, 'utf8').catch(() => '{}')) as Record<string, unknown>;
    await mkdir(join(workspaceFolder(), '.vscode'), { recursive: true });
    await writeFile(settingsFile, JSON.stringify({ ...current, 'mqttWorkbench.connections': { name: 'Lab', host: 'broker.lab.local' } }, null, 2));
    const workbench = await workbenchApi();
    await eventually(() => workbench.connectionNames().includes('connections'), 'the extension to read the edited file');
    await waitForSettingsProblem('connections: must be an array of connection profiles', mark);
    await assert.rejects(workbench.connect('connections'), { message: '"connections" cannot connect: connections: must be an array of connection profiles' });
  });

  it('profile fields of the wrong type are named with their place and the value found', async () => {
    const mark = logMark();
    await setConnections([{ name: 'Typed wrong', host: '127.0.0.1', protocolVersion: 5, keepalive: '60' }]);
    await waitForSettingsProblem('connections[0].protocolVersion: must be one of "3.1", "3.1.1", "5", not 5', mark);
    await waitForSettingsProblem('connections[0].keepalive: must be a whole number, not the string "60"', mark);
    await assert.rejects((await workbenchApi()).connect('Typed wrong'), {
      message: '"Typed wrong" cannot connect: connections[0].protocolVersion: must be one of "3.1", "3.1.1", "5", not 5; connections[0].keepalive: must be a whole number, not the string "60"',
    });
  });

  describe('command arguments of the wrong type', () => {
    // The outer afterEach clears the connections after every test, nested ones too.
    beforeEach(() => setConnections([{ name: 'Args broker', host: '127.0.0.1', port: 1 }]));

    const cases: Array<[string, string, unknown, string]> = [
      ['connect with a number', 'mqttWorkbench.connect', 42, 'Expected a connection name (a string) or { "connection": "<name>" }, not 42.'],
      ['connect with an unknown name', 'mqttWorkbench.connect', 'Nobody', 'There is no connection named "Nobody". Known: Args broker.'],
      ['addConnection with a string', 'mqttWorkbench.addConnection', 'broker.lab.local', 'Add Connection expects an object like { "name": "Local", "host": "127.0.0.1" }, not "broker.lab.local".'],
      ['addConnection with an unknown target', 'mqttWorkbench.addConnection', { name: 'New', host: 'h', target: 'team' }, 'target must be "workspace" or "user", not "team".'],
      ['addConnection with a port string', 'mqttWorkbench.addConnection', { name: 'New', host: 'h', port: '1883', target: 'workspace' }, 'The connection was not saved: connection.port: must be a whole number, not the string "1883"'],
      ['subscribe with a bad filter', 'mqttWorkbench.subscribe', { connection: 'Args broker', filter: 'a/#/b' }, "Nothing was subscribed: subscribe.filter: '#' must be the last level of a filter, e.g. a/b/#."],
      ['subscribe with QoS as a string', 'mqttWorkbench.subscribe', { connection: 'Args broker', filter: 'a/#', qos: '1' }, 'Nothing was subscribed: subscribe.qos: must be one of 0, 1, 2, not "1"'],
    ];
    for (const [label, command, argument, message] of cases) {
      it(`${label}: does nothing and says exactly what is wrong`, () => expectRefused(command, argument, message));
    }
  });
});
