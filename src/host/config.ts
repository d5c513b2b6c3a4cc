import * as vscode from 'vscode';
import { parseProfiles, type ParsedProfile } from '../core/profile';

/** Setting keys, relative to the `mqttWorkbench` section. */
export const SECTION = 'mqttWorkbench';
export const CONNECTIONS_KEY = 'connections';

/** Where a profile is saved; edits go back to the same place. */
export type ProfileScope = 'workspaceFolder' | 'workspace' | 'user';

/** A parsed profile and where it came from. */
export interface ScopedProfile extends ParsedProfile {
  scope: ProfileScope;
}

const SCOPE_LABELS: Readonly<Record<ProfileScope, string>> = {
  workspaceFolder: 'folder settings',
  workspace: 'workspace settings',
  user: 'user settings',
};

export function scopeLabel(scope: ProfileScope): string {
  return SCOPE_LABELS[scope];
}

function configurationTarget(scope: ProfileScope): vscode.ConfigurationTarget {
  if (scope === 'user') return vscode.ConfigurationTarget.Global;
  return scope === 'workspace' ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.WorkspaceFolder;
}

function configuration(): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration(SECTION, vscode.workspace.workspaceFolders?.[0]?.uri);
}

/**
 * The scopes profiles are read from, most specific first. Folder settings are their own scope only in a
 * multi-root (.code-workspace) window; in a single-folder window they are the workspace settings.
 * An untrusted workspace contributes nothing: it must not point the extension at a broker or at files.
 */
function activeScopes(): ProfileScope[] {
  if (!vscode.workspace.isTrusted) return ['user'];
  return vscode.workspace.workspaceFile ? ['workspaceFolder', 'workspace', 'user'] : ['workspace', 'user'];
}

/** The value saved in one scope, as written (undefined when none or when the scope is not active). */
function scopeValue(scope: ProfileScope): unknown {
  if (!activeScopes().includes(scope)) return undefined;
  const inspected = configuration().inspect<unknown>(CONNECTIONS_KEY);
  return scope === 'user' ? inspected?.globalValue : scope === 'workspace' ? inspected?.workspaceValue : inspected?.workspaceFolderValue;
}

/** The array saved in one scope, to edit and write back (empty when none). */
export function rawProfiles(scope: ProfileScope): unknown[] {
  const value = scopeValue(scope);
  return Array.isArray(value) ? [...value] : [];
}

/**
 * Every profile from every active scope, most specific first; a name defined in a more specific scope hides
 * the same name further out (so a repo can override a user's "Local" profile).
 */
export function readProfiles(): ScopedProfile[] {
  const result: ScopedProfile[] = [];
  const seen = new Set<string>();
  for (const scope of activeScopes()) {
    for (const parsed of parseProfiles(scopeValue(scope), CONNECTIONS_KEY)) {
      if (parsed.profile && seen.has(parsed.name)) continue;
      if (parsed.profile) seen.add(parsed.name);
      result.push({ ...parsed, scope });
    }
  }
  return result;
}

/** Replaces the array in one scope. */
export async function writeProfiles(scope: ProfileScope, profiles: unknown[]): Promise<void> {
  await configuration().update(CONNECTIONS_KEY, profiles, configurationTarget(scope));
}

/** True when the change touches the connections setting. */
export function affectsConnections(event: vscode.ConfigurationChangeEvent): boolean {
  return event.affectsConfiguration(`${SECTION}.${CONNECTIONS_KEY}`);
}

/** Finds the raw entry of a profile by name in its scope. */
export function findRawProfile(scope: ProfileScope, name: string): { list: unknown[]; index: number } {
  const list = rawProfiles(scope);
  const index = list.findIndex((item) => typeof item === 'object' && item !== null && (item as { name?: unknown }).name === name);
  return { list, index };
}
