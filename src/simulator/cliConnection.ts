/**
 * The headless simulator's broker: a URL (mqtt://host:port, mqtts://, ws://, wss://) or the name of a connection
 * in a VS Code settings file (`--settings`, else the nearest .vscode/settings.json above the scenario). Secrets
 * come from the environment (MQTT_WORKBENCH_PASSWORD, MQTT_WORKBENCH_PASSPHRASE), never from a file.
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { resolveProfilePath, type ConnectInputs, type TlsFiles } from '../core/clientOptions';
import { parseProfile, parseProfiles, type ConnectionProfile } from '../core/profile';

/** The profile and secrets to connect with, or a sentence. */
export type CliConnection = { profile: ConnectionProfile; inputs: Omit<ConnectInputs, 'clientId'> } | { error: string };

/** Removes // and /* *\/ comments and trailing commas outside strings (settings.json is JSON with comments). */
export function stripJsonComments(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') {
      const start = i;
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
      out += text.slice(start, i + 1);
    } else if (ch === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
      out += '\n';
    } else if (ch === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 1;
    } else {
      out += ch;
    }
  }
  return out.replace(/,(\s*[}\]])/g, '$1');
}

function findSettings(from: string): string | undefined {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    const candidate = join(dir, '.vscode', 'settings.json');
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

function secrets(profile: ConnectionProfile, workspaceFolder: string | undefined): CliConnection {
  const env = process.env;
  const tlsFiles: TlsFiles = {};
  for (const field of ['ca', 'cert', 'key'] as const) {
    const raw = profile.tls?.[field];
    if (raw === undefined) continue;
    const path = resolveProfilePath(raw, { workspaceFolder, userHome: homedir(), env });
    if ('error' in path) return { error: `tls.${field}: ${path.error}` };
    try {
      tlsFiles[field] = readFileSync(path.path);
    } catch {
      return { error: `tls.${field}: file not found: ${raw}` };
    }
  }
  return { profile, inputs: { password: profile.username !== undefined ? env.MQTT_WORKBENCH_PASSWORD : undefined, passphrase: env.MQTT_WORKBENCH_PASSPHRASE, tlsFiles: profile.tls ? tlsFiles : undefined } };
}

function fromUrl(broker: string): CliConnection {
  let url: URL;
  try {
    url = new URL(broker);
  } catch {
    return { error: `The broker "${broker}" is not a URL such as mqtt://127.0.0.1:1883.` };
  }
  const protocol = url.protocol.replace(':', '');
  const parsed = parseProfile({ name: broker, protocol, host: url.hostname, ...(url.port ? { port: Number(url.port) } : {}), ...(url.username ? { username: decodeURIComponent(url.username) } : {}), ...(protocol === 'ws' || protocol === 'wss' ? { path: url.pathname || '/mqtt' } : {}) }, 'broker');
  return parsed.profile ? secrets(parsed.profile, undefined) : { error: parsed.problems.join('\n') };
}

/** Resolves the scenario's `broker` for the command line. */
export function cliConnection(broker: string, scenarioFile: string, settingsFile: string | undefined): CliConnection {
  if (/^(mqtts?|wss?):\/\//i.test(broker)) return fromUrl(broker);
  const file = settingsFile ?? findSettings(dirname(scenarioFile));
  const hint = 'Pass --settings <settings.json> or use a broker URL such as mqtt://127.0.0.1:1883.';
  if (!file) return { error: `The scenario's broker "${broker}" is a connection name, but no .vscode/settings.json was found above the scenario. ${hint}` };
  let settings: unknown;
  try {
    settings = JSON.parse(stripJsonComments(readFileSync(file, 'utf8')));
  } catch (error) {
    return { error: `${file} could not be read as JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
  const profiles = parseProfiles((settings as Record<string, unknown> | null)?.['mqttWorkbench.connections']);
  const match = profiles.find((p) => p.name === broker);
  if (!match) return { error: `There is no connection named "${broker}" in ${file}. Known: ${profiles.map((p) => p.name).join(', ') || 'none'}. ${hint}` };
  if (!match.profile) return { error: `The connection "${broker}" in ${file} is not valid: ${match.problems.join('; ')}` };
  return secrets(match.profile, dirname(dirname(file)));
}
