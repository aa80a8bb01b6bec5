/**
 * The HTTP/1.1 message shapes the CWMP engines exchange, and small pure helpers (headers, Basic auth,
 * cookies, dateTime). No I/O: the transport that puts these on sockets lives elsewhere.
 */

/** An HTTP request as the engines see it (the CPE emits these, the ACS consumes them). */
export interface HttpRequest {
  method: string;
  path: string;
  /** Header names in any case; engines look them up case-insensitively. */
  headers: Record<string, string>;
  body: string;
}

/** An HTTP response as the engines see it (the ACS emits these, the CPE consumes them). */
export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** SOAP envelopes travel as text/xml (SOAP 1.1 over HTTP). */
export const SOAP_CONTENT_TYPE = 'text/xml; charset="utf-8"';

/** Case-insensitive header lookup. */
export function getHeader(headers: Readonly<Record<string, string>>, name: string): string | undefined {
  const want = name.toLowerCase();
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === want) return v;
  return undefined;
}

const encoder = new TextEncoder();

/** Byte length of a string in UTF-8 (for Content-Length). */
export function utf8Length(s: string): number {
  return encoder.encode(s).length;
}

function base64Utf8(s: string): string {
  let bin = '';
  for (const b of encoder.encode(s)) bin += String.fromCharCode(b);
  return btoa(bin);
}

/** `Basic base64(user:password)` (RFC 7617, UTF-8). */
export function basicAuthorization(username: string, password: string): string {
  return `Basic ${base64Utf8(`${username}:${password}`)}`;
}

/** Parse a Basic Authorization header; undefined when it is absent, not Basic, or not decodable. */
export function parseBasicAuthorization(value: string | undefined): { username: string; password: string } | undefined {
  if (value === undefined) return undefined;
  const m = /^\s*Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(value);
  if (m === null) return undefined;
  let text: string;
  try {
    const bin = atob(m[1]!);
    text = new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(bin, (c) => c.charCodeAt(0)));
  } catch {
    return undefined;
  }
  const i = text.indexOf(':');
  if (i < 0) return undefined;
  return { username: text.slice(0, i), password: text.slice(i + 1) };
}

/** Cookies of a `Cookie` request header as name → value. */
export function parseCookieHeader(value: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (value === undefined) return out;
  for (const part of value.split(';')) {
    const i = part.indexOf('=');
    if (i <= 0) continue;
    out.set(part.slice(0, i).trim(), part.slice(i + 1).trim());
  }
  return out;
}

/**
 * The cookie a `Set-Cookie` header sets: name, value, and whether it deletes the cookie (Max-Age ≤ 0).
 * Several cookies folded into one header with commas are split where a comma starts a new `name=`.
 */
export function parseSetCookie(value: string | undefined): { name: string; value: string; remove: boolean }[] {
  if (value === undefined) return [];
  const out: { name: string; value: string; remove: boolean }[] = [];
  // Split on commas that begin a new cookie (not the comma inside an Expires date).
  for (const one of value.split(/,(?=\s*[^;,=\s]+=)/)) {
    const [pair, ...attrs] = one.split(';');
    const i = pair?.indexOf('=') ?? -1;
    if (pair === undefined || i <= 0) continue;
    const remove = attrs.some((a) => {
      const m = /^\s*max-age\s*=\s*(-?\d+)\s*$/i.exec(a);
      return m !== null && Number(m[1]) <= 0;
    });
    out.push({ name: pair.slice(0, i).trim(), value: pair.slice(i + 1).trim(), remove });
  }
  return out;
}

/** xsd:dateTime in UTC without fractional seconds, e.g. 2025-01-01T00:00:00Z. */
export function xsdDateTime(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** xsd:dateTime for "unknown" (TR-069: the Unknown Time). */
export const UNKNOWN_DATETIME = '0001-01-01T00:00:00Z';
