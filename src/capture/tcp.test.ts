import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TCP_ACK, TCP_FIN, TCP_RST, TCP_SYN, type TcpSegment } from './packet.ts';
import { TcpReassembler, type Dir, type TcpConnection } from './tcp.ts';

type Ev = { c: number; kind: 'open' | 'data' | 'fin' | 'rst' | 'gap'; dir?: Dir; bytes?: number[]; missing?: number };

function run(segs: TcpSegment[]): { events: Ev[]; conns: readonly TcpConnection[]; r: TcpReassembler } {
  const events: Ev[] = [];
  const r = new TcpReassembler({
    open: (c) => events.push({ c: c.id, kind: 'open' }),
    data: (c, dir, b) => events.push({ c: c.id, kind: 'data', dir, bytes: [...b] }),
    fin: (c, dir) => events.push({ c: c.id, kind: 'fin', dir }),
    rst: (c, dir) => events.push({ c: c.id, kind: 'rst', dir }),
    gap: (c, dir, missing) => events.push({ c: c.id, kind: 'gap', dir, missing }),
  });
  segs.forEach((s, i) => r.push(s, i));
  r.finish();
  return { events, conns: r.connections, r };
}

const A = { ip: '10.0.0.1', port: 50000 };
const B = { ip: '10.0.0.2', port: 7547 };

function seg(from: 0 | 1, seq: number, flags: number, payload: Uint8Array = new Uint8Array(0)): TcpSegment {
  const [s, d] = from === 0 ? [A, B] : [B, A];
  return { family: 4, src: s.ip, dst: d.ip, srcPort: s.port, dstPort: d.port, seq: seq >>> 0, ack: 0, flags, payload, payloadLen: payload.length };
}

const stream = (ev: Ev[], c: number, dir: Dir) => ev.filter((e) => e.c === c && e.kind === 'data' && e.dir === dir).flatMap((e) => e.bytes!);
/** Direction 0 is the first sender's; this is the direction of host A's bytes. */
const dirOfA = (c: TcpConnection): Dir => (c.a.ip === A.ip ? 0 : 1);

/** A connection's segments in send order: handshake, data chunks of both sides interleaved, FINs. */
const connection = fc
  .record({
    isn: fc.tuple(fc.oneof(fc.nat({ max: 0xffffffff }), fc.integer({ min: 0xffffff00, max: 0xffffffff })), fc.nat({ max: 0xffffffff })),
    data: fc.tuple(fc.uint8Array({ maxLength: 3000 }), fc.uint8Array({ maxLength: 3000 })),
    cuts: fc.tuple(fc.array(fc.nat(), { maxLength: 20 }), fc.array(fc.nat(), { maxLength: 20 })),
    syn: fc.boolean(),
  })
  .map(({ isn, data, cuts, syn }) => {
    const segs: TcpSegment[] = [];
    if (syn) {
      segs.push(seg(0, isn[0], TCP_SYN), seg(1, isn[1], TCP_SYN | TCP_ACK), seg(0, isn[0] + 1, TCP_ACK));
    }
    const chunks: [TcpSegment[], TcpSegment[]] = [[], []];
    for (const d of [0, 1] as const) {
      const pts = [...new Set(cuts[d].map((c) => c % (data[d].length + 1)))].sort((a, b) => a - b);
      const out: TcpSegment[] = [];
      let prev = 0;
      for (const p of [...pts, data[d].length]) {
        if (p > prev) out.push(seg(d, isn[d] + (syn ? 1 : 0) + prev, TCP_ACK, data[d].subarray(prev, p)));
        prev = p;
      }
      chunks[d] = out;
    }
    const n = Math.max(chunks[0].length, chunks[1].length);
    for (let i = 0; i < n; i++) for (const d of [0, 1] as const) if (chunks[d][i]) segs.push(chunks[d][i]!);
    for (const d of [0, 1] as const) segs.push(seg(d, isn[d] + (syn ? 1 : 0) + data[d].length, TCP_FIN | TCP_ACK));
    return { segs, data, syn, isn };
  });

describe('TCP reassembly', () => {
  it('delivers each direction in order, FIN after the data, client = SYN sender', () => {
    fc.assert(
      fc.property(connection, ({ segs, data, syn }) => {
        const { events, conns } = run(segs);
        expect(conns).toHaveLength(1);
        const a = dirOfA(conns[0]!);
        expect(stream(events, 0, a)).toEqual([...data[0]]);
        expect(stream(events, 0, a === 0 ? 1 : 0)).toEqual([...data[1]]);
        for (const d of [0, 1] as const) {
          const fin = events.findIndex((e) => e.kind === 'fin' && e.dir === d);
          expect(fin).toBeGreaterThan(events.findLastIndex((e) => e.kind === 'data' && e.dir === d));
          expect(events.filter((e) => e.kind === 'fin' && e.dir === d)).toHaveLength(1);
        }
        expect(conns[0]!.clientDir).toBe(syn ? a : null);
        expect(events.some((e) => e.kind === 'gap')).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it('out-of-order, duplicated and overlapping segments give the same byte streams', () => {
    fc.assert(
      fc.property(
        connection,
        fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 30 }),
        fc.array(fc.tuple(fc.nat(), fc.nat(), fc.nat({ max: 1 })), { maxLength: 10 }),
        fc.array(fc.nat(), { maxLength: 10 }),
        ({ segs, data, syn, isn }, swaps, overlaps, dups) => {
          const fixed = syn ? 3 : 0; // the handshake stays first (a capture without it starts at the first segment of each side)
          const body = segs.slice(fixed);
          // Retransmissions that cover arbitrary ranges already sent (overlapping several original segments).
          for (const [a, b, d] of overlaps) {
            const bytes = data[d as 0 | 1];
            if (!bytes.length) continue;
            const lo = a % bytes.length;
            const hi = lo + 1 + (b % (bytes.length - lo));
            body.push(seg(d as 0 | 1, isn[d]! + (syn ? 1 : 0) + lo, TCP_ACK, bytes.subarray(lo, hi)));
          }
          for (const i of dups) if (body.length) body.push(body[i % body.length]!);
          for (const [i, j] of swaps) {
            if (body.length < 2) break;
            const x = i % body.length;
            const y = j % body.length;
            [body[x], body[y]] = [body[y]!, body[x]!];
          }
          if (!syn) {
            // Without a SYN a direction starts where it is first seen: keep each side's first segment ahead of the others.
            for (const d of [0, 1] as const) {
              const first = segs.find((s) => s.src === (d === 0 ? A.ip : B.ip))!;
              const at = body.indexOf(first);
              body.splice(at, 1);
              body.unshift(first);
            }
          }
          const { events, r, conns } = run([...segs.slice(0, fixed), ...body]);
          const a = dirOfA(conns[0]!);
          expect(stream(events, 0, a)).toEqual([...data[0]]);
          expect(stream(events, 0, a === 0 ? 1 : 0)).toEqual([...data[1]]);
          expect(events.filter((e) => e.kind === 'fin')).toHaveLength(2);
          expect(r.stats.segments).toBe(fixed + body.length);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('sequence numbers wrap around 2^32', () => {
    const p = (s: string) => new TextEncoder().encode(s);
    const { events } = run([seg(0, 0xfffffffe, TCP_SYN), seg(1, 5, TCP_SYN | TCP_ACK), seg(0, 0xffffffff, TCP_ACK, p('ab')), seg(0, 1, TCP_ACK, p('cd')), seg(0, 0, TCP_ACK, p('bc')), seg(0, 3, TCP_FIN)]);
    expect(String.fromCharCode(...stream(events, 0, 0))).toBe('abcd');
    expect(events.filter((e) => e.kind === 'fin')).toHaveLength(1);
  });

  it('a missing segment is a gap, reported at the end with its size; the FIN still arrives', () => {
    const p = new Uint8Array(10).fill(1);
    const { events } = run([seg(0, 100, TCP_SYN), seg(1, 900, TCP_SYN | TCP_ACK), seg(0, 101, TCP_ACK, p), seg(0, 121, TCP_ACK, p), seg(0, 131, TCP_FIN | TCP_ACK)]);
    expect(stream(events, 0, 0)).toHaveLength(10);
    expect(events.slice(-2)).toEqual([
      { c: 0, kind: 'gap', dir: 0, missing: 10 },
      { c: 0, kind: 'fin', dir: 0 },
    ]);
  });

  it('RST ends the connection at once; a new SYN on the same ports is a new connection', () => {
    const p = new TextEncoder().encode('x');
    const { events, conns } = run([
      seg(0, 1000, TCP_SYN),
      seg(1, 5000, TCP_SYN | TCP_ACK),
      seg(0, 1001, TCP_ACK, p),
      seg(1, 5001, TCP_RST),
      seg(0, 1002, TCP_ACK, p), // after the reset: ignored
      seg(0, 7000, TCP_SYN),
      seg(1, 9000, TCP_SYN | TCP_ACK),
      seg(1, 9001, TCP_ACK, p),
      seg(0, 7001, TCP_FIN | TCP_ACK),
      seg(1, 9002, TCP_FIN | TCP_ACK),
      seg(0, 7002, TCP_ACK), // the last ACK: ignored
    ]);
    expect(conns).toHaveLength(2);
    expect(events.map((e) => `${e.c}:${e.kind}${e.dir ?? ''}`)).toEqual(['0:open', '0:data0', '0:rst1', '1:open', '1:data1', '1:fin0', '1:fin1']);
  });

  it('a captured SYN|ACK alone names the client; a retransmitted SYN is not a new connection', () => {
    const { conns } = run([seg(1, 5, TCP_SYN | TCP_ACK), seg(0, 10, TCP_SYN), seg(0, 10, TCP_SYN)]);
    expect(conns).toHaveLength(1);
    expect(conns[0]!.clientDir).toBe(1); // direction 0 is the first sender (the SYN|ACK), so the client is direction 1
  });
});
