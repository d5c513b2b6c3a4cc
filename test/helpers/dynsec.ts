// Mosquitto's dynamic security plugin (shipped in Debian's package): the only way mosquitto 2.0 refuses a
// SUBSCRIBE (its acl_file grants every subscription and filters on delivery instead).
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

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
