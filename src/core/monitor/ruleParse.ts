/**
 * Validates `mqttWorkbench.alerts`: every wrong field is one sentence with its path
 * (`alerts[1].when.above: must be a number, not the string "80%"`); a wrong rule is dropped, the others work.
 */
import { FieldReader } from '../fieldReader';
import { codecs, type CodecId } from '../payload';
import { validateTopicFilter, validateTopicName } from '../topics';
import { fieldSpec, type FieldSpec } from './fieldValue';
import { CONNECTION_CONDITIONS, type AlertRule, type Condition, type RuleAction } from './ruleTypes';

/** What the rules may refer to besides themselves. */
export interface RuleContext {
  /** Names of saved messages (setting `mqttWorkbench.savedMessages`). */
  savedMessages: ReadonlySet<string>;
}

/** The rules that are valid and one sentence per problem. */
export interface ParsedRules {
  rules: AlertRule[];
  problems: string[];
}

const CONDITION_KEYS = ['above', 'below', 'between', 'outside', 'equals', 'matches', 'changes', 'silentForSeconds', 'rateAbove', 'rateBelow', 'disconnectedForSeconds', 'reconnects', 'rttAboveMs'] as const;
const DAY_SECONDS = 86_400;
const BIG = Number.MAX_SAFE_INTEGER;
/** Codec ids a field may name ('auto' detects the format per message). */
export const FIELD_FORMATS: readonly string[] = ['auto', ...codecs.map((c) => c.id)];

/** Reads the rules of the setting; never throws. */
export function parseAlertRules(value: unknown, context: RuleContext, path = 'alerts'): ParsedRules {
  const problems: string[] = [];
  if (value === undefined || value === null) return { rules: [], problems };
  if (!Array.isArray(value)) return { rules: [], problems: [`${path}: must be an array of rules`] };
  const rules: AlertRule[] = [];
  const names = new Set<string>();
  value.forEach((item, index) => {
    const before = problems.length;
    const rule = parseRule(item, `${path}[${index}]`, index, context, problems);
    if (rule && names.has(rule.name)) problems.push(`${path}[${index}].name: another rule is already named "${rule.name}"`);
    else if (rule && problems.length === before) {
      names.add(rule.name);
      rules.push(rule);
    }
  });
  return { rules, problems };
}

/** Reads `path` and `format` of a rule or a watch into a FieldSpec (undefined: the whole payload). */
export function readFieldSpec(reader: FieldReader): FieldSpec | undefined {
  const path = reader.string('path');
  const format = reader.oneOf('format', FIELD_FORMATS) as CodecId | 'auto' | undefined;
  if (path === undefined || path.trim() === '') return format !== undefined && format !== 'auto' ? { codec: format, steps: [], path: '' } : undefined;
  const spec = fieldSpec(path, format ?? 'auto');
  if (typeof spec === 'string') {
    reader.problem('path', spec);
    return undefined;
  }
  return spec;
}

function parseRule(item: unknown, path: string, index: number, context: RuleContext, problems: string[]): AlertRule | undefined {
  const reader = FieldReader.object(item, path, problems);
  if (!reader) return undefined;
  const name = reader.string('name', { required: true, nonEmpty: true });
  const connection = reader.string('connection', { nonEmpty: true });
  const topic = reader.string('topic', { nonEmpty: true });
  if (topic !== undefined) {
    const problem = validateTopicFilter(topic);
    if (problem !== undefined) reader.problem('topic', problem);
  }
  const field = readFieldSpec(reader);
  const when = reader.object('when');
  if (!reader.has('when')) reader.problem('when', `is required: one of ${CONDITION_KEYS.join(', ')}`);
  const condition = when ? readCondition(when) : undefined;
  if (condition && !CONNECTION_CONDITIONS.has(condition.kind) && topic === undefined) reader.problem('topic', 'is required for this condition');
  const cooldownSeconds = reader.number('cooldownSeconds', 0, DAY_SECONDS) ?? 60;
  const severity = reader.oneOf('severity', ['error', 'warning', 'information'] as const) ?? 'warning';
  const actionReader = reader.object('action');
  const action = actionReader ? readAction(actionReader, context) : undefined;
  reader.rejectUnknownFields();
  if (name === undefined || condition === undefined) return undefined;
  return { index, name, connection, topic, field, condition, cooldownMs: cooldownSeconds * 1000, severity, action };
}

function readCondition(when: FieldReader): Condition | undefined {
  const given = CONDITION_KEYS.filter((key) => when.value[key] !== undefined);
  if (given.length !== 1) {
    when.problems.push(`${when.path}: needs exactly one of ${CONDITION_KEYS.join(', ')}${given.length > 1 ? `, not ${given.join(' and ')}` : ''}`);
    for (const key of [...CONDITION_KEYS, 'hysteresis', 'forSeconds', 'windowSeconds']) when.raw(key);
    return undefined;
  }
  const hysteresis = when.number('hysteresis', 0, BIG) ?? 0;
  const forMs = (when.number('forSeconds', 0, DAY_SECONDS) ?? 0) * 1000;
  const windowMs = (when.number('windowSeconds', 1, 3600) ?? 10) * 1000;
  const condition = conditionOf(given[0], when, { hysteresis, forMs, windowMs });
  when.rejectUnknownFields();
  return condition;
}

function conditionOf(key: (typeof CONDITION_KEYS)[number], when: FieldReader, o: { hysteresis: number; forMs: number; windowMs: number }): Condition | undefined {
  switch (key) {
    case 'above':
    case 'below': {
      const limit = when.number(key, -BIG, BIG);
      return limit === undefined ? undefined : { kind: key, limit, hysteresis: o.hysteresis, forMs: o.forMs };
    }
    case 'between':
    case 'outside': {
      const range = when.raw(key);
      if (!Array.isArray(range) || range.length !== 2 || !range.every((n) => typeof n === 'number' && Number.isFinite(n)) || Number(range[0]) > Number(range[1])) {
        when.problem(key, 'must be two numbers [low, high] with low <= high');
        return undefined;
      }
      return { kind: key, low: Number(range[0]), high: Number(range[1]), hysteresis: o.hysteresis, forMs: o.forMs };
    }
    case 'equals': {
      const raw = when.raw(key);
      if (typeof raw !== 'string' && typeof raw !== 'number' && typeof raw !== 'boolean') {
        when.problem(key, 'must be a string, a number or true/false');
        return undefined;
      }
      return { kind: 'equals', text: String(raw) };
    }
    case 'matches': {
      const source = when.string(key, { nonEmpty: true });
      if (source === undefined) return undefined;
      try {
        return { kind: 'matches', pattern: new RegExp(source, 'u'), source };
      } catch (error) {
        when.problem(key, `is not a valid regular expression: ${error instanceof Error ? error.message : String(error)}`);
        return undefined;
      }
    }
    case 'changes':
      if (when.raw(key) !== true) {
        when.problem(key, 'must be true');
        return undefined;
      }
      return { kind: 'changes' };
    case 'silentForSeconds': {
      const seconds = when.number(key, 0.1, DAY_SECONDS);
      return seconds === undefined ? undefined : { kind: 'silence', ms: seconds * 1000 };
    }
    case 'rateAbove':
    case 'rateBelow': {
      const perSecond = when.number(key, 0, BIG);
      return perSecond === undefined ? undefined : { kind: key, perSecond, windowMs: o.windowMs };
    }
    case 'disconnectedForSeconds': {
      const seconds = when.number(key, 0, DAY_SECONDS);
      return seconds === undefined ? undefined : { kind: 'disconnected', ms: seconds * 1000 };
    }
    case 'reconnects': {
      const reconnects = when.object(key);
      if (!reconnects) return undefined;
      const count = reconnects.integer('count', 0, 1_000_000);
      const minutes = reconnects.number('withinMinutes', 0.1, 1440);
      if (count === undefined) reconnects.problem('count', 'is required');
      if (minutes === undefined) reconnects.problem('withinMinutes', 'is required');
      reconnects.rejectUnknownFields();
      return count === undefined || minutes === undefined ? undefined : { kind: 'reconnects', count, windowMs: minutes * 60_000 };
    }
    case 'rttAboveMs': {
      const ms = when.number(key, 0, BIG);
      return ms === undefined ? undefined : { kind: 'rttAbove', ms, hysteresis: o.hysteresis };
    }
  }
}

function readAction(action: FieldReader, context: RuleContext): RuleAction | undefined {
  const kinds = ['publish', 'publishSaved', 'reconnect', 'command'].filter((key) => action.value[key] !== undefined);
  if (kinds.length !== 1) {
    action.problems.push(`${action.path}: needs exactly one of publish, publishSaved, reconnect, command`);
    return undefined;
  }
  let result: RuleAction | undefined;
  if (kinds[0] === 'publish') {
    const publish = action.object('publish');
    const topic = publish?.string('topic', { required: true, nonEmpty: true });
    // Placeholders are filled in at run time; the rest of the topic must already be a valid topic name.
    const topicProblem = topic === undefined ? undefined : validateTopicName(topic.replace(/\{(topic|value|rule)\}/g, 'x'));
    if (topicProblem !== undefined) publish?.problem('topic', topicProblem);
    const payload = publish?.string('payload') ?? '';
    const qos = publish?.oneOf('qos', [0, 1, 2] as const) ?? 0;
    const retain = publish?.boolean('retain') ?? false;
    publish?.rejectUnknownFields();
    if (topic !== undefined && topicProblem === undefined) result = { kind: 'publish', topic, payload, qos, retain };
  } else if (kinds[0] === 'publishSaved') {
    const savedMessage = action.string('publishSaved', { nonEmpty: true });
    if (savedMessage !== undefined && !context.savedMessages.has(savedMessage)) {
      action.problem('publishSaved', `there is no saved message named "${savedMessage}"; save one with "MQTT: Save Message" or fix the name`);
    } else if (savedMessage !== undefined) result = { kind: 'publishSaved', savedMessage };
  } else if (kinds[0] === 'reconnect') {
    if (action.raw('reconnect') !== true) action.problem('reconnect', 'must be true');
    else result = { kind: 'reconnect' };
  } else {
    const command = action.string('command', { nonEmpty: true });
    const args = action.raw('args');
    if (args !== undefined && !Array.isArray(args)) action.problem('args', 'must be an array');
    else if (command !== undefined) result = { kind: 'command', command, args: (args as unknown[] | undefined) ?? [] };
  }
  action.rejectUnknownFields();
  return result;
}
