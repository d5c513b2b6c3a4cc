// Shared by the publishing tests in the extension host: what the user reads (the extension's log, where every
// notification of a failure is written too), a subscriber that records what reaches the broker, and files in
// the VS Code profile (workspace storage).
import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { MqttWorkbenchApi } from '../../src/host/api';
import { connectClient, endClient, type Connected } from '../helpers/clients';

export async function workbenchApi(): Promise<MqttWorkbenchApi> {
  const extension = vscode.extensions.getExtension<MqttWorkbenchApi>('mqtt-workbench.mqtt-workbench');
  assert.ok(extension);
  return extension.activate();
}

/** Polls until `condition` holds; throws after `timeoutMs` naming `what`. */
export async function eventually(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}.`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Every file below the VS Code profile of this test run. */
export async function profileFiles(): Promise<string[]> {
  const userData = process.env.MQTT_WORKBENCH_USER_DATA;
  assert.ok(userData, 'the runner passes the user-data folder');
  const entries = await readdir(userData, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath ?? e.path, e.name));
}

/** The lines of the extension's log ("MQTT Workbench.log"), where each failure shown to the user is written. */
export async function logLines(): Promise<string[]> {
  const files = (await profileFiles()).filter((f) => f.endsWith('MQTT Workbench.log'));
  const texts = await Promise.all(files.map((f) => readFile(f, 'utf8').catch(() => '')));
  return texts.join('\n').split('\n');
}

/** Waits until the log has a line ending with `${what}: ${message}` (the exact sentence the notification shows). */
export async function expectReported(what: string, message: string): Promise<void> {
  const suffix = `${what}: ${message}`;
  await eventually(async () => (await logLines()).some((line) => line.endsWith(suffix)), `the log line "…${suffix}"`, 10_000);
}

/** A plain MQTT client subscribed to `filter` that records every message (topic and payload text). */
export async function recorder(url: string, filter: string): Promise<{ client: Connected; received: string[]; close(): Promise<void> }> {
  const client = await connectClient(url, { protocolVersion: 5 });
  await client.client.subscribeAsync(filter, { qos: 2 });
  const received: string[] = [];
  client.client.on('message', (topic, payload) => received.push(`${topic}|${payload.toString()}`));
  return { client, received, close: () => endClient(client.client) };
}
