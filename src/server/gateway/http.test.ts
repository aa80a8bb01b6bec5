import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LabClient } from './client.ts';
import { startGateway, type Gateway } from './server.ts';
import { isLoopbackHost, joinCodeMatches, makeJoinCode } from './security.ts';
import { health, shutdown } from './test-helpers.ts';

// A small fake build: the gateway serves whatever dist/ holds, and these tests must not depend on
// the web app having been built.
const root = mkdtempSync(path.join(tmpdir(), 'hl-gateway-'));
const dist = path.join(root, 'dist');
mkdirSync(path.join(dist, 'assets'), { recursive: true });
writeFileSync(path.join(dist, 'index.html'), '<!doctype html><title>Handshake Lab</title><script type="module" src="/assets/index-AbCd1234.js"></script>');
writeFileSync(path.join(dist, 'assets', 'index-AbCd1234.js'), 'console.log("app");');
writeFileSync(path.join(dist, 'assets', 'style-Zz9_Yy8-.css'), 'body{}');
writeFileSync(path.join(dist, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
writeFileSync(path.join(root, 'secret.txt'), 'TOP SECRET outside dist');
symlinkSync(path.join(root, 'secret.txt'), path.join(dist, 'link.txt'));

let gw: Gateway;
let bare: Gateway; // no dist/
let coded: Gateway; // join code required

beforeAll(async () => {
  gw = await startGateway({ port: 0, distDir: dist });
  bare = await startGateway({ port: 0, distDir: path.join(root, 'missing') });
  coded = await startGateway({ port: 0, distDir: dist, joinCode: 'K7QX-M2PD' });
});
afterAll(async () => {
  await shutdown(gw, bare, coded);
  rmSync(root, { recursive: true, force: true });
});

/** A raw GET with the path exactly as given (fetch would normalise "..", which is the point of some tests). */
function raw(g: Gateway, p: string, method = 'GET', headers: Record<string, string> = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: g.host, port: g.port, path: p, method, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

function expectSecurityHeaders(h: http.IncomingHttpHeaders): void {
  const csp = String(h['content-security-policy']);
  expect(csp).toContain("default-src 'self'");
  expect(csp).toMatch(/script-src 'self'(;|$)/); // no inline script, no eval
  expect(csp).toContain("object-src 'none'");
  expect(csp).toContain("base-uri 'none'");
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toContain("worker-src 'self' blob:");
  expect(csp).toContain("img-src 'self' data: blob:");
  expect(csp).toMatch(/connect-src 'self'/);
  expect(h['x-content-type-options']).toBe('nosniff');
  expect(h['referrer-policy']).toBe('no-referrer');
  expect(h['x-frame-options']).toBe('DENY');
  expect(h['cross-origin-opener-policy']).toBe('same-origin');
}

describe('static files', () => {
  it('serves index.html for / with the security headers and no-cache', async () => {
    const r = await raw(gw, '/');
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(r.headers['cache-control']).toBe('no-cache');
    expect(r.body).toContain('<title>Handshake Lab</title>');
    expectSecurityHeaders(r.headers);
    // connect-src names this very origin for WebSocket URLs, and nothing else
    expect(String(r.headers['content-security-policy'])).toContain(`connect-src 'self' ws://${gw.host}:${gw.port} wss://${gw.host}:${gw.port};`);
  });

  it('serves hashed assets with their type and a year of immutable caching', async () => {
    const js = await raw(gw, '/assets/index-AbCd1234.js');
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(js.body).toBe('console.log("app");');
    const css = await raw(gw, '/assets/style-Zz9_Yy8-.css');
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    const svg = await raw(gw, '/favicon.svg');
    expect(svg.headers['content-type']).toBe('image/svg+xml');
    expect(svg.headers['cache-control']).toBe('no-cache'); // not hashed
    const head = await raw(gw, '/assets/index-AbCd1234.js', 'HEAD');
    expect(head.status).toBe(200);
    expect(head.headers['content-length']).toBe(String('console.log("app");'.length));
    expect(head.body).toBe('');
  });

  it('refuses every path that leads outside dist/ and never returns the file', async () => {
    const attempts = [
      '/../secret.txt',
      '/assets/../../secret.txt',
      '/%2e%2e/secret.txt',
      '/%2E%2E%2Fsecret.txt',
      '/assets/%2e%2e/%2e%2e/secret.txt',
      '/..%5csecret.txt',
      '/link.txt', // a symlink inside dist/ pointing outside
      '/%00',
      '/index.html%00.js',
      '/%E0%A4%A', // malformed percent-encoding
      '//etc/passwd',
      '/etc/passwd',
      '/assets',
      '/nope.js',
    ];
    for (const p of attempts) {
      const r = await raw(gw, p);
      expect([400, 404], `${p} → ${r.status}`).toContain(r.status);
      expect(r.body).not.toContain('TOP SECRET');
      expect(r.body).not.toContain('root:');
      expectSecurityHeaders(r.headers);
    }
  });

  it('answers other methods with 405 and GET /ws without an upgrade with 426', async () => {
    const post = await raw(gw, '/', 'POST');
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe('GET, HEAD');
    expectSecurityHeaders(post.headers);
    const ws = await raw(gw, '/ws');
    expect(ws.status).toBe(426);
  });

  it('without a build, says to run npm run build, while /healthz and /ws still work', async () => {
    const r = await raw(bare, '/');
    expect(r.status).toBe(503);
    expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(r.body).toContain('npm run build');
    expectSecurityHeaders(r.headers);
    expect((await raw(bare, '/assets/index-AbCd1234.js')).body).toContain('npm run build');
    expect((await health(bare)).ok).toBe(true);
    const c = await LabClient.connect(bare.wsUrl);
    expect(c.hello.protocol).toBe(1);
    await c.close();
  });
});

describe('/healthz', () => {
  it('reports live sessions, connections and uptime as JSON with the security headers', async () => {
    const c = await LabClient.connect(gw.wsUrl);
    const r = await raw(gw, '/healthz');
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(r.headers['cache-control']).toBe('no-store');
    expectSecurityHeaders(r.headers);
    const h = JSON.parse(r.body) as Record<string, unknown>;
    expect(Object.keys(h).sort()).toEqual(['connections', 'ok', 'sessions', 'uptimeS']);
    expect(h).toMatchObject({ ok: true, sessions: 0, connections: 1 });
    expect(typeof h.uptimeS).toBe('number');
    await c.close();
  });
});

describe('WebSocket upgrade: Origin, path and join code', () => {
  it('accepts no Origin (scripts) and the page’s own origin; refuses foreign and opaque origins with 403', async () => {
    const self = await LabClient.connect(gw.wsUrl, { headers: { Origin: `http://${gw.host}:${gw.port}` } });
    expect(self.hello.type).toBe('hello');
    await self.close();
    for (const origin of ['http://evil.example', `http://${gw.host}:${gw.port + 1}`, `https://${gw.host}.evil.example:${gw.port}`, 'null', 'file://', 'chrome-extension://abc']) {
      await expect(LabClient.connect(gw.wsUrl, { headers: { Origin: origin } }), origin).rejects.toMatchObject({ status: 403 });
    }
  });

  it('without a join code, refuses a page served under a non-loopback name (DNS rebinding: Origin and Host agree)', async () => {
    const rebound = `rebind.example:${gw.port}`;
    await expect(LabClient.connect(gw.wsUrl, { headers: { Host: rebound, Origin: `http://${rebound}` } })).rejects.toMatchObject({ status: 403 });
    for (const name of [`localhost:${gw.port}`, `lab.localhost:${gw.port}`, `[::1]:${gw.port}`]) {
      const c = await LabClient.connect(gw.wsUrl, { headers: { Host: name, Origin: `http://${name}` } });
      await c.close();
    }
    // with a join code (a classroom LAN) the teacher's address is whatever name the students use
    const lan = `teacher.lan:${coded.port}`;
    const c = await LabClient.connect(`${coded.wsUrl}?join=K7QX-M2PD`, { headers: { Host: lan, Origin: `http://${lan}` } });
    await c.close();
  });

  it('refuses other paths with 404, and the refusal carries the security headers', async () => {
    await expect(LabClient.connect(gw.wsUrl.replace('/ws', '/socket'))).rejects.toMatchObject({ status: 404 });
    const r = await raw(gw, '/ws', 'GET', { Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==', Origin: 'http://evil.example' });
    expect(r.status).toBe(403);
    expect(r.body).toContain('cross-origin');
    expectSecurityHeaders(r.headers);
  });

  it('answers a request that is not HTTP with 400 in words (431 for oversized headers), with the security headers, and keeps serving', async () => {
    /** Sends raw bytes on a fresh TCP connection; resolves with the parsed answer. */
    const send = (bytes: string) =>
      new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>((resolve, reject) => {
        const sock = net.connect(gw.port, gw.host, () => sock.end(bytes));
        let text = '';
        sock.setEncoding('latin1');
        sock.on('data', (d: string) => (text += d));
        sock.on('error', reject);
        sock.on('close', () => {
          const [head = '', body = ''] = text.split('\r\n\r\n');
          const [statusLine = '', ...lines] = head.split('\r\n');
          const headers: http.IncomingHttpHeaders = {};
          for (const l of lines) headers[l.slice(0, l.indexOf(':')).toLowerCase()] = l.slice(l.indexOf(':') + 1).trim();
          resolve({ status: Number(statusLine.split(' ')[1]), headers, body });
        });
      });
    const bad = await send('NOT HTTP AT ALL\r\n\r\n');
    expect(bad.status).toBe(400);
    expect(bad.body).toContain('not valid HTTP/1.1');
    expectSecurityHeaders(bad.headers);
    const big = await send(`GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${'a'.repeat(40_000)}\r\n\r\n`);
    expect(big.status).toBe(431);
    expect(big.body).toContain('headers are too large');
    expectSecurityHeaders(big.headers);

    expect((await health(gw)).ok).toBe(true);
  });

  it('with a join code: 401 without it, 403 when wrong, in when right (case and dash ignored)', async () => {
    await expect(LabClient.connect(coded.wsUrl)).rejects.toMatchObject({ status: 401 });
    await expect(LabClient.connect(`${coded.wsUrl}?join=`)).rejects.toMatchObject({ status: 401 });
    await expect(LabClient.connect(`${coded.wsUrl}?join=K7QX-M2PE`)).rejects.toMatchObject({ status: 403 });
    await expect(LabClient.connect(`${coded.wsUrl}?join=K7QX`)).rejects.toMatchObject({ status: 403 });
    const a = await LabClient.connect(`${coded.wsUrl}?join=K7QX-M2PD`);
    const b = await LabClient.connect(`${coded.wsUrl}?join=k7qxm2pd`);
    expect((await health(coded)).connections).toBe(2);
    await a.close();
    await b.close();
    // the page itself needs no code (it carries no session): only the WebSocket does
    expect((await raw(coded, '/')).status).toBe(200);
  });

  it('a non-loopback address gets a random join code; loopback gets none', async () => {
    const lan = await startGateway({ port: 0, host: '0.0.0.0', distDir: dist });
    try {
      expect(lan.joinCode).toMatch(/^[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}$/);
      await expect(LabClient.connect(`ws://127.0.0.1:${lan.port}/ws`)).rejects.toMatchObject({ status: 401 });
      const c = await LabClient.connect(`ws://127.0.0.1:${lan.port}/ws?join=${lan.joinCode}`);
      await c.close();
    } finally {
      await lan.close();
    }
    expect(gw.joinCode).toBeNull();
    const codes = new Set(Array.from({ length: 50 }, makeJoinCode));
    expect(codes.size).toBe(50);
    expect(joinCodeMatches('abcd-efgh', 'ABCDEFGH')).toBe(true);
    expect(joinCodeMatches('ABCDEFG', 'ABCDEFGH')).toBe(false);
    expect(['127.0.0.1', '127.1.2.3', '::1', '[::1]', 'localhost'].every(isLoopbackHost)).toBe(true);
    expect(['0.0.0.0', '192.168.1.5', '::', 'example.com'].some(isLoopbackHost)).toBe(false);
  });
});
