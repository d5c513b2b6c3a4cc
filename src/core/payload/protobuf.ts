import type { DecodeContext, DecodeResult, EncodeContext, EncodeResult, PayloadCodec } from './types';
import type { ProtoRegistry } from './protoRegistry';
import { parseJson } from './json';
import { protoDecode, protoEncode } from './protoJson';
import { mappedType } from './mappedType';
import { tooLargeForPreview } from './previewLimit';

/** The message type to use: explicit `protoType`, else the topic mapping. */
export function protoTypeFor(context: DecodeContext | undefined): string | undefined {
  return mappedType(context?.protoType, context?.topic, context?.protoTypeForTopic);
}

/** Resolves the registry and type name, or explains which is missing. */
function lookup(registry: ProtoRegistry | undefined, typeName: string | undefined): ReturnType<ProtoRegistry['lookupType']> {
  if (typeName === undefined) return { ok: false, error: 'No protobuf message type chosen: map this topic to a type in settings, or pick one.' };
  if (registry === undefined) return { ok: false, error: `Protobuf type "${typeName}" is not defined in mqttWorkbench.protobuf.files (no .proto files are loaded).` };
  return registry.lookupType(typeName);
}

/** Protobuf with the user's .proto files (protobufjs): decode to JSON, encode from JSON with validation. */
export const protobufCodec: PayloadCodec = {
  id: 'protobuf',
  label: 'Protobuf',
  decode(bytes: Uint8Array, context?: DecodeContext): DecodeResult {
    const tooLarge = tooLargeForPreview(bytes, context);
    if (tooLarge) return tooLarge;
    const found = lookup(context?.proto, protoTypeFor(context));
    if (!found.ok) return found;
    const decoded = protoDecode(found.type, bytes, true);
    if (!decoded.ok) return decoded;
    return { ok: true, text: JSON.stringify(decoded.value, null, 2), language: 'json', value: decoded.value };
  },
  encode(text: string, context?: EncodeContext): EncodeResult {
    const found = lookup(context?.proto, context?.protoType);
    if (!found.ok) return found;
    const parsed = parseJson(text);
    if (!parsed.ok) return parsed;
    return protoEncode(found.type, parsed.value);
  },
  detect(_bytes: Uint8Array, context?: DecodeContext): number {
    // Protobuf cannot be recognised from bytes; a topic mapping to a known type is the user saying so.
    const typeName = protoTypeFor(context);
    return typeName !== undefined ? 0.98 : 0; // even when undefined: the error then says so
  },
};
