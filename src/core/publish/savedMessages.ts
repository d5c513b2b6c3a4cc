/**
 * Saved messages (setting `mqttWorkbench.savedMessages`): a team's test commands kept in the repository.
 * Each entry is a publish argument object plus a `name`; every problem is kept with its entry so the view can
 * show it, and an invalid entry is never published.
 */
import { FieldReader } from '../fieldReader';
import { readPublishFields, validateFields, type PublishFields } from './publishArgument';
import type { DraftContext } from './publishRequest';

/** One entry of the setting. */
export interface SavedMessage {
  /** Position in the setting's array. */
  index: number;
  /** Its name, or "savedMessages[3]" when it has none. */
  name: string;
  /** What it is for, shown in the tooltip. */
  description?: string;
  fields: PublishFields;
  /** Sentences with the entry's path ("savedMessages[3].qos: must be one of 0, 1, 2, not 3"); empty when valid. */
  problems: string[];
}

/** The setting key, relative to the `mqttWorkbench` section. */
export const SAVED_MESSAGES_KEY = 'savedMessages';

/** Reads the setting's array; payloads in a format are checked too (a file payload is read only when used). */
export function parseSavedMessages(value: unknown, context: DraftContext = {}): SavedMessage[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) return [{ index: 0, name: SAVED_MESSAGES_KEY, fields: {}, problems: [`${SAVED_MESSAGES_KEY}: must be an array of messages`] }];
  const seen = new Set<string>();
  return value.map((item: unknown, index): SavedMessage => {
    const path = `${SAVED_MESSAGES_KEY}[${index}]`;
    const problems: string[] = [];
    const reader = FieldReader.object(item, path, problems);
    if (!reader) return { index, name: path, fields: {}, problems };
    const name = reader.string('name', { required: true, nonEmpty: true });
    const description = reader.string('description');
    const fields = readPublishFields(reader);
    reader.rejectUnknownFields();
    if (fields.topic === undefined) reader.problem('topic', 'is required');
    if (name !== undefined && seen.has(name)) reader.problem('name', `another saved message is already called "${name}"`);
    if (name !== undefined) seen.add(name);
    if (problems.length === 0 && fields.file === undefined) {
      const checked = validateFields(fields, path, context);
      if ('messages' in checked) problems.push(...checked.messages);
    }
    return { index, name: name ?? path, ...(description !== undefined ? { description } : {}), fields, problems };
  });
}

/** The raw object to store for a message (fields in a stable order, absent ones left out). */
export function savedMessageValue(name: string, fields: PublishFields): Record<string, unknown> {
  const value: Record<string, unknown> = { name };
  const order: Array<keyof PublishFields> = ['connection', 'topic', 'payload', 'file', 'format', 'protobufType', 'structType', 'qos', 'retain', 'properties'];
  for (const key of order) if (fields[key] !== undefined) value[key] = fields[key];
  return value;
}
