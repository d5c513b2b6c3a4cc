/**
 * The offline queue of one connection. Every publish goes through it: with the session connected and nothing
 * waiting it is sent at once; otherwise it waits, in order, and is sent when the session connects.
 *
 * At most once by us: an entry is handed to the session once per connection. It leaves the queue (and the
 * saved file) only when the broker acknowledged it (QoS 1/2) or it was written to the socket (QoS 0), or when
 * the broker refused it. A drop of the connection stops the drain and keeps the rest in order. Entries in
 * flight when the connection drops stay with MQTT.js, which sends them again on its reconnect before anything
 * new (their acknowledgement still settles them here); only when that client is gone for good (disconnect,
 * dispose) are they handed again on the next connection. That last case, and a crash between an
 * acknowledgement and the save that follows it, are the only ways a message is sent twice; QoS 1 may also be
 * duplicated by the protocol itself.
 */
import { Emitter, type Disposable } from '../emitter';
import { formatCount } from '../payload/textPosition';
import { SessionError, type PublishResult, type Session } from '../session';
import { fromRecord, toRecord, type OutboxEntry, type OutboxRecord } from './outboxRecord';
import type { BuiltPublish } from './publishRequest';
import { SaveQueue } from './saveQueue';

export type { OutboxEntry, OutboxRecord } from './outboxRecord';

/** Where the saved entries of one outbox live (a file in the workspace storage, a temp dir in tests). */
export interface OutboxStorage {
  /** The saved records, oldest first ([] when there are none). Throws when they cannot be read. */
  load(): Promise<readonly unknown[]>;
  /** Replaces the saved records (an empty list may remove the file). */
  save(records: readonly OutboxRecord[]): Promise<void>;
}

/** Settings, read on every use so changes apply at once. */
export interface OutboxSettings {
  /** Most messages the queue holds; publishing beyond it fails with a clear error. */
  maxMessages: number;
  /** Save QoS 0 messages too (otherwise they live only as long as this outbox). */
  persistQos0: boolean;
}

/** The outcome of a publish: the broker's answer, or how many messages wait (this one included). */
export type SubmitResult = PublishResult | { queued: number };

/** An entry left the queue: sent, or refused by the broker. */
export interface OutboxSettled {
  entry: OutboxEntry;
  result?: PublishResult;
  error?: SessionError;
  /** The publisher was told it was queued (the connection was down), so nobody else reports this outcome. */
  queued: boolean;
}

/** How many entries may await their acknowledgement at once while draining. */
const WINDOW = 8;

/** The offline queue of one connection; see the file comment for its guarantees. */
export class Outbox implements Disposable {
  private readonly queue: OutboxEntry[] = [];
  private readonly inFlight = new Set<number>();
  private readonly waiters = new Map<number, (settled: OutboxSettled) => void>();
  /** Entries whose publisher got `{ queued }`: their outcome reaches only the log. */
  private readonly toldQueued = new Set<number>();
  private readonly changeEmitter = new Emitter<number>();
  private readonly settledEmitter = new Emitter<OutboxSettled>();
  private readonly problemEmitter = new Emitter<string>();
  private readonly saver: SaveQueue;
  private session: Session | undefined;
  /** Set after a retryable failure: nothing more is handed over until the session connects again. */
  private blocked = false;
  private nextId = 1;
  /** Ids in the last save: only their leaving needs another save. */
  private onDisk = new Set<number>();
  private readonly ready: Promise<{ restored: number; problems: string[] }>;
  /** Fires with the new size whenever an entry is added or leaves. */
  readonly onChange = this.changeEmitter.event;
  /** Fires when an entry was sent or refused (also for entries nobody awaits: drained in the background). */
  readonly onSettled = this.settledEmitter.event;
  /** Fires with a sentence when saving the queue failed (it is kept in memory and saved on the next change). */
  readonly onProblem = this.problemEmitter.event;

  constructor(
    readonly name: string,
    private readonly storage: OutboxStorage,
    private readonly settings: () => OutboxSettings,
    private readonly now: () => number = Date.now,
  ) {
    this.saver = new SaveQueue(
      () => {
        const saved = this.queue.filter((e) => e.persisted);
        this.onDisk = new Set(saved.map((e) => e.id));
        return this.storage.save(saved.map(toRecord));
      },
      (message) => this.problemEmitter.fire(`The offline queue of "${name}" could not be saved: ${message}`),
    );
    this.ready = this.load();
  }

  /** Resolves once the saved entries are loaded: how many, and why any could not be used. */
  restored(): Promise<{ restored: number; problems: string[] }> {
    return this.ready;
  }

  /** Messages waiting or in flight. */
  get size(): number {
    return this.queue.length;
  }

  /** The waiting entries, oldest first. */
  entries(): readonly OutboxEntry[] {
    return [...this.queue];
  }

  /** The last save error, if the last save failed (the queue is kept in memory and saved again on the next change). */
  get saveError(): string | undefined {
    return this.saver.error;
  }

  /** Sends through `session` from now on, draining whenever it is connected. */
  attach(session: Session): Disposable {
    this.session = session;
    this.blocked = false;
    const listener = session.onState((state) => {
      if (state.kind !== 'connected') return;
      this.blocked = false;
      this.pump();
    });
    void this.ready.then(() => this.pump());
    return {
      dispose: () => {
        listener.dispose();
        if (this.session === session) this.session = undefined;
      },
    };
  }

  /**
   * Queues a message and sends it when it can. Connected: resolves with the broker's answer (rejects with a
   * refusal), also when it waits in order behind earlier messages. Resolves with `{ queued }` once the entry is
   * saved only when the connection is down (or goes down before the broker answers).
   * Rejects with a SessionError when the queue is full; nothing is then queued.
   */
  async submit(message: BuiltPublish): Promise<SubmitResult> {
    await this.ready;
    const { maxMessages, persistQos0 } = this.settings();
    if (this.queue.length >= maxMessages) {
      throw new SessionError(
        `The offline queue of "${this.name}" is full (${formatCount(maxMessages)} messages); this message was not queued. Connect to send the queue, clear it, or raise mqttWorkbench.offlineQueue.maxMessages.`,
      );
    }
    const { qos, retain, properties } = message.options;
    const entry: OutboxEntry = { id: this.nextId++, topic: message.topic, payload: message.payload, qos, retain, queuedAt: this.now(), persisted: qos > 0 || persistQos0, ...(properties ? { properties } : {}) };
    const connected = this.isConnected() && !this.blocked;
    const behindOthers = this.queue.some((e) => !this.inFlight.has(e.id));
    this.queue.push(entry);
    this.changeEmitter.fire(this.queue.length);
    if (!connected) return this.queued(entry);
    // Connected: the publisher gets the broker's answer. Saved now only if it must wait its turn (else only if
    // the connection drops before the broker answers, or another change saves).
    const settled = new Promise<OutboxSettled>((resolve) => this.waiters.set(entry.id, resolve));
    if (behindOthers && entry.persisted) void this.saver.request();
    this.pump();
    const outcome = await this.settledOrOffline(settled);
    // The connection dropped first: the entry waits for the next one (or MQTT.js resends it, in flight).
    if (outcome === 'offline') return this.queued(entry);
    if (outcome.error) throw outcome.error;
    return outcome.result ?? { queued: this.queue.length };
  }

  /** The connection is down: the entry waits, saved, and the publisher is told how many wait. */
  private async queued(entry: OutboxEntry): Promise<SubmitResult> {
    this.toldQueued.add(entry.id);
    if (entry.persisted) await this.saver.request();
    this.pump();
    return { queued: this.queue.length };
  }

  /** Removes every waiting entry that is not in flight; returns how many. */
  async clear(): Promise<number> {
    await this.ready;
    const before = this.queue.length;
    const cleared = new SessionError(`The offline queue of "${this.name}" was cleared; the message was not sent.`);
    for (let i = this.queue.length - 1; i >= 0; i--) {
      const entry = this.queue[i];
      if (this.inFlight.has(entry.id)) continue;
      this.queue.splice(i, 1);
      this.waiters.get(entry.id)?.({ entry, error: cleared, queued: this.toldQueued.delete(entry.id) });
      this.waiters.delete(entry.id);
    }
    const removed = before - this.queue.length;
    if (removed > 0) this.changeEmitter.fire(this.queue.length);
    await this.saver.request();
    return removed;
  }

  /** Resolves when every change so far is saved (deactivate). */
  flush(): Promise<void> {
    return this.saver.idle();
  }

  dispose(): void {
    this.changeEmitter.dispose();
    this.settledEmitter.dispose();
    this.problemEmitter.dispose();
    this.session = undefined;
  }

  private async load(): Promise<{ restored: number; problems: string[] }> {
    const problems: string[] = [];
    let records: readonly unknown[];
    try {
      records = await this.storage.load();
    } catch (error) {
      return { restored: 0, problems: [`The saved offline queue of "${this.name}" could not be read: ${error instanceof Error ? error.message : String(error)}`] };
    }
    const loaded: OutboxEntry[] = [];
    records.forEach((record, i) => {
      const read = fromRecord(record, `outbox[${i}]`);
      if ('entry' in read) loaded.push(read.entry);
      else problems.push(...read.problems);
    });
    loaded.sort((a, b) => a.id - b.id);
    this.onDisk = new Set(loaded.map((e) => e.id));
    // Anything submitted while loading was not possible (submit awaits `ready`), so saved entries come first.
    this.queue.unshift(...loaded);
    this.nextId = loaded.reduce((next, e) => Math.max(next, e.id + 1), this.nextId);
    if (loaded.length > 0) this.changeEmitter.fire(this.queue.length);
    return { restored: loaded.length, problems };
  }

  /** The settled outcome, or 'offline' when the session leaves the connected state first. */
  private settledOrOffline(settled: Promise<OutboxSettled>): Promise<OutboxSettled | 'offline'> {
    const session = this.session;
    if (!session) return settled;
    return new Promise((resolve) => {
      const listener = session.onState((state) => {
        if (state.kind === 'connected') return;
        listener.dispose();
        resolve('offline');
      });
      void settled.then((outcome) => {
        listener.dispose();
        resolve(outcome);
      });
    });
  }

  private isConnected(): boolean {
    return this.session?.state.kind === 'connected';
  }

  /**
   * Hands the next waiting entries to the session, oldest first, at most WINDOW awaiting acknowledgement.
   * A QoS 2 entry goes alone: brokers pass it on only at PUBREL, so anything sent behind it would overtake it.
   */
  private pump(): void {
    const session = this.session;
    if (!session || this.blocked || session.state.kind !== 'connected') return;
    for (const entry of this.queue) {
      if (this.inFlight.size >= WINDOW || this.blocked) break;
      if (this.inFlight.has(entry.id)) {
        if (entry.qos === 2) break;
        continue;
      }
      if (entry.qos === 2 && this.inFlight.size > 0) break;
      this.inFlight.add(entry.id);
      session.publish(entry.topic, entry.payload, { qos: entry.qos, retain: entry.retain, properties: entry.properties }).then(
        (result) => this.settle(entry, { entry, result, queued: this.toldQueued.has(entry.id) }),
        (error: unknown) => this.failed(entry, error, session),
      );
      if (entry.qos === 2) break;
    }
  }

  private failed(entry: OutboxEntry, error: unknown, session: Session): void {
    if (error instanceof SessionError && error.retryable) {
      // Not sent: it keeps its place, and nothing after it goes out before it on this connection. (A late
      // failure from a session replaced meanwhile must not stall the current one: it just sends it again.)
      this.inFlight.delete(entry.id);
      if (session === this.session) this.blocked = true;
      else this.pump();
      return;
    }
    // The broker refused it, or it can never be sent as it is (e.g. too large): waiting would not help.
    this.settle(entry, { entry, error: error instanceof SessionError ? error : new SessionError(`Publish failed: ${String(error)}`), queued: this.toldQueued.has(entry.id) });
  }

  private settle(entry: OutboxEntry, settled: OutboxSettled): void {
    this.inFlight.delete(entry.id);
    this.toldQueued.delete(entry.id);
    const index = this.queue.indexOf(entry);
    if (index >= 0) this.queue.splice(index, 1);
    if (this.onDisk.has(entry.id)) void this.saver.request();
    this.changeEmitter.fire(this.queue.length);
    const waiter = this.waiters.get(entry.id);
    this.waiters.delete(entry.id);
    waiter?.(settled);
    this.settledEmitter.fire(settled);
    this.pump();
  }
}
