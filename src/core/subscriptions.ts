import { Emitter } from './emitter';
import type { ProfileSubscription } from './profile';
import { describeReasonCode } from './reasonCodes';
import type { QoS } from '../shared/mqttMessage';

/** A subscription as asked for: the profile's fields plus an MQTT 5 subscription identifier. */
export interface SubscriptionRequest extends ProfileSubscription {
  subscriptionIdentifier?: number;
}

/** A subscription and what the broker answered (SUBACK). */
export interface SubscriptionStatus {
  readonly filter: string;
  readonly request: SubscriptionRequest;
  /** pending: not acknowledged on the current connection; active: granted; refused: the broker said no. */
  readonly state: 'pending' | 'active' | 'refused';
  /** The QoS the broker granted (kept across reconnects). */
  readonly grantedQos?: QoS;
  /** Why it was refused, e.g. "Not authorized (0x87)". */
  readonly error?: string;
}

/** The subscriptions of one session, in the order they were made, with their SUBACK results. */
export class SubscriptionBook {
  private readonly byFilter = new Map<string, SubscriptionStatus>();
  private readonly changeEmitter = new Emitter<void>();
  /** Fires after any subscription is added, removed or answered. */
  readonly onChange = this.changeEmitter.event;

  constructor(initial: readonly SubscriptionRequest[] = []) {
    for (const request of initial) this.byFilter.set(request.filter, { filter: request.filter, request, state: 'pending' });
  }

  list(): readonly SubscriptionStatus[] {
    return [...this.byFilter.values()];
  }

  get(filter: string): SubscriptionStatus | undefined {
    return this.byFilter.get(filter);
  }

  /** Adds or replaces the subscription to `request.filter` (pending until answered). */
  add(request: SubscriptionRequest): SubscriptionStatus {
    return this.put({ filter: request.filter, request, state: 'pending' });
  }

  remove(filter: string): boolean {
    const removed = this.byFilter.delete(filter);
    if (removed) this.changeEmitter.fire();
    return removed;
  }

  /** Records the SUBACK code for `filter`: a granted QoS (0..2) or a failure reason (0x80 and up). */
  settle(filter: string, code: number): SubscriptionStatus {
    const status = this.byFilter.get(filter);
    if (!status) return { filter, request: { filter, qos: 0 }, state: 'refused', error: 'Unsubscribed before the broker answered.' };
    if (code >= 0x80) return this.put({ ...status, state: 'refused', grantedQos: undefined, error: describeReasonCode(code) });
    return this.put({ ...status, state: 'active', grantedQos: code as QoS, error: undefined });
  }

  /** Records a subscription that failed without a SUBACK code. */
  fail(filter: string, message: string): SubscriptionStatus {
    const status = this.byFilter.get(filter) ?? { filter, request: { filter, qos: 0 }, state: 'pending' as const };
    return this.put({ ...status, state: 'refused', error: message });
  }

  /** The connection closed: nothing is acknowledged on the next one yet. */
  markAllPending(): void {
    this.updateAll((s) => (s.state === 'active' ? { ...s, state: 'pending' } : s));
  }

  /** The broker kept our session: what it granted before is active again without a new SUBSCRIBE. */
  restoreFromSession(): void {
    this.updateAll((s) => (s.state === 'pending' && s.grantedQos !== undefined ? { ...s, state: 'active' } : s));
  }

  /** What to send after a CONNACK: everything not refused, or only the new ones when the session was kept. */
  toSend(sessionPresent: boolean): SubscriptionStatus[] {
    return this.list().filter((s) => (sessionPresent ? s.state === 'pending' : s.state !== 'refused'));
  }

  dispose(): void {
    this.changeEmitter.dispose();
  }

  private put(status: SubscriptionStatus): SubscriptionStatus {
    this.byFilter.set(status.filter, status);
    this.changeEmitter.fire();
    return status;
  }

  private updateAll(update: (status: SubscriptionStatus) => SubscriptionStatus): void {
    for (const [filter, status] of this.byFilter) this.byFilter.set(filter, update(status));
    this.changeEmitter.fire();
  }
}
