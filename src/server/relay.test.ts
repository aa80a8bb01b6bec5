import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { listenAt, listenEphemeral } from './listen.ts';
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

/** How the upstream treats the first connection it accepts (the relay's spare, with preconnect). */
type First = 'echo' | 'fin' | 'speak' | 'reset';

/**
 * An upstream that answers each connection with 'pong:' + what it got, then ends; it counts
 * connections and can treat the first one otherwise (half-close it, speak first, reset it).
 */
async function echoServer(first: First = 'echo', port = 0): Promise<{ port: number; accepted: () => number; closedByPeer: () => number; close: () => Promise<void> }> {
  let n = 0;
  let peerClosed = 0;
  const server = net.createServer({ allowHalfOpen: true }, (s) => {
    const mine = n++ === 0 ? first : 'echo';
    s.on('error', () => {});
    s.once('close', () => peerClosed++);
    if (mine === 'fin') return void s.end();
    if (mine === 'speak') s.write('hello first');
    if (mine === 'reset') return void s.resetAndDestroy();
    const got: Buffer[] = [];
    s.on('data', (d: Buffer) => got.push(d));
    s.on('end', () => s.end(`pong:${Buffer.concat(got).toString()}`));
  });
  const a = await listenAt(server, port);
  return { port: a.port, accepted: () => n, closedByPeer: () => peerClosed, close: () => new Promise((r) => server.close(() => r())) };
}

/** Connects, sends `text`, half-closes and resolves with everything the far side sent back (fails after 3 s). */
function exchange(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const c = net.connect({ host: '127.0.0.1', port, allowHalfOpen: true }, () => c.end(text));
    const timer = setTimeout(() => {
      c.destroy();
      reject(new Error(`no answer to '${text}' within 3 s`));
    }, 3000);
    const got: Buffer[] = [];
    c.on('data', (d: Buffer) => got.push(d));
    c.on('end', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(got).toString());
    });
    c.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
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
  // Last made, first closed: the relay before the upstream it holds connections to.
  for (const c of cleanup.splice(0).reverse()) await c();
});

/** A relay to `target` with a recording tap, listening; closed after the test. */
async function relayTo(target: number, options: { preconnect?: boolean } = {}): Promise<{ rec: ReturnType<typeof recorder>; port: number; relay: WiretapRelay }> {
  const rec = recorder();
  const relay = new WiretapRelay({ host: '127.0.0.1', port: target }, rec.tap, () => performance.now(), undefined, options);
  cleanup.push(() => relay.close());
  const { port } = await relay.listen();
  return { rec, port, relay };
}

/** An echo upstream (see echoServer), closed after the test. */
async function upstream(first: First = 'echo', port = 0): Promise<Awaited<ReturnType<typeof echoServer>>> {
  const up = await echoServer(first, port);
  cleanup.push(up.close);
  return up;
}

/** A loopback port nobody listens on (taken, then freed). */
async function freePort(): Promise<number> {
  const probe = net.createServer();
  const { port } = await listenEphemeral(probe);
  await new Promise<void>((r) => probe.close(() => r()));
  return port;
}

const story = (seen: Seen[]) => seen.map((s) => `${s.kind}${s.from ? ':' + s.from : ''}${s.bytes ? ':' + s.bytes : ''}`);

describe('WiretapRelay', () => {
  it('preconnect: the first upstream connection is open before any client, and the client uses exactly that one', async () => {
    const up = await upstream();
    const { rec, port } = await relayTo(up.port, { preconnect: true });
    await until('the spare connection at the upstream', () => up.accepted() === 1);
    expect(rec.seen).toEqual([]); // nothing is reported for a connection no client has made yet

    expect(await exchange(port, 'ping')).toBe('pong:ping');
    await rec.closed;
    expect(up.accepted()).toBe(1);
    expect(story(rec.seen)).toEqual(['open', 'data:client:ping', 'end:client', 'data:server:pong:ping', 'end:server', 'close']);

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

  // A spare the server touched before any client came is not the client's connection: it is
  // dropped, the client gets a fresh one, and what happened to the spare is not reported as its.
  for (const [first, what] of [
    ['fin', 'half-closed (FIN)'],
    ['speak', 'spoken on'],
    ['reset', 'reset'],
  ] as const) {
    it(`a spare the server ${what} before any client is dropped; the client gets a fresh connection`, async () => {
      const up = await upstream(first);
      const { rec, port } = await relayTo(up.port, { preconnect: true });
      await until('the spare at the upstream', () => up.accepted() === 1);
      await new Promise((r) => setTimeout(r, 50)); // what the server did to it has reached the relay
      expect(await exchange(port, 'ping')).toBe('pong:ping');
      await rec.closed;
      expect(up.accepted()).toBe(2);
      expect(story(rec.seen)).toEqual(['open', 'data:client:ping', 'end:client', 'data:server:pong:ping', 'end:server', 'close']);
    });
  }

  it('a spare that could not connect is dropped; a client arriving once the server is up gets through', async () => {
    const later = await freePort();
    const { rec, port } = await relayTo(later, { preconnect: true });
    await new Promise((r) => setTimeout(r, 50)); // the spare's refusal comes and goes, unreported
    expect(rec.seen).toEqual([]);
    const up = await upstream('echo', later);
    expect(await exchange(port, 'ping')).toBe('pong:ping');
    expect(up.accepted()).toBe(1);
  });

  it('with nothing listening, the client fails as it would without preconnect, and the tap says so', async () => {
    const dead = await freePort();
    const { rec, port } = await relayTo(dead, { preconnect: true });
    const client = net.connect({ host: '127.0.0.1', port });
    client.on('error', () => {}); // the relay tears the client's side down
    await new Promise<void>((r) => client.on('close', () => r()));
    await rec.closed;
    expect(story(rec.seen)).toEqual(['open', 'reset:server', 'close']);
  });

  it('close() with a spare no client used closes it at the upstream', async () => {
    const up = await upstream();
    const { relay } = await relayTo(up.port, { preconnect: true });
    await until('the spare at the upstream', () => up.accepted() === 1);
    await relay.close();
    await until('the upstream to see the spare closed', () => up.closedByPeer() === 1);
  });

  it('a client that connects and leaves without a byte is still reported: open, FIN, close', async () => {
    const up = await upstream();
    const { rec, port } = await relayTo(up.port, { preconnect: true });
    const c = net.connect({ host: '127.0.0.1', port, allowHalfOpen: true }, () => c.end());
    c.resume();
    await rec.closed;
    expect(story(rec.seen)).toEqual(['open', 'end:client', 'data:server:pong:', 'end:server', 'close']);
  });
});
