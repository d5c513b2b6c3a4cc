/** Formatting of list and detail values. */

const numberFormat = new Intl.NumberFormat('en-US');

/** 12345 -> "12,345". */
export function formatCount(n: number): string {
  return numberFormat.format(n);
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** Epoch ms -> "HH:MM:SS.mmm" in local time. */
export function formatTime(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

/** Epoch ms -> "2024-05-01 12:00:00.123" in local time. */
export function formatDateTime(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${formatTime(ms)}`;
}

/** Bytes -> "512 B", "1.5 KB", "2.0 MB". */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
