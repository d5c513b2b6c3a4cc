// Mosquitto's dynamic security plugin (shipped in Debian's package): the only way mosquitto 2.0 refuses a
// SUBSCRIBE (its acl_file grants every subscription and filters on delivery instead).
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { connectClient, endClient } from './clients';

const PLUGIN = '/usr/lib/x86_64-linux-gnu/mosquitto_dynamic_security.so';

/**
 * Writes a dynamic-security.json in `dir` with one client (`username`/`password`) allowed to subscribe and publish
 * only below the given patterns (everything else is refused: SUBACK 0x87), and returns the config lines to load it.
 */
export async function dynamicSecurity(dir: string, username: string, password: string, allowedPatterns: readonly string[]): Promise<string[]> {
  const file = join(dir, 'dynamic-security.json');
  await promisify(execFile)('/usr/bin/mosquitto_ctrl', ['dynsec', 'init', file, username, password], { timeout: 20_000 });
  const config = JSON.parse(await readFile(file, 'utf8')) as { roles: Array<{ acls: Array<Record<string, unknown>> }> };
  // `init` makes an admin role that may use '#'; keep only its $CONTROL/$SYS rights and add ours.
  config.roles[0].acls = config.roles[0].acls.filter((acl) => acl.topic !== '#');
  for (const topic of allowedPatterns) {
    for (const acltype of ['subscribePattern', 'publishClientSend', 'publishClientReceive']) {
      config.roles[0].acls.push({ acltype, topic, priority: 0, allow: true });
    }
  }
  await writeFile(file, JSON.stringify(config));
  return [`plugin ${PLUGIN}`, `plugin_opt_config_file ${file}`];
}

/** One dynamic-security command, e.g. `{ command: 'disableClient', username: 'dev' }`. */
export type DynsecCommand = Record<string, unknown> & { command: string };

/**
 * Sends commands to the plugin over MQTT as its admin (the user given to {@link dynamicSecurity}) and resolves
 * when it answered; rejects with the plugin's error if a command failed.
 */
export async function dynsecCommands(url: string, admin: string, password: string, commands: readonly DynsecCommand[]): Promise<void> {
  const { client } = await connectClient(url, { protocolVersion: 5, username: admin, password });
  try {
    await client.subscribeAsync('$CONTROL/dynamic-security/v1/response', { qos: 1 });
    const answer = new Promise<Buffer>((resolve) => client.once('message', (_topic, payload) => resolve(payload)));
    await client.publishAsync('$CONTROL/dynamic-security/v1', JSON.stringify({ commands }), { qos: 1 });
    const { responses } = JSON.parse((await answer).toString()) as { responses: Array<{ command: string; error?: string }> };
    const failed = responses.filter((r) => r.error !== undefined);
    if (failed.length > 0) throw new Error(`dynamic security refused: ${failed.map((r) => `${r.command}: ${r.error ?? ''}`).join('; ')}`);
  } finally {
    await endClient(client);
  }
}
