import type * as vscode from 'vscode';
import { secretKey, type ConnectionProfile } from '../core/profile';

/** Which secret of a profile. */
export type SecretKind = 'password' | 'passphrase';

/**
 * Passwords and key passphrases, only in VS Code SecretStorage, keyed by profile name + host + port + username:
 * a secret saved for one endpoint is never looked up (so never sent) for another.
 */
export class ProfileSecrets {
  constructor(private readonly storage: vscode.SecretStorage) {}

  get(profile: ConnectionProfile, kind: SecretKind): Thenable<string | undefined> {
    return this.storage.get(secretKey(profile, kind));
  }

  store(profile: ConnectionProfile, kind: SecretKind, value: string): Thenable<void> {
    return this.storage.store(secretKey(profile, kind), value);
  }

  /** Deletes both secrets of a profile's current endpoint. */
  async forget(profile: ConnectionProfile): Promise<void> {
    await this.storage.delete(secretKey(profile, 'password'));
    await this.storage.delete(secretKey(profile, 'passphrase'));
  }
}
