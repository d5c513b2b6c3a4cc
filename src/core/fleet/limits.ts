import { plannedRate, type Scenario } from './scenario';

/** The ceilings from the settings `mqttWorkbench.fleet.maxClients` and `mqttWorkbench.fleet.maxMessagesPerSecond`. */
export interface SafetyCeiling {
  maxClients: number;
  maxMessagesPerSecond: number;
}

/** The ceilings used when no setting says otherwise. */
export const DEFAULT_CEILING: SafetyCeiling = { maxClients: 1000, maxMessagesPerSecond: 50_000 };

/**
 * Sentences for every way the scenario goes over its own limits or the ceiling; empty when it stays within.
 * The caller asks before running anyway (the editor) or needs `--yes` (the command line).
 */
export function overLimits(scenario: Pick<Scenario, 'clients' | 'publish' | 'limits'>, ceiling: SafetyCeiling): string[] {
  const sentences: string[] = [];
  const clientLimit = Math.min(scenario.limits.maxClients ?? Infinity, ceiling.maxClients);
  const rateLimit = Math.min(scenario.limits.maxMessagesPerSecond ?? Infinity, ceiling.maxMessagesPerSecond);
  const where = (own: number | undefined, limit: number, setting: string): string => (own !== undefined && own <= limit ? 'limits in the scenario' : `mqttWorkbench.fleet.${setting}`);
  if (scenario.clients > clientLimit) {
    sentences.push(`The scenario starts ${scenario.clients} clients, more than the safety limit of ${clientLimit} (${where(scenario.limits.maxClients, clientLimit, 'maxClients')}).`);
  }
  const rate = plannedRate(scenario);
  if (rate > rateLimit) {
    sentences.push(`The scenario publishes ${Math.round(rate)} messages/s, more than the safety limit of ${rateLimit} (${where(scenario.limits.maxMessagesPerSecond, rateLimit, 'maxMessagesPerSecond')}).`);
  }
  return sentences;
}
