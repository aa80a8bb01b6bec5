import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireTool } from '../../../test/tools.ts';
import type { StartConfig } from '../../protocol/ws.ts';
import { LabClient } from './client.ts';
import { startGateway, type Gateway } from './server.ts';
import { childPids, health, openFds, shutdown, until } from './test-helpers.ts';

const HAVE_OPENSSL = requireTool('openssl', 'openssl', 'gateway sessions with the openssl verifier');

let gw: Gateway;
beforeAll(async () => {
  gw = await startGateway({ port: 0, limits: { startsPerMinute: 100_000 } });
});
afterAll(() => shutdown(gw));

/** Waits for descriptors and children to come back to the baseline (allowing `slack` descriptors), returns what it saw. */
async function settled(fds0: number, kids0: number, slack = 3): Promise<{ fds: number; kids: number[] }> {
  let seen = { fds: openFds(), kids: childPids() };
  await until(() => {
    seen = { fds: openFds(), kids: childPids() };
    return seen.fds <= fds0 + slack && seen.kids.length <= kids0;
  }, 8000, 100);
  return seen;
}

describe('resources come back to baseline', () => {
  it('500 sessions in a row (4 at a time, some with the openssl verifier) leave descriptors and child processes at baseline', async () => {
    const c = await LabClient.connect(gw.wsUrl, { keepEvents: false, validate: false });
    const configs = (i: number): StartConfig => (HAVE_OPENSSL && i % 25 === 0 ? { tls: i % 2 ? '1.2' : '1.3', verifier: 'openssl' } : { tls: i % 3 === 0 ? '1.2' : '1.3', cwmp: false });
    // Warm up: the wire worker, the key pool, OpenSSL contexts, the certificates — then measure.
    for (let i = 0; i < 8; i++) await c.run(configs(i * 25));
    await new Promise((r) => setTimeout(r, 300));
    const fds0 = openFds();
    const kids0 = childPids().length;

    let next = 0;
    let ok = 0;
    const worker = async () => {
      while (next < 500) {
        const i = next++;
        const r = await c.run(configs(i), 60_000);
        const last = r.endReason;
        if (last === 'finished') ok++;
      }
    };
    await Promise.all([worker(), worker(), worker(), worker()]);
    expect(ok).toBe(500);
    const seen = await settled(fds0, kids0);
    expect(seen.kids).toHaveLength(kids0);
    expect(seen.fds).toBeLessThanOrEqual(fds0 + 3);
    expect(await health(gw)).toMatchObject({ ok: true, sessions: 0, connections: 1 });
    await c.close();
  }, 80_000);

  it.runIf(HAVE_OPENSSL)('a WebSocket dropped mid-handshake (step mode, openssl verifier) frees the session, its sockets and its openssl processes', async () => {
    await new Promise((r) => setTimeout(r, 200));
    const fds0 = openFds();
    const kids0 = childPids().length;
    const c = await LabClient.connect(gw.wsUrl);
    const s = await c.start({ tls: '1.3', verifier: 'openssl', mode: 'step' }, 20_000);
    await s.until(() => s.pending.length > 0);
    s.step('record'); // the ClientHello reaches s_server
    await s.until(() => s.pending.some((p) => p.from === 'server'), 10_000);
    expect(s.events.some((e) => e.kind === 'message' && e.name === 'ClientHello')).toBe(true);
    expect(childPids().length).toBeGreaterThanOrEqual(kids0 + 2); // s_server and s_client are running
    expect((await health(gw)).sessions).toBe(1);
    c.ws.terminate(); // the tab is gone: no close frame, just the TCP connection closing
    expect(await until(async () => {
      const h = await health(gw);
      return h.sessions === 0 && h.connections === 0;
    }, 5000)).toBe(true);
    const seen = await settled(fds0, kids0);
    expect(seen.kids).toHaveLength(kids0);
    expect(seen.fds).toBeLessThanOrEqual(fds0 + 3); // (+ the keep-alive socket of the /healthz fetch)
  });

  it('a WebSocket closed mid-handshake (step mode, node verifier, CWMP) frees everything too', async () => {
    await new Promise((r) => setTimeout(r, 200));
    const fds0 = openFds();
    const c = await LabClient.connect(gw.wsUrl);
    const s = await c.start({ tls: '1.3', mode: 'step' });
    await s.until(() => s.pending.length > 0);
    s.step('flight');
    await s.until(() => s.pending.some((p) => p.from === 'server'), 10_000);
    await c.close();
    expect(await until(async () => (await health(gw)).sessions === 0, 5000)).toBe(true);
    const seen = await settled(fds0, childPids().length);
    expect(seen.fds).toBeLessThanOrEqual(fds0 + 3);
  });
});
