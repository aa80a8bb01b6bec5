import { randomInt, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/**
 * Security policy of the gateway: the headers every response carries, the Origin check and the
 * join code checked on the WebSocket upgrade.
 */

/** A Host header we are willing to echo into the CSP (host name or [IPv6], optional port). */
const HOST_RE = /^(?:[a-z0-9.-]{1,253}|\[[0-9a-f:.]{2,45}\])(?::\d{1,5})?$/i;

/**
 * Content-Security-Policy. No inline script anywhere (Vite emits external module scripts only).
 * style-src needs 'unsafe-inline': xterm.js writes its theme into <style> elements it creates at run
 * time, which CSP otherwise blocks (React and d3 set styles through CSSOM, which CSP allows anyway).
 * connect-src: the page's own origin, spelled out for ws:/wss: because older browsers do not let
 * 'self' match WebSocket URLs.
 */
export function contentSecurityPolicy(host: string | undefined): string {
  const ws = host && HOST_RE.test(host) ? ` ws://${host} wss://${host}` : '';
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    `connect-src 'self'${ws}`,
    "worker-src 'self' blob:",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** The headers on every HTTP response (pages, assets, /healthz, errors, refused upgrades). */
export function securityHeaders(host: string | undefined): Record<string, string> {
  return {
    'Content-Security-Policy': contentSecurityPolicy(host),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
  };
}

/** 127.0.0.0/8, ::1, localhost: addresses only this machine reaches. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127(?:\.\d{1,3}){3}$/.test(h) || h === '::ffff:127.0.0.1';
}

/** A Host header (`name[:port]`) naming this machine: a loopback address, localhost or *.localhost. */
function isLoopbackName(hostHeader: string): boolean {
  let name: string;
  try {
    name = new URL(`http://${hostHeader}`).hostname;
  } catch {
    return false;
  }
  return isLoopbackHost(name) || name.endsWith('.localhost');
}

const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'; // no 0/O, 1/I: read aloud in a classroom

/** A random join code, e.g. "K7QX-M2PD" (40 bits). */
export function makeJoinCode(): string {
  let s = '';
  for (let i = 0; i < 8; i++) s += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return `${s.slice(0, 4)}-${s.slice(4)}`;
}

function normalizeCode(code: string): string {
  return code.toUpperCase().replace(/[^A-Z0-9]/g, '');
}

/** Constant-time comparison of a presented join code with the real one (case and dashes ignored). */
export function joinCodeMatches(presented: string, expected: string): boolean {
  const a = Buffer.from(normalizeCode(presented));
  const b = Buffer.from(normalizeCode(expected));
  return a.length === b.length && timingSafeEqual(a, b);
}

export type UpgradeVerdict = { ok: true } | { ok: false; status: 401 | 403 | 404; reason: string };

/**
 * Checks a WebSocket upgrade request: the path is /ws; a browser's Origin names the same host:port
 * as its Host header (a page from another site may not drive sessions here; clients without an
 * Origin, such as tests and scripts, are not browsers and pass); the join code when one is set.
 */
export function checkUpgrade(req: IncomingMessage, joinCode: string | null): UpgradeVerdict {
  let url: URL;
  try {
    url = new URL(req.url ?? '/', 'http://gateway.invalid');
  } catch {
    return { ok: false, status: 404, reason: 'bad request path' };
  }
  if (url.pathname !== '/ws') return { ok: false, status: 404, reason: `no WebSocket endpoint at ${url.pathname} (use /ws)` };
  const origin = req.headers.origin;
  if (origin !== undefined) {
    const host = (req.headers.host ?? '').toLowerCase();
    let originHost: string | null = null;
    try {
      const o = new URL(origin);
      if (o.protocol === 'http:' || o.protocol === 'https:') originHost = o.host.toLowerCase();
    } catch {
      originHost = null;
    }
    if (originHost === null || originHost !== host) {
      return { ok: false, status: 403, reason: `cross-origin WebSocket refused: Origin ${JSON.stringify(origin)} is not this server (${host || 'no Host header'})` };
    }
    // Without a join code the server is on loopback: a page whose own host name is not a loopback
    // name reached it by DNS rebinding (evil.example resolved to 127.0.0.1), so Origin and Host agree
    // and only the name gives it away.
    if (joinCode === null && !isLoopbackName(host)) {
      return { ok: false, status: 403, reason: `WebSocket refused: the page was loaded as ${JSON.stringify(host)}, not a loopback name (open it as 127.0.0.1 or localhost)` };
    }
  }
  if (joinCode !== null) {
    const presented = url.searchParams.get('join');
    if (presented === null || presented === '') return { ok: false, status: 401, reason: 'this server requires a join code: connect to /ws?join=CODE (the code is printed where the server started)' };
    if (!joinCodeMatches(presented, joinCode)) return { ok: false, status: 403, reason: 'wrong join code' };
  }
  return { ok: true };
}
