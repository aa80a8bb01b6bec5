import { afterEach, describe, expect, it } from 'vitest';
import { ConnectionRequestServer, digestResponse, parseDigestParams, sendConnectionRequest } from './connection-request.ts';

describe('Connection Request server (HTTP Digest, RFC 7616 with MD5)', () => {
  let server: ConnectionRequestServer | undefined;
  afterEach(() => server?.close());

  it('computes the RFC 2617 §3.5 example response', () => {
    // The classic example: Mufasa / Circle Of Life, qop=auth (RFC 2617 §3.5).
    expect(
      digestResponse({ username: 'Mufasa', password: 'Circle Of Life', realm: 'testrealm@host.com', method: 'GET', uri: '/dir/index.html', nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093', nc: '00000001', cnonce: '0a4f113b', qop: 'auth' }),
    ).toBe('6629fae49393a05397450978507c4ef1');
    expect(parseDigestParams('Digest realm="a b", qop="auth", nonce=xyz')).toEqual({ realm: 'a b', qop: 'auth', nonce: 'xyz' });
  });

  it('challenges, accepts the right answer once, refuses a wrong password, and rate-limits with 503', async () => {
    let calls = 0;
    server = new ConnectionRequestServer({ credentials: () => ({ username: 'acs', password: 'pw' }), onRequest: () => calls++, minIntervalMs: 60_000 });
    const port = await server.listen();
    const url = `http://127.0.0.1:${port}${server.path}`;
    expect(await sendConnectionRequest(url, { username: 'acs', password: 'wrong' })).toBe(401);
    expect(calls).toBe(0);
    expect(await sendConnectionRequest(url, { username: 'acs', password: 'pw' })).toBe(200);
    expect(calls).toBe(1);
    expect(await sendConnectionRequest(url, { username: 'acs', password: 'pw' })).toBe(503); // too soon
    expect(calls).toBe(1);
    expect(await sendConnectionRequest(`http://127.0.0.1:${port}/cr/guess`, { username: 'acs', password: 'pw' })).toBe(404);
  });
});
