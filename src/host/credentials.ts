import * as vscode from 'vscode';
import { profileEndpoint, type ConnectionProfile } from '../core/profile';
import type { ProfileSecrets, SecretKind } from './secrets';

/** A secret to use for one connect, and whether it was typed now (so we may offer to save it). */
export interface ObtainedSecret {
  value: string | undefined;
  typedNow: boolean;
}

const PROMPTS: Readonly<Record<SecretKind, (p: ConnectionProfile) => string>> = {
  password: (p) => `Password for "${p.username ?? ''}" at ${profileEndpoint(p)} (connection "${p.name}")`,
  passphrase: (p) => `Passphrase of the private key of connection "${p.name}" (${p.tls?.key ?? ''})`,
};

/** Gets secrets from SecretStorage, asks for missing ones, and offers to save what the user typed. */
export class CredentialPrompter {
  constructor(private readonly secrets: ProfileSecrets) {}

  /**
   * The stored secret, or one typed into a password box when `interactive`. Undefined value with
   * typedNow=false means nothing stored and not asked. Throws when the user cancels the box.
   */
  async obtain(profile: ConnectionProfile, kind: SecretKind, interactive: boolean): Promise<ObtainedSecret> {
    const stored = await this.secrets.get(profile, kind);
    if (stored !== undefined || !interactive) return { value: stored, typedNow: false };
    const typed = await vscode.window.showInputBox({
      title: `Connect to ${profile.name}`,
      prompt: PROMPTS[kind](profile),
      password: true,
      ignoreFocusOut: true,
      placeHolder: kind === 'password' ? 'Leave empty to connect without a password' : undefined,
    });
    if (typed === undefined) throw new vscode.CancellationError();
    return { value: typed === '' && kind === 'password' ? undefined : typed, typedNow: true };
  }

  /** After a successful connect with a typed secret: offer to keep it in SecretStorage. */
  async offerToSave(profile: ConnectionProfile, kind: SecretKind, value: string): Promise<void> {
    const what = kind === 'password' ? 'password' : 'key passphrase';
    const choice = await vscode.window.showInformationMessage(
      `Connected to "${profile.name}". Save the ${what} in VS Code's secret storage for ${profileEndpoint(profile)}?`,
      'Save',
      'Not Now',
    );
    if (choice === 'Save') await this.secrets.store(profile, kind, value);
  }
}
