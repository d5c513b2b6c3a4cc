import * as vscode from 'vscode';
import { generateClientId, type ConnectInputs } from '../core/clientOptions';
import type { BuiltPublish } from '../core/publish/publishRequest';
import type { SubmitResult } from '../core/publish/outbox';
import { Session, SessionError, type SessionState } from '../core/session';
import { affectsConnections, readProfiles, type ScopedProfile } from './config';
import type { CredentialPrompter } from './credentials';
import type { Logger } from './log';
import { readTlsFiles } from './tlsFiles';
import { ConnectionOutboxes } from './outboxes';
import type { ProfileSecrets } from './secrets';
import type { MqttMessage } from '../shared/mqttMessage';

/** A message and the connection it came from. */
export interface ConnectionMessage {
  connection: string;
  message: MqttMessage;
}

/** A profile as the UI shows it: parsed settings, its live session if any, and why it cannot connect. */
export interface Connection {
  readonly entry: ScopedProfile;
  readonly session: Session | undefined;
  readonly state: SessionState;
  /** The live session runs with settings that have changed since: reconnect to apply them. */
  readonly settingsChanged: boolean;
  /** Messages in the offline queue, waiting for the connection. */
  readonly queued: number;
}

const CLIENT_IDS_KEY = 'mqttWorkbench.clientIds';

/** Owns every profile and session: reads settings, connects with secrets and certificates, reports state. */
export class ConnectionManager implements vscode.Disposable {
  private entries: ScopedProfile[] = [];
  private readonly sessions = new Map<string, Session>();
  private readonly sessionListeners = new Map<string, vscode.Disposable[]>();
  private readonly changeEmitter = new vscode.EventEmitter<string | undefined>();
  private readonly messageEmitter = new vscode.EventEmitter<ConnectionMessage>();
  private readonly sentEmitter = new vscode.EventEmitter<ConnectionMessage>();
  private readonly disposables: vscode.Disposable[] = [];
  /** Fires with a connection name when that connection changed, or undefined when the list changed. */
  readonly onDidChange = this.changeEmitter.event;
  /** Fires for every message received on any connection. */
  readonly onMessage = this.messageEmitter.event;
  /** Fires for every message published on any connection (after the broker accepted it). */
  readonly onSent = this.sentEmitter.event;
  /** The offline queue of every connection (saved in the workspace storage). */
  readonly outboxes: ConnectionOutboxes;

  constructor(
    private readonly secrets: ProfileSecrets,
    private readonly prompter: CredentialPrompter,
    private readonly state: vscode.Memento,
    private readonly log: Logger,
    outboxStorage?: vscode.Uri,
  ) {
    this.outboxes = new ConnectionOutboxes(outboxStorage, log.child('outbox'));
    void this.outboxes.restore();
    this.reload();
    this.disposables.push(
      vscode.workspace.onDidChangeConfiguration((e) => affectsConnections(e) && this.reload()),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.reload()),
      this.changeEmitter,
      this.messageEmitter,
      this.sentEmitter,
      this.outboxes.onDidChange((name) => this.changeEmitter.fire(name)),
    );
  }

  /** Every profile (valid or not), most specific scope first. */
  list(): Connection[] {
    return this.entries.map((entry) => this.describe(entry));
  }

  get(name: string): Connection | undefined {
    const entry = this.entries.find((e) => e.name === name);
    return entry && this.describe(entry);
  }

  names(): string[] {
    return this.entries.map((e) => e.name);
  }

  /** A connected session by name, or a SessionError saying why there is none. */
  connectedSession(name: string): Session {
    const session = this.sessions.get(name);
    const entry = this.entries.find((e) => e.name === name);
    if (!entry) throw new SessionError(`There is no connection named "${name}".`);
    if (!entry.profile) throw new SessionError(`"${name}" cannot connect: ${entry.problems.join('; ')}`);
    if (!session || session.state.kind !== 'connected') throw new SessionError(`"${name}" is not connected. Connect it first.`);
    return session;
  }

  /**
   * Publishes on a connection, or queues the message while it is not connected (in order; QoS 1/2 saved in the
   * workspace storage). Resolves with the broker's answer, or `{ queued }` (messages waiting, this one included).
   * Throws a SessionError for an unknown or invalid connection, a refusal by the broker, or a full queue.
   */
  publishOrQueue(name: string, built: BuiltPublish): Promise<SubmitResult> {
    const entry = this.entries.find((e) => e.name === name);
    if (!entry) return Promise.reject(new SessionError(`There is no connection named "${name}". Known: ${this.names().join(', ') || 'none'}.`));
    if (!entry.profile) return Promise.reject(new SessionError(`"${name}" cannot publish: ${entry.problems.join('; ')}`));
    return this.outboxes.get(name).submit(built);
  }

  /**
   * Connects a profile: validates it, reads its certificate files, gets (or asks for) its secrets, then waits
   * for the first CONNACK. Throws a SessionError whose message is for the user.
   */
  async connect(name: string, options: { interactive: boolean } = { interactive: true }): Promise<Session> {
    const entry = this.entries.find((e) => e.name === name);
    if (!entry) throw new SessionError(`There is no connection named "${name}". Add it with "MQTT: Add Connection".`);
    const profile = entry.profile;
    if (!profile) throw new SessionError(`"${name}" cannot connect: ${entry.problems.join('; ')}`);
    const existing = this.sessions.get(name);
    if (existing && existing.state.kind !== 'failed' && existing.state.kind !== 'disconnected') return existing;
    if (existing) this.dropSession(name);

    const inputs: ConnectInputs = { clientId: profile.clientId ?? (await this.stableClientId(name)) };
    let keyEncrypted = false;
    if (profile.tls) {
      const read = await readTlsFiles(profile.tls, `connections[${entry.index}]`);
      if ('problems' in read) throw new SessionError(`"${name}" cannot connect: ${read.problems.join('; ')}`);
      inputs.tlsFiles = read.files;
      keyEncrypted = read.keyEncrypted;
    }
    const password = profile.username !== undefined ? await this.prompter.obtain(profile, 'password', options.interactive) : undefined;
    const passphrase = keyEncrypted ? await this.prompter.obtain(profile, 'passphrase', options.interactive) : undefined;
    inputs.password = password?.value;
    inputs.passphrase = passphrase?.value;

    const session = new Session(profile, inputs);
    this.sessions.set(name, session);
    this.watch(name, session);
    this.log.info(`[${name}] connecting to ${profile.protocol}://${profile.host}:${profile.port} as ${inputs.clientId}`);
    await session.connect();
    if (password?.typedNow && password.value !== undefined) void this.prompter.offerToSave(profile, 'password', password.value);
    if (passphrase?.typedNow && passphrase.value !== undefined) void this.prompter.offerToSave(profile, 'passphrase', passphrase.value);
    return session;
  }

  async disconnect(name: string): Promise<void> {
    const session = this.sessions.get(name);
    if (!session) return;
    await session.disconnect();
    this.log.info(`[${name}] disconnected`);
  }

  async reconnect(name: string): Promise<Session> {
    await this.disconnect(name);
    this.dropSession(name);
    return this.connect(name);
  }

  /** Forgets the secrets of a profile's current endpoint. */
  async forgetSecrets(name: string): Promise<void> {
    const profile = this.get(name)?.entry.profile;
    if (!profile) throw new SessionError(`There is no valid connection named "${name}".`);
    await this.secrets.forget(profile);
  }

  /** Closes every session at once (deactivate): no socket stays open. */
  dispose(): void {
    for (const name of [...this.sessions.keys()]) this.dropSession(name);
    for (const d of this.disposables) d.dispose();
    this.outboxes.dispose();
  }

  private reload(): void {
    this.entries = readProfiles();
    for (const name of [...this.sessions.keys()]) {
      if (!this.entries.some((e) => e.name === name && e.profile)) {
        this.log.info(`[${name}] the profile was removed or became invalid; closing its connection`);
        this.dropSession(name);
      }
    }
    for (const entry of this.entries) for (const problem of entry.problems) this.log.warn(`[settings] ${problem}`);
    this.changeEmitter.fire(undefined);
  }

  private describe(entry: ScopedProfile): Connection {
    const session = this.sessions.get(entry.name);
    const settingsChanged = session !== undefined && session.state.kind !== 'disconnected' && JSON.stringify(session.profile) !== JSON.stringify(entry.profile);
    return { entry, session, state: session?.state ?? { kind: 'disconnected' }, settingsChanged, queued: this.outboxes.count(entry.name) };
  }

  private watch(name: string, session: Session): void {
    this.sessionListeners.set(name, [
      session.onState((state) => {
        this.log.info(`[${name}] ${state.kind}${'lastError' in state && state.lastError ? `: ${state.lastError}` : ''}${state.kind === 'failed' ? `: ${state.error}` : ''}`);
        this.changeEmitter.fire(name);
      }),
      session.onRtt(() => this.changeEmitter.fire(name)),
      session.subscriptions.onChange(() => this.changeEmitter.fire(name)),
      session.onMessage((message) => this.messageEmitter.fire({ connection: name, message })),
      session.onSent((message) => this.sentEmitter.fire({ connection: name, message })),
      this.outboxes.attach(name, session),
    ]);
  }

  private dropSession(name: string): void {
    const session = this.sessions.get(name);
    if (!session) return;
    for (const d of this.sessionListeners.get(name) ?? []) d.dispose();
    this.sessionListeners.delete(name);
    session.dispose();
    this.sessions.delete(name);
    this.changeEmitter.fire(name);
  }

  private async stableClientId(name: string): Promise<string> {
    const ids = this.state.get<Record<string, string>>(CLIENT_IDS_KEY, {});
    const existing = ids[name];
    if (existing) return existing;
    const id = generateClientId();
    await this.state.update(CLIENT_IDS_KEY, { ...ids, [name]: id });
    return id;
  }
}
