/**
 * MQTT 5 PUBLISH properties as a person types them (a form, a settings file, a command argument), checked
 * field by field into the properties a Session sends. Every problem names its field so a form can show it
 * next to the input.
 */
import type { PublishProperties, UserProperty } from '../../shared/mqttMessage';
import { encodePayload } from '../payload';
import { formatCount } from '../payload/textPosition';
import { MAX_TOPIC_BYTES, utf8ByteLength, validateTopicName } from '../topics';

/** MQTT 5 PUBLISH properties as typed: numbers may arrive as strings, correlation data as text or hex. */
export interface PublishPropertiesInput {
  /** MIME type of the payload, e.g. "application/json". */
  contentType?: string;
  /** true: the payload is UTF-8 text (checked before sending); false or absent: unspecified bytes. */
  payloadFormatIndicator?: boolean;
  /** Seconds the broker keeps the message for subscribers that have not received it yet (0 to 4,294,967,295). */
  messageExpiryInterval?: number | string;
  /** Topic the receiver should answer on (a topic name: no wildcards). */
  responseTopic?: string;
  /** Correlation data, written as text or as hex digits (see `correlationDataEncoding`). */
  correlationData?: string;
  /** How `correlationData` is written: 'text' (sent as UTF-8, the default) or 'hex'. */
  correlationDataEncoding?: 'text' | 'hex';
  /** Name/value pairs in order; a name may repeat. */
  userProperties?: ReadonlyArray<readonly [string, string]>;
  /** Topic alias (1 to 65,535); only meaningful on the connection it is sent on. */
  topicAlias?: number | string;
}

/** One problem of a publish, with the field it belongs to ('topic', 'properties.userProperties[1].key', ...). */
export interface DraftProblem {
  field: string;
  message: string;
}

/** Largest values of the MQTT 5 integer properties. */
const MAX_EXPIRY = 4_294_967_295;
const MAX_ALIAS = 65_535;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The problem of an MQTT UTF-8 string (at most 65,535 bytes, no NUL, no lone surrogate), as "<label> ...". */
export function mqttStringProblem(label: string, text: string): string | undefined {
  if (text.includes('\u0000')) return `${label} must not contain the NUL character (U+0000).`;
  if (LONE_SURROGATE.test(text)) return `${label} contains an unpaired UTF-16 surrogate, which cannot be encoded as UTF-8.`;
  const bytes = utf8ByteLength(text);
  if (bytes > MAX_TOPIC_BYTES) return `${label} is ${formatCount(bytes)} bytes long; MQTT allows at most 65,535 bytes of UTF-8.`;
  return undefined;
}

/** A whole number typed as a number or a string ("60"), or undefined with a problem; "" counts as absent. */
function wholeNumber(value: number | string, min: number, max: number): number | undefined {
  const number = typeof value === 'number' ? value : value.trim() === '' ? Number.NaN : Number(value.trim());
  return Number.isInteger(number) && number >= min && number <= max ? number : undefined;
}

function shown(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

/** Set and not a blank string ("" in a form field means "not set"). */
function present<T>(value: T | undefined): value is T {
  return value !== undefined && !(typeof value === 'string' && value.trim() === '');
}

/** Correlation data bytes from text or hex, or a problem. */
function correlationBytes(input: PublishPropertiesInput, problems: DraftProblem[]): Uint8Array | undefined {
  const text = input.correlationData;
  if (text === undefined || text === '') return undefined;
  const field = 'properties.correlationData';
  const encoding = input.correlationDataEncoding ?? 'text';
  if (encoding !== 'text' && encoding !== 'hex') {
    problems.push({ field: 'properties.correlationDataEncoding', message: `Correlation data encoding must be "text" or "hex", not ${shown(encoding)}.` });
    return undefined;
  }
  const encoded = encodePayload(text, encoding);
  if (!encoded.ok) {
    problems.push({ field, message: encoded.error });
    return undefined;
  }
  if (encoded.bytes.length > MAX_TOPIC_BYTES) {
    problems.push({ field, message: `Correlation data is ${formatCount(encoded.bytes.length)} bytes long; MQTT allows at most 65,535 bytes.` });
    return undefined;
  }
  return encoded.bytes;
}

/** User properties: every name non-empty, names and values valid MQTT strings. */
function userPropertyPairs(pairs: ReadonlyArray<readonly [string, string]>, problems: DraftProblem[]): UserProperty[] {
  const result: UserProperty[] = [];
  pairs.forEach((pair, i) => {
    const at = `properties.userProperties[${i}]`;
    if (!Array.isArray(pair) || pair.length !== 2 || typeof pair[0] !== 'string' || typeof pair[1] !== 'string') {
      problems.push({ field: at, message: `User property ${i + 1} must be a name and a value (two strings).` });
      return;
    }
    const [key, value] = pair;
    const before = problems.length;
    if (key === '') problems.push({ field: `${at}.key`, message: `User property ${i + 1} needs a name.` });
    const keyProblem = mqttStringProblem(`The name of user property ${i + 1}`, key);
    if (keyProblem) problems.push({ field: `${at}.key`, message: keyProblem });
    const valueProblem = mqttStringProblem(`The value of user property ${i + 1}`, value);
    if (valueProblem) problems.push({ field: `${at}.value`, message: valueProblem });
    if (problems.length === before) result.push([key, value]);
  });
  return result;
}

/**
 * Checks typed MQTT 5 properties and converts them. Problems are appended to `problems`; the result holds the
 * valid ones (undefined when there are none). Blank strings count as "not set".
 */
export function readPublishProperties(input: PublishPropertiesInput, problems: DraftProblem[]): PublishProperties | undefined {
  const result: PublishProperties = {};
  if (present(input.contentType)) {
    const problem = mqttStringProblem('Content type', input.contentType);
    if (problem) problems.push({ field: 'properties.contentType', message: problem });
    else result.contentType = input.contentType;
  }
  if (input.payloadFormatIndicator !== undefined) {
    if (typeof input.payloadFormatIndicator !== 'boolean') {
      problems.push({ field: 'properties.payloadFormatIndicator', message: `Payload format indicator must be true (UTF-8 text) or false, not ${shown(input.payloadFormatIndicator)}.` });
    } else if (input.payloadFormatIndicator) result.payloadFormatIndicator = true;
  }
  if (present(input.messageExpiryInterval)) {
    const seconds = wholeNumber(input.messageExpiryInterval, 0, MAX_EXPIRY);
    if (seconds === undefined) {
      problems.push({ field: 'properties.messageExpiryInterval', message: `Message expiry must be a whole number of seconds from 0 to 4,294,967,295, not ${shown(input.messageExpiryInterval)}.` });
    } else result.messageExpiryInterval = seconds;
  }
  if (present(input.responseTopic)) {
    const problem = validateTopicName(input.responseTopic);
    if (problem) problems.push({ field: 'properties.responseTopic', message: problem.replace(/^Topic/, 'Response topic') });
    else result.responseTopic = input.responseTopic;
  }
  const correlationData = correlationBytes(input, problems);
  if (correlationData) result.correlationData = correlationData;
  if (input.userProperties !== undefined && input.userProperties.length > 0) {
    const pairs = userPropertyPairs(input.userProperties, problems);
    if (pairs.length > 0) result.userProperties = pairs;
  }
  if (present(input.topicAlias)) {
    const alias = wholeNumber(input.topicAlias, 1, MAX_ALIAS);
    if (alias === undefined) problems.push({ field: 'properties.topicAlias', message: `Topic alias must be a whole number from 1 to 65,535, not ${shown(input.topicAlias)}.` });
    else result.topicAlias = alias;
  }
  return Object.keys(result).length > 0 ? result : undefined;
}
