import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Aedes } from 'aedes';
import { SessionError } from './session';

/** One message as the snapshot keeps it (payload in base64). */
interface SavedMessage {
  topic: string;
  payload: string;
  qos: 0 | 1 | 2;
  retain?: boolean;
}

/** One persistent session: its subscriptions and the messages queued for it while it was away. */
interface SavedSession {
  clientId: string;
  subscriptions: Array<{ topic: string; qos: 0 | 1 | 2; rh?: number; rap?: boolean; nl?: boolean }>;
  queued: SavedMessage[];
}

/** The file the embedded broker writes on stop and reads on start. */
export interface AedesSnapshot {
  version: 1;
  retained: SavedMessage[];
  sessions: SavedSession[];
}

/** The promise face of aedes-persistence 11 (its methods return promises when called without a callback). */
interface PromisedPersistence {
  createRetainedStreamCombi(patterns: string[]): AsyncIterable<PacketLike>;
  storeRetained(packet: PacketLike): Promise<void>;
  subscriptionsByClient(client: { id: string }): Promise<SavedSession['subscriptions'] | null>;
  addSubscriptions(client: { id: string }, subs: SavedSession['subscriptions']): Promise<void>;
  outgoingStream(client: { id: string }): AsyncIterable<PacketLike>;
  outgoingEnqueue(sub: { clientId: string }, packet: PacketLike): Promise<void>;
}

interface PacketLike {
  cmd?: string;
  topic: string;
  payload: Buffer | string;
  qos: 0 | 1 | 2;
  retain?: boolean;
  brokerId?: string;
  brokerCounter?: number;
}

/** aedes types its persistence as `any`; this is the part of it the snapshot uses. */
function persistenceOf(broker: Aedes): PromisedPersistence {
  return (broker as unknown as { persistence: PromisedPersistence }).persistence;
}

function save(packet: PacketLike): SavedMessage {
  const payload = typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload;
  return { topic: packet.topic, payload: payload.toString('base64'), qos: packet.qos, ...(packet.retain ? { retain: true } : {}) };
}

/** Reads what a running aedes holds: retained messages (not $SYS) and the sessions of `clientIds`. */
export async function takeSnapshot(broker: Aedes, clientIds: Iterable<string>): Promise<AedesSnapshot> {
  const persistence = persistenceOf(broker);
  const retained: SavedMessage[] = [];
  for await (const packet of persistence.createRetainedStreamCombi(['#'])) if (!packet.topic.startsWith('$')) retained.push(save(packet));
  const sessions: SavedSession[] = [];
  for (const clientId of clientIds) {
    const subscriptions = (await persistence.subscriptionsByClient({ id: clientId })) ?? [];
    if (subscriptions.length === 0) continue; // no session left: it connected clean or unsubscribed from everything
    const queued: SavedMessage[] = [];
    for await (const packet of persistence.outgoingStream({ id: clientId })) if (packet.cmd === undefined || packet.cmd === 'publish') queued.push(save(packet));
    sessions.push({ clientId, subscriptions: subscriptions.map(({ topic, qos, rh, rap, nl }) => ({ topic, qos, rh, rap, nl })), queued });
  }
  return { version: 1, retained, sessions };
}

/** Puts a snapshot back into a fresh aedes before it accepts clients; returns the restored session ids. */
export async function restoreSnapshot(broker: Aedes, snapshot: AedesSnapshot): Promise<string[]> {
  const persistence = persistenceOf(broker);
  const counted = broker as unknown as { id: string; counter: number };
  const packet = (message: SavedMessage): PacketLike => ({ cmd: 'publish', topic: message.topic, payload: Buffer.from(message.payload, 'base64'), qos: message.qos, retain: message.retain === true });
  for (const message of snapshot.retained) await persistence.storeRetained({ ...packet(message), retain: true });
  for (const session of snapshot.sessions) {
    await persistence.addSubscriptions({ id: session.clientId }, session.subscriptions);
    for (const message of session.queued) {
      // A new broker id and counter: aedes matches acknowledgements to queued packets by them.
      counted.counter++;
      await persistence.outgoingEnqueue({ clientId: session.clientId }, { ...packet(message), brokerId: counted.id, brokerCounter: counted.counter });
    }
  }
  return snapshot.sessions.map((session) => session.clientId);
}

/** Writes the snapshot atomically (a temporary file renamed over the old one). */
export async function writeSnapshot(file: string, snapshot: AedesSnapshot): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, JSON.stringify(snapshot), { mode: 0o600 });
  await rename(temporary, file);
}

/** Reads a snapshot file: undefined when there is none; a damaged one throws with a sentence naming the file. */
export async function readSnapshot(file: string): Promise<AedesSnapshot | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const parsed = safeParse(text);
  if (!isSnapshot(parsed)) throw new SessionError(`The saved data of the local broker (${file}) is damaged. Run "MQTT: Clear Local Broker Data" to start afresh.`);
  return parsed;
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function isMessage(value: unknown): value is SavedMessage {
  const m = value as Partial<SavedMessage> | null;
  return typeof m === 'object' && m !== null && typeof m.topic === 'string' && typeof m.payload === 'string' && (m.qos === 0 || m.qos === 1 || m.qos === 2);
}

function isSnapshot(value: unknown): value is AedesSnapshot {
  const s = value as Partial<AedesSnapshot> | null;
  if (typeof s !== 'object' || s === null || s.version !== 1 || !Array.isArray(s.retained) || !Array.isArray(s.sessions)) return false;
  return (
    s.retained.every(isMessage) &&
    s.sessions.every((session) => typeof session?.clientId === 'string' && Array.isArray(session.subscriptions) && session.subscriptions.every((sub) => typeof sub?.topic === 'string' && [0, 1, 2].includes(sub.qos)) && Array.isArray(session.queued) && session.queued.every(isMessage))
  );
}
