// Builds core Sessions for tests from raw profile JSON (validated like settings), and waits on them with bounds.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import type { ConnectInputs, TlsFiles } from '../../src/core/clientOptions';
import { parseProfile } from '../../src/core/profile';
import { Session, type SessionState } from '../../src/core/session';
import type { MqttMessage } from '../../src/shared/mqttMessage';

const open = new Set<Session>();

/** A session for `raw` (a profile as in settings; name defaults to "test"), closed by {@link closeSessions}. */
export function makeSession(raw: Record<string, unknown>, inputs: Partial<ConnectInputs> = {}): Session {
  const parsed = parseProfile({ name: 'test', host: '127.0.0.1', ...raw }, 'connections[0]');
  assert.ok(parsed.profile, parsed.problems.join('; '));
  const session = new Session(parsed.profile, { clientId: `wb-test-${Math.random().toString(16).slice(2, 10)}`, ...inputs });
  open.add(session);
  return session;
}

/** Disposes every session made by {@link makeSession}. */
export function closeSessions(): void {
  for (const session of open) session.dispose();
  open.clear();
}

/** Reads PEM files into the bytes a Session takes. */
export async function tlsFiles(paths: { ca?: string; cert?: string; key?: string }): Promise<TlsFiles> {
  const read = async (path?: string) => (path === undefined ? undefined : new Uint8Array(await readFile(path)));
  return { ca: await read(paths.ca), cert: await read(paths.cert), key: await read(paths.key) };
}

/** Resolves when the session reaches a state of `kind` (immediately if it is there). */
export function waitForState(session: Session, kind: SessionState['kind'], timeoutMs = 15_000): Promise<SessionState> {
  if (session.state.kind === kind) return Promise.resolve(session.state);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      listener.dispose();
      reject(new Error(`Session stayed ${JSON.stringify(session.state)} instead of becoming ${kind} within ${timeoutMs} ms.`));
    }, timeoutMs);
    const listener = session.onState((state) => {
      if (state.kind !== kind) return;
      clearTimeout(timer);
      listener.dispose();
      resolve(state);
    });
  });
}

/** Records the messages a session receives. */
export function collectMessages(session: Session): { messages: MqttMessage[]; waitFor(count: number, timeoutMs?: number): Promise<MqttMessage[]> } {
  const messages: MqttMessage[] = [];
  session.onMessage((m) => messages.push(m));
  return {
    messages,
    async waitFor(count, timeoutMs = 15_000) {
      await waitUntil(() => messages.length >= count, timeoutMs).catch(() => {
        throw new Error(`Received ${messages.length} of ${count} messages within ${timeoutMs} ms.`);
      });
      return messages.slice(0, count);
    },
  };
}

/** The rejection message of a promise that must fail. */
export async function failureMessage(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  throw new Error('Expected a failure, but it succeeded.');
}

/** Polls `condition` every 20 ms until it holds; throws after `timeoutMs`. */
export async function waitUntil(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('Condition not met in time.');
    await new Promise((r) => setTimeout(r, 20));
  }
}
