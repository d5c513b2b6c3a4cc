/** Marker appended to a cut preview. */
export const CUT_MARKER = '…';

const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * A one-line preview of a payload: its UTF-8 text with line breaks and control characters made visible, or
 * a hex dump when it is not text; at most `maxChars` characters, cut with "…". Only the first bytes are decoded.
 */
export function payloadPreview(payload: Uint8Array, maxChars = 80): string {
  if (payload.byteLength === 0) return '(empty)';
  const head = payload.subarray(0, maxChars * 4);
  const text = decodeText(head, head.byteLength < payload.byteLength);
  if (text !== undefined) {
    const oneLine = text.replace(/\r\n|\r|\n/g, '↵').replace(/\t/g, '→').replace(/\p{Cc}/gu, '·');
    const chars = [...oneLine];
    return chars.length > maxChars || head.byteLength < payload.byteLength ? `${chars.slice(0, maxChars).join('')}${CUT_MARKER}` : oneLine;
  }
  const bytes = Math.max(1, Math.floor((maxChars + 1) / 3));
  const hex = Array.from(payload.subarray(0, bytes), (b) => b.toString(16).padStart(2, '0')).join(' ');
  return `0x ${hex}${payload.byteLength > bytes ? ` ${CUT_MARKER}` : ''}`;
}

/** The text of UTF-8 bytes, or undefined when they are binary. A cut multi-byte sequence at the end is allowed. */
function decodeText(bytes: Uint8Array, mayBeCut: boolean): string | undefined {
  for (let trim = 0; trim <= (mayBeCut ? 3 : 0); trim++) {
    try {
      const text = decoder.decode(bytes.subarray(0, bytes.byteLength - trim));
      return looksLikeText(text) ? text : undefined;
    } catch {
      // Not valid UTF-8 at this length; try without a cut trailing sequence.
    }
  }
  return undefined;
}

/** Text with a few control characters is still text (a stray tab); mostly control characters is binary. */
function looksLikeText(text: string): boolean {
  let control = 0;
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    if (code < 0x20 && ch !== '\n' && ch !== '\r' && ch !== '\t') control++;
  }
  return control <= text.length / 10;
}

/** "512 B", "1.5 KB", "3.2 MB". */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** "now", "12 s", "5 min", "3 h", "2 d" ago. */
export function formatAge(fromMs: number, nowMs: number): string {
  const seconds = Math.max(0, Math.round((nowMs - fromMs) / 1000));
  if (seconds < 2) return 'now';
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)} h`;
  return `${Math.floor(seconds / 86400)} d`;
}
