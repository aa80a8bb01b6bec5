import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { listenEphemeral } from './listen.ts';
import { WiretapRelay, type Direction, type RelayTap } from './relay.ts';

/** What a relay's tap saw, in order. */
type Seen = { kind: 'open' | 'data' | 'end' | 'reset' | 'close'; t: number; from?: Direction; bytes?: string };

function recorder(): { tap: RelayTap; seen: Seen[]; closed: Promise<void> } {
  const seen: Seen[] = [];
  let done!: () => void;
  const closed = new Promise<void>((r) => (done = r));
  return {
    seen,
    closed,
    tap: {
      open: (_c, t) => seen.push({ kind: 'open', t }),
      data: (_c, from, bytes, t) => seen.push({ kind: 'data', t, from, bytes: Buffer.from(bytes).toString() }),
      end: (_c, from, t) => seen.push({ kind: 'end', t, from }),
      reset: (_c, from, t) => seen.push({ kind: 'reset', t, from }),
      close: (_c, t) => {
        seen.push({ kind: 'close', t });
        done();
      },
    },
  };
}

/** An upstream that answers each connection with 'pong:' + what it got, then ends; it counts connections. */
async function echoServer(): Promise<{ port: number; accepted: () => number; close: () => Promise<void> }> {
  let n = 0;
  const server = net.createServer({ allowHalfOpen: true }, (s) => {
    n++;
    const got: Buffer[] = [];
    s.on('data', (d: Buffer) => got.push(d));
    s.on('end', () => s.end(`pong:${Buffer.concat(got).toString()}`));
  });
  const { port } = await listenEphemeral(server);
  return { port, accepted: () => n, close: () => new Promise((r) => server.close(() => r())) };
}

/** Connects, sends `text`, half-closes and resolves with everything the far side sent back. */
function exchange(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const c = net.connect({ host: '127.0.0.1', port, allowHalfOpen: true }, () => c.end(text));
    const got: Buffer[] = [];
    c.on('data', (d: Buffer) => got.push(d));
    c.on('end', () => resolve(Buffer.concat(got).toString()));
    c.on('error', reject);
  });
}

async function until(what: string, ok: () => boolean, ms = 2000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0)) await c();
});

/** A relay to `target` with a recording tap, listening; closed after the test. */
async function relayTo(target: number, options: { preconnect?: boolean } = {}): Promise<{ rec: ReturnType<typeof recorder>; port: number }> {
  const rec = recorder();
  const relay = new WiretapRelay({ host: '127.0.0.1', port: target }, rec.tap, () => performance.now(), undefined, options);
  cleanup.push(() => relay.close());
  const { port } = await relay.listen();
  return { rec, port };
}

/** An echo upstream (see echoServer), closed after the test. */
async function upstream(): Promise<Awaited<ReturnType<typeof echoServer>>> {
  const up = await echoServer();
  cleanup.push(up.close);
  return up;
}

describe('WiretapRelay', () => {
  it('preconnect: the first upstream connection is open before any client, and the client uses exactly that one', async () => {
    const up = await upstream();
    const { rec, port } = await relayTo(up.port, { preconnect: true });
    await until('the spare connection at the upstream', () => up.accepted() === 1);
    expect(rec.seen).toEqual([]); // nothing is reported for a connection no client has made yet

    expect(await exchange(port, 'ping')).toBe('pong:ping');
    await rec.closed;
    expect(up.accepted()).toBe(1);
    expect(rec.seen.map((s) => `${s.kind}${s.from ? ':' + s.from : ''}${s.bytes ? ':' + s.bytes : ''}`)).toEqual([
      'open',
      'data:client:ping',
      'end:client',
      'data:server:pong:ping',
      'end:server',
      'close',
    ]);
    // The open carries the accept's time, not that of the first bytes it was reported with.
    expect(rec.seen[0]!.t).toBeLessThanOrEqual(rec.seen[1]!.t);

    // A second client gets a connection of its own, made when it arrives.
    expect(await exchange(port, 'again')).toBe('pong:again');
    expect(up.accepted()).toBe(2);
  });

  it('without preconnect nothing reaches the upstream until a client connects', async () => {
    const up = await upstream();
    const { port } = await relayTo(up.port);
    await new Promise((r) => setTimeout(r, 50));
    expect(up.accepted()).toBe(0);
    expect(await exchange(port, 'x')).toBe('pong:x');
    expect(up.accepted()).toBe(1);
  });

  it('a spare that cannot connect is dropped: the client then fails as it would have, and the tap says so', async () => {
    // A port nobody listens on: take one, then close it.
    const gone = net.createServer();
    const { port: deadPort } = await listenEphemeral(gone);
    await new Promise<void>((r) => gone.close(() => r()));
    const { rec, port } = await relayTo(deadPort, { preconnect: true });
    await new Promise((r) => setTimeout(r, 50)); // the spare's refusal comes and goes unreported
    expect(rec.seen).toEqual([]);

    const client = net.connect({ host: '127.0.0.1', port });
    const ended = new Promise<void>((r) => client.on('close', () => r()));
    client.on('error', () => {}); // the relay tears the client's side down
    await ended;
    await rec.closed;
    expect(rec.seen.map((s) => s.kind)).toEqual(['open', 'reset', 'close']);
    expect(rec.seen[1]!.from).toBe('server');
  });

  it('a client that connects and leaves without a byte is still reported: open, FIN, close', async () => {
    const up = await upstream();
    const { rec, port } = await relayTo(up.port, { preconnect: true });
    const c = net.connect({ host: '127.0.0.1', port, allowHalfOpen: true }, () => c.end());
    c.resume();
    await rec.closed;
    expect(rec.seen.map((s) => `${s.kind}${s.from ? ':' + s.from : ''}`)).toEqual(['open', 'end:client', 'data:server', 'end:server', 'close']);
    expect(rec.seen[2]!.bytes).toBe('pong:');
  });
});
