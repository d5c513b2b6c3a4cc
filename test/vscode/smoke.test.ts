// The extension is installed in the VS Code that runs these tests, activates, and contributes its commands.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';

const EXTENSION_ID = 'mqtt-workbench.mqtt-workbench';

describe('smoke', () => {
  it('the extension is present and activates', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not loaded in this VS Code (was dist/extension.js built?)`);
    await extension.activate();
    assert.equal(extension.isActive, true);
  });

  it('registers the mqttWorkbench.connect command', async () => {
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('mqttWorkbench.connect'), 'command mqttWorkbench.connect is not registered');
  });

  it('receives the test environment set on code-server', () => {
    const repo = process.env.MQTT_WORKBENCH_REPO;
    assert.ok(repo, 'MQTT_WORKBENCH_REPO is not set in the extension host');
    assert.ok(existsSync(join(repo, 'scripts', 'run-vscode-tests.mjs')), `MQTT_WORKBENCH_REPO=${repo} is not this repository`);
    assert.ok(process.env.MQTT_WORKBENCH_TEST_RESULTS, 'MQTT_WORKBENCH_TEST_RESULTS is not set in the extension host');
  });
});
