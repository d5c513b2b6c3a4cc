import { DEFAULT_PORTS, PROTOCOLS, type Protocol } from './profile';

/** The address fields of a profile. */
export interface ParsedAddress {
  protocol: Protocol;
  host: string;
  port: number;
  path?: string;
}

/** "host", "host:port" or "proto://host:port/path" -> the profile's address fields, or why not. */
export function parseAddress(text: string): ParsedAddress | { error: string } {
  const trimmed = text.trim();
  if (trimmed === '') return { error: 'Enter a host name or address.' };
  const withScheme = /^[a-z]+:\/\//i.test(trimmed) ? trimmed : `mqtt://${trimmed}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return { error: `"${trimmed}" is not a host, host:port or URL.` };
  }
  const protocol = url.protocol.slice(0, -1) as Protocol;
  if (!PROTOCOLS.includes(protocol)) return { error: `Unknown protocol "${protocol}"; use mqtt, mqtts, ws or wss.` };
  if (url.hostname === '') return { error: 'Enter a host name or address.' };
  const port = url.port === '' ? DEFAULT_PORTS[protocol] : Number(url.port);
  const path = protocol === 'ws' || protocol === 'wss' ? (url.pathname === '/' ? '/mqtt' : url.pathname) : undefined;
  return { protocol, host: url.hostname.replace(/^\[(.*)\]$/, '$1'), port, ...(path ? { path } : {}) };
}
