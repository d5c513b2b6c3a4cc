/** What a rule's publish action sends for one alert: its topic and payload with the placeholders filled in. */
import type { QoS } from '../../shared/mqttMessage';
import type { AlertRecord } from './alertRecord';

/** `{topic}`, `{value}`, `{rule}` and `{connection}` in an action's text, filled from the alert. */
export function fillPlaceholders(text: string, alert: AlertRecord): string {
  const values: Record<string, string> = { topic: alert.topic ?? '', value: alert.value, rule: alert.rule.name, connection: alert.connection };
  return text.replace(/\{(topic|value|rule|connection)\}/g, (_, name: string) => values[name] ?? '');
}

/** The publish of an inline `publish` action for `alert`, or undefined when the rule has no such action. */
export function plannedPublish(alert: AlertRecord): { topic: string; payload: string; qos: QoS; retain: boolean } | undefined {
  const action = alert.rule.action;
  if (action?.kind !== 'publish') return undefined;
  return { topic: fillPlaceholders(action.topic, alert), payload: fillPlaceholders(action.payload, alert), qos: action.qos, retain: action.retain };
}

/** The sentence logged when an untrusted workspace keeps a rule's action from running. */
export function untrustedActionMessage(ruleName: string): string {
  return `The action of alert rule "${ruleName}" did not run: this workspace is not trusted. Trust the workspace to let alert rules publish, reconnect or run commands.`;
}
