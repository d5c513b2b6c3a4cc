/**
 * The typed messages between the extension host and the message panel webview. Every message has a `type`
 * literal; requests carry a `requestId` and are answered by a message with the same id (or an `error`).
 * The webview never holds the whole history: it asks for the rows it shows, like a hex editor asks for pages.
 * Imported by both bundles: no `vscode`, no Node built-ins.
 */
import type { StructFieldRow } from './structFields';

/** A codec the panel can show a payload with (ids match src/core/payload). */
export interface CodecOption {
  id: string;
  label: string;
}

/** One row of the history list: everything the list shows, nothing more (no payload bytes). */
export interface HistoryRow {
  id: number;
  /** Epoch milliseconds. */
  time: number;
  direction: 'in' | 'out';
  topic: string;
  qos: 0 | 1 | 2;
  retain: boolean;
  dup: boolean;
  /** Payload size in bytes. */
  size: number;
  /** One-line preview of the payload (text, or hex for binary), already cut. */
  preview: string;
}

/** A property of the selected message, as a name/value row (MQTT 5 properties, user properties). */
export interface PropertyRow {
  name: string;
  value: string;
}

/** The filter of the history list. */
export interface HistoryFilterInput {
  /** MQTT topic filter (`+`, `#`); empty for all topics. */
  topicFilter: string;
  /** Text to find in the payload or topic; a regular expression when `regex` is true. */
  text: string;
  regex: boolean;
}

/** MQTT 5 properties as typed in the publish form (numbers as text; the host checks them). */
export interface PublishFormProperties {
  contentType: string;
  payloadFormatIndicator: boolean;
  messageExpiryInterval: string;
  responseTopic: string;
  correlationData: string;
  correlationDataEncoding: 'text' | 'hex';
  userProperties: Array<[string, string]>;
  topicAlias: string;
}

/** The publish form as typed. The host validates it (validateDraft) and answers with problems per field. */
export interface PublishFormDraft {
  topic: string;
  payload: string;
  /** A payload format id ('text', 'json', 'hex', 'base64', 'cbor', 'msgpack', 'protobuf'), or 'file' for the picked file. */
  format: string;
  qos: 0 | 1 | 2;
  retain: boolean;
  /** Fully qualified protobuf message type, for format 'protobuf'. */
  protobufType: string;
  /** C struct type, for format 'cstruct' (absent from older drafts). */
  structType?: string;
  /** Absent: no MQTT 5 properties. */
  properties?: PublishFormProperties;
}

/** One problem of the publish form, with the field it belongs to ('topic', 'payload', 'properties.topicAlias', ...). */
export interface FormProblem {
  field: string;
  message: string;
}

/** What the publish form offers: formats, protobuf types, and whether the connection speaks MQTT 5. */
export interface PublishSetup {
  formats: CodecOption[];
  protobufTypes: string[];
  /** Struct types of the loaded C headers. */
  structTypes: string[];
  mqtt5: boolean;
  /** Topics to complete from: recent publishes first, then topics seen on the connection. */
  topics: string[];
}

/** The capture editor's timeline header (a `.mqttcap` file shown in the message panel's list, in capture mode). */
export interface CaptureInfo {
  /** Workspace-relative path of the capture. */
  file: string;
  connection: string;
  broker: string;
  /** ISO 8601 start of the recording. */
  startedAt: string;
  /** Epoch ms of the start (row times count from it). */
  startedAtMs: number;
  messages: number;
  durationMs: number;
  topicCount: number;
  topics: Array<{ topic: string; count: number }>;
  /** Messages per bar over the duration. */
  rate: number[];
  gaps: number;
  problems: number;
  firstProblem?: string;
  /** False until the background summary pass is done (only counts are known). */
  complete: boolean;
}

/** Host -> webview. */
export type ToWebview =
  | { type: 'init'; connection: string; filter: HistoryFilterInput; codecs: CodecOption[]; paused: boolean }
  | {
      type: 'status';
      /** Rows in the filtered view. */
      count: number;
      /** Stable index of the view's first row: row `index` is at position `index - offset`. */
      offset: number;
      /** Messages the history dropped (count/bytes limits) since it started. */
      dropped: number;
      /** Messages in the whole history (unfiltered). */
      total: number;
      paused: boolean;
      /** Why the filter is not valid ("'#' must be the last level..."), shown next to it. */
      filterError?: string;
      connectionState: string;
      /** The newest rows, for a list that follows the end (see `follow`): it needs not ask for them. */
      tail?: { start: number; rows: HistoryRow[] };
    }
  | { type: 'rows'; requestId: number; start: number; rows: HistoryRow[] }
  | {
      type: 'detail';
      requestId: number;
      id: number;
      /** The codec asked for ('auto' resolved to the one used). */
      codec: string;
      /** Decoded text, or empty when decoding failed. */
      text: string;
      language: 'json' | 'text' | 'hex';
      /** Decoding problem, with its position ("Not valid CBOR at byte 12: ..."). */
      error?: string;
      notes: string[];
      properties: PropertyRow[];
      row: HistoryRow;
      /** Value path a chart of this topic starts with ('' = the payload is a number); absent when nothing to chart. */
      chartPath?: string;
      /** C struct: the fields with their byte ranges, shown as a tree beside the hex view. */
      structFields?: StructFieldRow[];
      /** C struct: the payload bytes as hex digits (at most 64 KB) for the hex view. */
      payloadHex?: string;
    }
  | {
      type: 'series';
      requestId: number;
      topic: string;
      /** Oldest first: [epoch ms, value]. */
      points: Array<[number, number]>;
      /** Messages of the topic without a number at the path. */
      skipped: number;
      /** Why the path is not valid. */
      error?: string;
    }
  | { type: 'publishSetup'; setup: PublishSetup }
  | { type: 'publishChecked'; requestId: number; problems: FormProblem[] }
  | {
      type: 'published';
      requestId: number;
      /** False when nothing was sent or queued: `problems` or `summary` says why. */
      ok: boolean;
      /** "Acknowledged in 3 ms", "Queued: 2 waiting for the connection", or the broker's refusal. */
      summary: string;
      problems: FormProblem[];
      /** The reply to a request ("Publish and Wait for Response"), as text. */
      response?: { topic: string; text: string };
    }
  | { type: 'payloadFile'; requestId: number; name: string; size: number }
  | { type: 'error'; requestId?: number; message: string }
  | { type: 'captureInfo'; info: CaptureInfo }
  /** A replay of the shown capture reached `t` (microseconds since its start), or paused, or ended. */
  | { type: 'replayCursor'; t: number; sent: number; state: 'running' | 'paused' | 'done' };

/** Webview -> host. */
export type FromWebview =
  | { type: 'ready' }
  | { type: 'setFilter'; filter: HistoryFilterInput }
  | { type: 'getRows'; requestId: number; start: number; count: number }
  | { type: 'getDetail'; requestId: number; id: number; codec: string }
  | { type: 'setPaused'; paused: boolean }
  | { type: 'clear' }
  | { type: 'export'; format: 'jsonl' | 'csv'; scope: 'all' | 'filtered' }
  | { type: 'copy'; id: number; what: 'raw' | 'formatted'; codec: string }
  | { type: 'openInEditor'; id: number; codec: string }
  | { type: 'compareWithPrevious'; id: number; codec: string }
  | { type: 'getSeries'; requestId: number; id: number; path: string }
  /** Pin the value at `path` of this message's topic in the Watches view. */
  | { type: 'watchValue'; id: number; path: string }
  /** The list follows the newest messages and shows `rows` rows (0: it stopped following). */
  | { type: 'follow'; rows: number }
  | { type: 'getPublishSetup' }
  | { type: 'checkPublish'; requestId: number; draft: PublishFormDraft }
  | { type: 'publish'; requestId: number; draft: PublishFormDraft }
  | { type: 'request'; requestId: number; draft: PublishFormDraft }
  | { type: 'pickPayloadFile'; requestId: number }
  /** Capture editor: replay the shown capture. */
  | { type: 'replay' }
  /** Capture editor: pause the replays under way, or resume them. */
  | { type: 'pauseReplay' };

/** Most points a chart shows (the newest of the topic). */
export const MAX_SERIES_POINTS = 500;

/** Longest value path the chart takes. */
export const MAX_VALUE_PATH_LENGTH = 200;

/** Most rows one getRows may ask for. */
export const MAX_ROWS_PER_REQUEST = 500;
/** Most rows a status carries for a following list. */
export const MAX_TAIL_ROWS = 200;
