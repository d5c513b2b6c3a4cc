import type { StructFieldRow } from '../../shared/structFields';
import type { StructRegistry } from './cstruct/registry';
import type { ProtoRegistry } from './protoRegistry';

/** Identifiers of the payload formats, as stored in settings and sent between host and webview. */
export type CodecId = 'text' | 'json' | 'hex' | 'base64' | 'cbor' | 'msgpack' | 'protobuf' | 'sparkplug' | 'cstruct';

/** What is known about a message besides its bytes; every field is optional. */
export interface DecodeContext {
  /** Topic the message was received on (or will be published to). */
  topic?: string;
  /** MQTT 5 content type property, e.g. "application/json". */
  contentType?: string;
  /** MQTT 5 payload format indicator: true means the sender declares the payload to be UTF-8 text. */
  payloadFormatIndicator?: boolean;
  /** Message types from the user's .proto files (setting `mqttWorkbench.protobuf.files`). */
  proto?: ProtoRegistry;
  /** Maps a topic to a fully qualified protobuf message type, from the topic filter -> type setting. */
  protoTypeForTopic?: (topic: string) => string | undefined;
  /** Fully qualified protobuf message type to use; wins over `protoTypeForTopic`. */
  protoType?: string;
  /** Struct types of the user's C headers (setting `mqttWorkbench.structs`). */
  structs?: StructRegistry;
  /** Maps a topic to a C struct type name, from the `mqttWorkbench.structs.types` setting. */
  structTypeForTopic?: (topic: string) => string | undefined;
  /** C struct type to use ("telemetry_t"); wins over `structTypeForTopic`. */
  structType?: string;
  /** Also list the decoded fields with their offsets (`DecodeSuccess.fields`), for the detail pane. */
  describeFields?: boolean;
  /**
   * Decode at most this many bytes (previews of large payloads). Codecs that can show a prefix (text, hex,
   * base64) cut and say so; structured codecs refuse a cut payload rather than decode a broken prefix.
   */
  maxBytes?: number;
}

/** Options of an encoder (the publish form). */
export interface EncodeContext {
  /** Output layout of the JSON codec: "minify" (default) or "pretty" (2 spaces). */
  jsonStyle?: 'minify' | 'pretty';
  /** Message types for the protobuf codec. */
  proto?: ProtoRegistry;
  /** Fully qualified message type for the protobuf codec, e.g. "acme.sensors.Reading". */
  protoType?: string;
  /** Struct types for the C struct codec. */
  structs?: StructRegistry;
  /** C struct type to encode, e.g. "telemetry_t". */
  structType?: string;
}

/** Successful decoding: the text to show, how to color it, and the decoded value when there is one. */
export interface DecodeSuccess {
  ok: true;
  /** Text for display (never HTML: show it with textContent). */
  text: string;
  /** Syntax coloring to apply. */
  language: 'json' | 'text' | 'hex';
  /** Decoded value (JSON, CBOR, MessagePack, protobuf), e.g. for charting a JSON path. */
  value?: unknown;
  /** Sentences to show beside the text, e.g. "3 bytes are not valid UTF-8 (shown as \xNN)." */
  notes?: string[];
  /** True when only the first `maxBytes` bytes were decoded. */
  truncated?: boolean;
  /** Fields with their byte ranges (C struct, when `describeFields` was asked). */
  fields?: StructFieldRow[];
}

/** Failed decoding: a sentence for the user and the byte offset of the problem when known. */
export interface DecodeFailure {
  ok: false;
  /** E.g. "Not valid CBOR at byte 12: unexpected end of input". */
  error: string;
  /** Byte offset in the payload where the problem was found. */
  offset?: number;
}

/** Result of a decoder: never thrown, always returned. */
export type DecodeResult = DecodeSuccess | DecodeFailure;

/** Failed encoding: a sentence for the user and where in the typed text the problem is, when known. */
export interface EncodeFailure {
  ok: false;
  /** E.g. "Not valid JSON at line 3, column 5 (byte 27): expected ',' or '}'". */
  error: string;
  /** UTF-8 byte offset in the input text. */
  offset?: number;
  /** 1-based line in the input text. */
  line?: number;
  /** 1-based column (in characters) in the input text. */
  column?: number;
}

/** Result of an encoder: never thrown, always returned. */
export type EncodeResult = { ok: true; bytes: Uint8Array } | EncodeFailure;

/** One payload format. Implementations never throw. */
export interface PayloadCodec {
  /** Stable identifier. */
  readonly id: CodecId;
  /** Name shown in the format selector. */
  readonly label: string;
  /** Bytes -> display text. */
  decode(bytes: Uint8Array, context?: DecodeContext): DecodeResult;
  /** Typed text -> bytes (publish form); absent when the format cannot be typed. */
  encode?(text: string, context?: EncodeContext): EncodeResult;
  /** Confidence 0..1 that the bytes are in this format (used by "Auto"). */
  detect?(bytes: Uint8Array, context?: DecodeContext): number;
}
