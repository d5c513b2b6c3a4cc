import { formatCount } from './textPosition';
import type { DecodeContext, DecodeResult } from './types';

/**
 * The refusal of a structured codec (CBOR, MessagePack, Protobuf, Sparkplug) to decode a payload larger than the
 * preview's byte limit (`context.maxBytes`, set for list previews only); `undefined` when it may decode.
 */
export function tooLargeForPreview(bytes: Uint8Array, context: DecodeContext | undefined): DecodeResult | undefined {
  if (context?.maxBytes === undefined || bytes.length <= context.maxBytes) return undefined;
  return { ok: false, error: `Payload of ${formatCount(bytes.length)} bytes is larger than the ${formatCount(context.maxBytes)} bytes decoded in a preview; select the message to see it all.` };
}
