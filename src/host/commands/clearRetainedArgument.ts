import { FieldReader } from '../../core/fieldReader';
import { SessionError } from '../../core/session';
import { validateTopicName } from '../../core/topics';

/** `mqttWorkbench.clearRetainedSubtree` from a keybinding, a task or another extension. */
export interface ClearRetainedArgument {
  readonly connection: string;
  /** The topic whose retained message, and those of every topic below it, are cleared. */
  readonly topic: string;
  /** False skips the confirmation dialog (default true). */
  readonly confirm: boolean;
}

/** True for `{ connection, ... }`: an argument object rather than a Topics view node. */
export function isClearRetainedArgument(argument: unknown): argument is Readonly<Record<string, unknown>> {
  return typeof argument === 'object' && argument !== null && !Array.isArray(argument) && 'connection' in argument;
}

/** Reads `{ connection, topic, confirm? }`; throws a SessionError listing every problem. */
export function readClearRetainedArgument(argument: Readonly<Record<string, unknown>>): ClearRetainedArgument {
  const problems: string[] = [];
  const reader = new FieldReader(argument, 'clearRetainedSubtree', problems);
  const connection = reader.string('connection', { required: true, nonEmpty: true });
  const topic = reader.string('topic', { required: true });
  const topicProblem = topic === undefined ? undefined : validateTopicName(topic);
  if (topicProblem) reader.problem('topic', topicProblem);
  const confirm = reader.boolean('confirm');
  reader.rejectUnknownFields();
  if (problems.length > 0 || connection === undefined || topic === undefined) throw new SessionError(`Nothing was cleared: ${problems.join('; ')}`);
  return { connection, topic, confirm: confirm ?? true };
}
