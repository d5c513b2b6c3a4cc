// Helpers of the fault tests (test/integration/faults.test.ts): a "device" that publishes a numbered stream
// through a Session and retries what the Session says may be retried, a record of a Session's states, and the
// band a reconnect delay must fall in under a backoff policy.
import assert from 'node:assert/strict';
import type { BackoffPolicy } from '../../src/core/backoff';
import { SessionError, type Session, type SessionState } from '../../src/core/session';
import { waitForState } from './sessions';

/** What a {@link publishStream} did. */
export interface StreamReport {
  /** Publishes the broker acknowledged. */
  acknowledged: number;
  /** Publishes the Session refused as retryable (not connected, connection lost) and the device sent again. */
  retries: number;
}

/**
 * Publishes `m0..m<count-1>` at QoS 1 with up to `window` unanswered at a time, like a device (or a user
 * pressing Publish again): a publish refused as retryable is sent again once the session is connected; any
 * other refusal fails the stream. `onAck` runs after every acknowledgement (the test may pause the broker).
 */
export async function publishStream(session: Session, topic: string, count: number, window: number, onAck: (report: StreamReport) => void = () => undefined): Promise<StreamReport> {
  const report: StreamReport = { acknowledged: 0, retries: 0 };
  let next = 0;
  const sendOne = async (i: number): Promise<void> => {
    for (;;) {
      try {
        await session.publish(topic, `m${i}`, { qos: 1 });
        report.acknowledged++;
        onAck(report);
        return;
      } catch (error) {
        if (!(error instanceof SessionError) || !error.retryable) throw error;
        report.retries++;
        await waitForState(session, 'connected', 30_000);
      }
    }
  };
  const worker = async (): Promise<void> => {
    while (next < count) await sendOne(next++);
  };
  await Promise.all(Array.from({ length: window }, worker));
  return report;
}

/** Every state a session enters from now on, in order. */
export function recordStates(session: Session): SessionState[] {
  const states: SessionState[] = [];
  session.onState((state) => states.push(state));
  return states;
}

/** The kinds a session went through, without `connecting` and without repeats: e.g. connected, reconnecting, connected. */
export function stateStory(states: readonly SessionState[]): string[] {
  const story: string[] = [];
  for (const { kind } of states) if (kind !== 'connecting' && story.at(-1) !== kind) story.push(kind);
  return story;
}

/** The `lastError` of every `reconnecting` state, in order. */
export function reconnectReasons(states: readonly SessionState[]): string[] {
  return states.flatMap((s) => (s.kind === 'reconnecting' ? [s.lastError ?? '(no reason)'] : []));
}

/**
 * Asserts that delay n (from 0) lies in the jitter band of min(initialDelay * 2^n, maxDelay), clamped to
 * [initialDelay, maxDelay] as the backoff does: an order of growing delays, not a wall time.
 */
export function assertBackoff(delays: readonly number[], policy: BackoffPolicy): void {
  delays.forEach((delay, n) => {
    const base = Math.min(policy.maxDelay, policy.initialDelay * 2 ** n);
    const low = Math.max(policy.initialDelay, Math.floor(base * (1 - policy.jitter)));
    const high = Math.min(policy.maxDelay, Math.ceil(base * (1 + policy.jitter)));
    assert.ok(delay >= low && delay <= high, `reconnect delay #${n + 1} is ${delay} ms, outside ${low}..${high} ms (base ${base} ms); all: ${delays.join(', ')}`);
  });
}

/** Resolves after `ms`. */
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
