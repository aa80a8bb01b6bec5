import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import { listenEphemeral } from '../listen.ts';

/**
 * TR-069 §3.2.2 Connection Request: the CPE listens on a plain-HTTP URL (never HTTPS) with a
 * random path; the ACS sends an HTTP GET authenticated with HTTP Digest (RFC 7616, qop=auth, MD5 as
 * TR-069 requires); the CPE answers 200 with an empty body and then opens a new session to the ACS
 * whose Inform carries '6 CONNECTION REQUEST'. Requests closer together than `minIntervalMs` get 503.
 */
export const CR_REALM = 'Handshake Lab CPE';

const md5 = (s: string) => createHash('md5').update(s).digest('hex');

/** `Digest realm="…", qop="auth", nonce="…"` → { realm, qop, nonce, … } (RFC 7616 §3.3/§3.4 auth-params). */
export function parseDigestParams(header: string): Record<string, string> {
  const out: Record<string, string> = {};
  const body = header.replace(/^\s*Digest\s+/i, '');
  for (const m of body.matchAll(/([a-zA-Z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))/g)) out[m[1]!.toLowerCase()] = m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : m[3]!;
  return out;
}

/** RFC 7616 §3.4.1 response = KD(H(A1), nonce:nc:cnonce:qop:H(A2)) with MD5 and qop=auth. */
export function digestResponse(p: { username: string; password: string; realm: string; method: string; uri: string; nonce: string; nc: string; cnonce: string; qop: string }): string {
  const ha1 = md5(`${p.username}:${p.realm}:${p.password}`);
  const ha2 = md5(`${p.method}:${p.uri}`);
  return md5(`${ha1}:${p.nonce}:${p.nc}:${p.cnonce}:${p.qop}:${ha2}`);
}

/** The Authorization header an ACS sends in answer to a Digest challenge. */
export function digestAuthorization(challenge: string, creds: { username: string; password: string }, method: string, uri: string): string {
  const c = parseDigestParams(challenge);
  const nc = '00000001';
  const cnonce = randomBytes(8).toString('hex');
  const qop = 'auth';
  const response = digestResponse({ ...creds, realm: c.realm ?? '', method, uri, nonce: c.nonce ?? '', nc, cnonce, qop });
  return `Digest username="${creds.username}", realm="${c.realm ?? ''}", nonce="${c.nonce ?? ''}", uri="${uri}", qop=${qop}, nc=${nc}, cnonce="${cnonce}", response="${response}", algorithm=MD5${c.opaque ? `, opaque="${c.opaque}"` : ''}`;
}

export interface ConnectionRequestOptions {
  credentials: () => { username: string; password: string };
  /** Called for an authenticated request that is not rate limited. */
  onRequest: () => void;
  minIntervalMs?: number;
  /** Step mode: no keep-alive, headers or request timeout (a request may wait in the relay for minutes). */
  patient?: boolean;
}

export class ConnectionRequestServer {
  readonly path = `/cr/${randomBytes(12).toString('hex')}`;
  private readonly server: http.Server;
  private readonly nonces = new Set<string>();
  private last = -Infinity;

  constructor(private readonly o: ConnectionRequestOptions) {
    this.server = http.createServer((req, res) => this.handle(req, res));
    this.server.keepAliveTimeout = o.patient ? 0 : 1000;
    if (o.patient) {
      this.server.headersTimeout = 0;
      this.server.requestTimeout = 0;
    }
  }

  async listen(): Promise<number> {
    return (await listenEphemeral(this.server)).port;
  }

  close(): void {
    this.server.closeAllConnections();
    this.server.close();
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    req.resume();
    const end = (status: number, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'Content-Length': '0', ...headers });
      res.end();
    };
    if (req.url !== this.path) return end(404);
    if (req.method !== 'GET') return end(405, { Allow: 'GET' });
    const auth = req.headers.authorization;
    const challenge = () => {
      const nonce = randomBytes(16).toString('hex');
      this.nonces.add(nonce);
      end(401, { 'WWW-Authenticate': `Digest realm="${CR_REALM}", qop="auth", nonce="${nonce}", algorithm=MD5` });
    };
    if (!auth || !/^Digest\s/i.test(auth)) return challenge();
    const p = parseDigestParams(auth);
    const creds = this.o.credentials();
    const expected =
      p.nonce && this.nonces.has(p.nonce) && p.username === creds.username && p.uri === this.path && p.qop === 'auth'
        ? digestResponse({ ...creds, realm: CR_REALM, method: 'GET', uri: this.path, nonce: p.nonce, nc: p.nc ?? '', cnonce: p.cnonce ?? '', qop: 'auth' })
        : null;
    if (!expected || expected !== p.response) return challenge();
    this.nonces.delete(p.nonce!);
    const now = Date.now();
    if (now - this.last < (this.o.minIntervalMs ?? 2000)) return end(503, { 'Retry-After': '2' }); // TR-069: the CPE may refuse too-frequent requests
    this.last = now;
    end(200);
    this.o.onRequest();
  }
}

/** The ACS side: GET with Digest, answering one challenge. Resolves with the final status. */
export function sendConnectionRequest(url: string, creds: { username: string; password: string }): Promise<number> {
  const u = new URL(url);
  const get = (authorization?: string) =>
    new Promise<{ status: number; challenge: string | undefined }>((resolve, reject) => {
      const req = http.request({ host: u.hostname, port: u.port, path: u.pathname, method: 'GET', agent: false, headers: authorization ? { Authorization: authorization } : {} }, (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, challenge: res.headers['www-authenticate'] }));
      });
      req.on('error', reject);
      req.end();
    });
  return get().then((first) => {
    if (first.status !== 401 || !first.challenge) return first.status;
    return get(digestAuthorization(first.challenge, creds, 'GET', u.pathname)).then((r) => r.status);
  });
}
