import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import {
  BLOCK_DSB,
  BLOCK_EPB,
  BLOCK_IDB,
  BLOCK_SHB,
  SECRETS_TYPE_TLS_KEYLOG,
  TCP_ACK,
  TCP_FIN,
  TCP_PSH,
  TCP_RST,
  TCP_SYN,
  writePcapng,
} from './pcapng.ts';
import type { PcapConnectionInput, PcapStreamEvent } from './pcapng.ts';
import { concat } from '../../test/bytes.ts';

// ---------------------------------------------------------------------------------------------
// An independent reader for what the writer produces (plain asserts: it runs per frame on MBs)
// ---------------------------------------------------------------------------------------------

function ok(cond: boolean, what: string): void {
  if (!cond) throw new Error(`pcapng check failed: ${what}`);
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

interface Block {
  type: number;
  offset: number;
  length: number;
  body: Uint8Array;
}

function parseBlocks(file: Uint8Array): Block[] {
  const dv = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const blocks: Block[] = [];
  let o = 0;
  while (o < file.length) {
    ok(o % 4 === 0, 'block aligned to 4');
    ok(file.length - o >= 12, 'room for a block');
    const type = dv.getUint32(o, true);
    const length = dv.getUint32(o + 4, true);
    ok(length % 4 === 0 && length >= 12, `block length ${length}`);
    ok(o + length <= file.length, 'block inside the file');
    ok(dv.getUint32(o + length - 4, true) === length, 'trailing length equals leading length');
    blocks.push({ type, offset: o, length, body: file.subarray(o + 8, o + length - 4) });
    o += length;
  }
  ok(o === file.length, 'blocks fill the file');
  return blocks;
}

/** Options (§3.5) starting at `at` in a block body, until opt_endofopt. */
function parseOptions(body: Uint8Array, at: number): Map<number, string> {
  const dv = new DataView(body.buffer, body.byteOffset, body.byteLength);
  const out = new Map<number, string>();
  let o = at;
  for (;;) {
    const code = dv.getUint16(o, true);
    const len = dv.getUint16(o + 2, true);
    if (code === 0) {
      expect(len).toBe(0);
      expect(o + 4).toBe(body.length);
      return out;
    }
    out.set(code, new TextDecoder().decode(body.subarray(o + 4, o + 4 + len)));
    o += 4 + ((len + 3) & ~3);
  }
}

function inetChecksum(chunks: Uint8Array[]): number {
  let s = 0;
  for (const c of chunks) {
    ok(c.length % 2 === 0 || c === chunks[chunks.length - 1], 'only the last chunk may be odd');
    for (let i = 0; i < c.length; i += 2) s += ((c[i] ?? 0) << 8) | (c[i + 1] ?? 0);
  }
  while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
  return s;
}

interface Seg {
  tUs: number;
  srcIp: string;
  dstIp: string;
  srcPort: number;
  dstPort: number;
  seq: number;
  ack: number;
  flags: number;
  window: number;
  ipId: number;
  payload: Uint8Array;
}

function decodeFrame(frame: Uint8Array, tUs: number): Seg {
  const dv = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  ok((frame[0]! & 0x03) === 0x02, 'destination MAC'); // unicast, locally administered
  ok((frame[6]! & 0x03) === 0x02, 'source MAC');
  ok(dv.getUint16(12) === 0x0800, 'dv.getUint16(12)');
  const ip = frame.subarray(14);
  const ipDv = new DataView(ip.buffer, ip.byteOffset, ip.byteLength);
  ok(ip[0] === 0x45, 'ip[0]');
  const totalLen = ipDv.getUint16(2);
  ok(totalLen === ip.length, 'totalLen');
  ok(ipDv.getUint16(6) === 0x4000, 'ipDv.getUint16(6)'); // DF
  ok(ip[8] === 64, 'ip[8]');
  ok(ip[9] === 6, 'ip[9]');
  ok(inetChecksum([ip.subarray(0, 20)]) === 0xffff, 'IPv4 header checksum');
  const tcp = ip.subarray(20);
  const tDv = new DataView(tcp.buffer, tcp.byteOffset, tcp.byteLength);
  const pseudo = new Uint8Array(12);
  pseudo.set(ip.subarray(12, 20));
  pseudo[9] = 6;
  new DataView(pseudo.buffer).setUint16(10, tcp.length);
  ok(inetChecksum([pseudo, tcp]) === 0xffff, 'TCP checksum');
  const hdrLen = (tcp[12]! >> 4) * 4;
  return {
    tUs,
    srcIp: Array.from(ip.subarray(12, 16)).join('.'),
    dstIp: Array.from(ip.subarray(16, 20)).join('.'),
    srcPort: tDv.getUint16(0),
    dstPort: tDv.getUint16(2),
    seq: tDv.getUint32(4),
    ack: tDv.getUint32(8),
    flags: tcp[13]!,
    window: tDv.getUint16(14),
    ipId: ipDv.getUint16(4),
    payload: tcp.subarray(hdrLen),
  };
}

interface Parsed {
  blocks: Block[];
  userappl: string | undefined;
  comment: string | undefined;
  keyLog: string | undefined;
  segs: Seg[];
}

function parsePcapng(file: Uint8Array): Parsed {
  const blocks = parseBlocks(file);
  const [shb, idb] = blocks;
  expect(shb?.type).toBe(BLOCK_SHB);
  const shbDv = new DataView(shb!.body.buffer, shb!.body.byteOffset, shb!.body.byteLength);
  expect(shbDv.getUint32(0, true)).toBe(0x1a2b3c4d);
  expect(shbDv.getUint16(4, true)).toBe(1);
  expect(shbDv.getUint16(6, true)).toBe(0);
  const shbOpts = parseOptions(shb!.body, 16);
  expect(idb?.type).toBe(BLOCK_IDB);
  const idbDv = new DataView(idb!.body.buffer, idb!.body.byteOffset, idb!.body.byteLength);
  expect(idbDv.getUint16(0, true)).toBe(1); // LINKTYPE_ETHERNET
  expect([0, 262144]).toContain(idbDv.getUint32(4, true));
  const idbOpts = parseOptions(idb!.body, 8);
  expect(idbOpts.has(9)).toBe(false); // if_tsresol absent: microseconds
  let keyLog: string | undefined;
  const segs: Seg[] = [];
  for (const b of blocks.slice(2)) {
    const dv = new DataView(b.body.buffer, b.body.byteOffset, b.body.byteLength);
    if (b.type === BLOCK_DSB) {
      expect(segs).toHaveLength(0); // secrets come before the packets
      expect(dv.getUint32(0, true)).toBe(SECRETS_TYPE_TLS_KEYLOG);
      const len = dv.getUint32(4, true);
      expect(b.body.length).toBe(8 + ((len + 3) & ~3));
      keyLog = new TextDecoder().decode(b.body.subarray(8, 8 + len));
    } else {
      ok(b.type === BLOCK_EPB, `block type 0x${b.type.toString(16)}`);
      ok(dv.getUint32(0, true) === 0, 'interface 0');
      const tUs = dv.getUint32(4, true) * 2 ** 32 + dv.getUint32(8, true);
      const cap = dv.getUint32(12, true);
      ok(dv.getUint32(16, true) === cap, 'captured == original length');
      ok(b.body.length === 20 + ((cap + 3) & ~3), 'EPB length (no options)');
      segs.push(decodeFrame(b.body.subarray(20, 20 + cap), tUs));
    }
  }
  return { blocks, userappl: shbOpts.get(4), comment: shbOpts.get(1), keyLog, segs };
}


const te = new TextEncoder();
const T0 = 1_700_000_000_000_000; // µs
const CPE = { ip: '192.168.1.20', port: 50123 };
const ACS = { ip: '10.0.0.1', port: 80 };

/**
 * Plays the TCP conversation back like a receiver would and checks it is self-consistent: the
 * handshake, in-order sequence numbers, ACKs that never run ahead of what was sent, a peer ACK
 * for every FIN. Returns the bytes each side sent.
 */
function replayConnection(segs: Seg[], client: string, server: string): { client: Uint8Array; server: Uint8Array } {
  const key = (s: Seg): 'c' | 's' | null =>
    `${s.srcIp}:${s.srcPort}` === client && `${s.dstIp}:${s.dstPort}` === server
      ? 'c'
      : `${s.srcIp}:${s.srcPort}` === server && `${s.dstIp}:${s.dstPort}` === client
        ? 's'
        : null;
  const mine = segs.filter((s) => key(s) !== null);
  const nxt = { c: 0, s: 0 };
  const data = { c: [] as Uint8Array[], s: [] as Uint8Array[] };
  const lastIpId = { c: -1, s: -1 };
  const finPending = { c: false, s: false };
  mine.forEach((s, i) => {
    const me = key(s)!;
    const peer = me === 'c' ? 's' : 'c';
    if (i === 0) {
      expect(me).toBe('c');
      expect(s.flags).toBe(TCP_SYN);
      nxt.c = (s.seq + 1) >>> 0;
      return;
    }
    if (i === 1) {
      expect(me).toBe('s');
      expect(s.flags).toBe(TCP_SYN | TCP_ACK);
      expect(s.ack).toBe(nxt.c);
      nxt.s = (s.seq + 1) >>> 0;
      return;
    }
    ok(lastIpId[me] < 0 || s.ipId === ((lastIpId[me] + 1) & 0xffff), 'IP id increments per sender');
    lastIpId[me] = s.ipId;
    ok(s.window === 65535, 'window');
    ok((s.flags & TCP_ACK) !== 0, 'ACK set after the SYN');
    ok(s.seq === nxt[me], `seq in order (frame ${i})`);
    ok(s.ack === nxt[peer], `ack equals the peer's next seq (frame ${i})`); // never unseen, never lagging
    if (s.payload.length) {
      ok((s.flags & ~TCP_PSH) === TCP_ACK, 'data segments are PSH|ACK');
      ok(s.payload.length <= 1460, 'payload within MSS');
      data[me].push(s.payload);
    }
    if (s.flags & TCP_FIN) finPending[me] = true;
    else if (finPending[peer]) finPending[peer] = false; // the peer's next segment ACKs our FIN
    nxt[me] = (nxt[me] + s.payload.length + (s.flags & TCP_FIN ? 1 : 0)) >>> 0;
  });
  expect(finPending).toEqual({ c: false, s: false });
  return { client: concat(...data.c), server: concat(...data.s) };
}

// ---------------------------------------------------------------------------------------------
// Pure tests
// ---------------------------------------------------------------------------------------------

function httpExchange(bodyLen = 5000): PcapConnectionInput {
  const body = 'x'.repeat(bodyLen);
  return {
    client: CPE,
    server: ACS,
    events: [
      { kind: 'open', tUs: T0 },
      { kind: 'data', tUs: T0 + 100, from: 'client', bytes: te.encode('GET /acs/inform HTTP/1.1\r\nHost: acs\r\n\r\n') },
      {
        kind: 'data',
        tUs: T0 + 250,
        from: 'server',
        bytes: te.encode(`HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: ${bodyLen}\r\n\r\n${body}`),
      },
      { kind: 'data', tUs: T0 + 260, from: 'server', bytes: new Uint8Array(0) },
      { kind: 'fin', tUs: T0 + 300, from: 'client' },
      { kind: 'fin', tUs: T0 + 400, from: 'server' },
    ],
  };
}

describe('writePcapng structure', () => {
  it('writes SHB, IDB, DSB, EPBs with consistent lengths and trailers', () => {
    const file = writePcapng({ connections: [httpExchange()], keyLog: 'CLIENT_RANDOM aa bb\r\n\r\nSERVER_X cc dd', comment: 'lab run 1' });
    const p = parsePcapng(file);
    expect(p.blocks.map((b) => b.type).slice(0, 4)).toEqual([BLOCK_SHB, BLOCK_IDB, BLOCK_DSB, BLOCK_EPB]);
    expect(p.userappl).toBe('Handshake Lab');
    expect(p.comment).toBe('lab run 1');
    expect(p.keyLog).toBe('CLIENT_RANDOM aa bb\nSERVER_X cc dd\n');
    // SYN, SYN-ACK, ACK; 1 request seg + ACK; 4 response segs (5067 bytes) + 2 ACKs; 2x (FIN + ACK)
    expect(p.segs).toHaveLength(3 + 2 + 6 + 4);
    expect(p.segs[0]!.tUs).toBe(T0);
  });

  it('omits the DSB when there is no key log, and tolerates no connections', () => {
    const p = parsePcapng(writePcapng({ connections: [] }));
    expect(p.blocks.map((b) => b.type)).toEqual([BLOCK_SHB, BLOCK_IDB]);
    expect(p.keyLog).toBeUndefined();
    expect(p.comment).toBeUndefined();
  });

  it('splits at MSS 1460, ACKs every second segment, closes with FIN/ACK pairs', () => {
    const p = parsePcapng(writePcapng({ connections: [httpExchange()] }));
    const flags = p.segs.map((s) => [s.srcPort === CPE.port ? 'C' : 'S', s.flags, s.payload.length]);
    expect(flags).toEqual([
      ['C', TCP_SYN, 0],
      ['S', TCP_SYN | TCP_ACK, 0],
      ['C', TCP_ACK, 0],
      ['C', TCP_PSH | TCP_ACK, 39],
      ['S', TCP_ACK, 0],
      ['S', TCP_PSH | TCP_ACK, 1460],
      ['S', TCP_PSH | TCP_ACK, 1460],
      ['C', TCP_ACK, 0],
      ['S', TCP_PSH | TCP_ACK, 1460],
      ['S', TCP_PSH | TCP_ACK, 687],
      ['C', TCP_ACK, 0],
      ['C', TCP_FIN | TCP_ACK, 0],
      ['S', TCP_ACK, 0],
      ['S', TCP_FIN | TCP_ACK, 0],
      ['C', TCP_ACK, 0],
    ]);
    const r = replayConnection(p.segs, `${CPE.ip}:${CPE.port}`, `${ACS.ip}:${ACS.port}`);
    expect(new TextDecoder().decode(r.client)).toBe('GET /acs/inform HTTP/1.1\r\nHost: acs\r\n\r\n');
    expect(r.server.length).toBe(5067);
  });

  it('is deterministic, with different ISNs per side and per connection', () => {
    const a = writePcapng({ connections: [httpExchange(), httpExchange()] });
    const b = writePcapng({ connections: [httpExchange(), httpExchange()] });
    expect(a).toEqual(b);
    const syns = parsePcapng(a).segs.filter((s) => s.flags & TCP_SYN);
    expect(new Set(syns.map((s) => s.seq)).size).toBe(4);
  });

  it('merges connections by time, stably', () => {
    const other: PcapConnectionInput = {
      client: { ip: '192.168.1.21', port: 40000 },
      server: ACS,
      events: [
        { kind: 'open', tUs: T0 + 100 },
        { kind: 'data', tUs: T0 + 120, from: 'client', bytes: te.encode('hi') },
        { kind: 'rst', tUs: T0 + 130, from: 'server' },
        { kind: 'data', tUs: T0 + 140, from: 'client', bytes: te.encode('ignored after RST') },
      ],
    };
    const p = parsePcapng(writePcapng({ connections: [httpExchange(), other] }));
    const ts = p.segs.map((s) => s.tUs);
    expect(ts).toEqual([...ts].sort((x, y) => x - y));
    // At T0+100 the first connection's request comes before the second connection's SYN.
    const at100 = p.segs.filter((s) => s.tUs === T0 + 100).map((s) => `${s.srcIp}:${s.srcPort}:${s.flags}`);
    expect(at100[0]).toBe(`${CPE.ip}:${CPE.port}:${TCP_PSH | TCP_ACK}`);
    expect(at100[2]).toBe(`192.168.1.21:40000:${TCP_SYN}`);
    const second = p.segs.filter((s) => s.srcPort === 40000 || s.dstPort === 40000);
    expect(second.map((s) => s.flags)).toEqual([TCP_SYN, TCP_SYN | TCP_ACK, TCP_ACK, TCP_PSH | TCP_ACK, TCP_ACK, TCP_RST | TCP_ACK]);
  });

  it('implies the handshake when data comes before open; clamps timestamps', () => {
    const p = parsePcapng(
      writePcapng({
        connections: [
          {
            client: CPE,
            server: ACS,
            events: [
              { kind: 'data', tUs: T0 + 50, from: 'server', bytes: te.encode('banner') },
              { kind: 'data', tUs: T0 + 10, from: 'client', bytes: te.encode('late clock') },
            ],
          },
        ],
      }),
    );
    expect(p.segs.map((s) => s.flags)).toEqual([TCP_SYN, TCP_SYN | TCP_ACK, TCP_ACK, TCP_PSH | TCP_ACK, TCP_ACK, TCP_PSH | TCP_ACK, TCP_ACK]);
    expect(p.segs.every((s) => s.tUs === T0 + 50)).toBe(true);
  });

  it('rejects bad addresses, ports, timestamps and data after FIN', () => {
    const bad = (c: Partial<PcapConnectionInput>) => () =>
      writePcapng({ connections: [{ client: CPE, server: ACS, events: [{ kind: 'open', tUs: T0 }], ...c }] });
    expect(bad({ client: { ip: '300.1.1.1', port: 1 } })).toThrow(RangeError);
    expect(bad({ client: { ip: '::1', port: 1 } })).toThrow(RangeError);
    expect(bad({ server: { ip: '10.0.0.1', port: 70000 } })).toThrow(RangeError);
    expect(bad({ events: [{ kind: 'open', tUs: Number.NaN }] })).toThrow(RangeError);
    expect(
      bad({
        events: [
          { kind: 'fin', tUs: T0, from: 'client' },
          { kind: 'data', tUs: T0, from: 'client', bytes: te.encode('x') },
        ],
      }),
    ).toThrow(/after its FIN/);
  });

  it('handles multi-megabyte streams in linear time', () => {
    const big = new Uint8Array(8 * 1024 * 1024);
    for (let i = 0; i < big.length; i += 4096) big[i] = i & 0xff;
    const started = performance.now();
    const file = writePcapng({
      connections: [{ client: CPE, server: ACS, events: [{ kind: 'open', tUs: T0 }, { kind: 'data', tUs: T0 + 1, from: 'server', bytes: big }] }],
    });
    const elapsed = performance.now() - started;
    expect(elapsed).toBeLessThan(5000);
    const blocks = parseBlocks(file);
    const segments = Math.ceil(big.length / 1460);
    expect(blocks.length).toBe(2 + 3 + segments + Math.ceil(segments / 2));
    const p = parsePcapng(file);
    expect(sameBytes(replayConnection(p.segs, `${CPE.ip}:${CPE.port}`, `${ACS.ip}:${ACS.port}`).server, big)).toBe(true);
  });

  it('property: any event sequence gives a valid file whose TCP streams replay to the input bytes', () => {
    const side = fc.constantFrom<'client' | 'server'>('client', 'server');
    const ev = fc.oneof(
      { weight: 6, arbitrary: fc.record({ kind: fc.constant('data' as const), from: side, bytes: fc.uint8Array({ maxLength: 4000 }) }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('fin' as const), from: side }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('open' as const) }) },
    );
    const conn = fc.record({
      events: fc.array(fc.record({ dt: fc.integer({ min: 0, max: 1000 }), ev }), { maxLength: 12 }),
    });
    fc.assert(
      fc.property(fc.array(conn, { minLength: 1, maxLength: 3 }), fc.integer({ min: 1, max: 1460 }), (conns, mss) => {
        const expected: { client: Uint8Array; server: Uint8Array }[] = [];
        const inputs: PcapConnectionInput[] = conns.map((c, i) => {
          let t = T0;
          const finned = { client: false, server: false };
          const sent = { client: [] as Uint8Array[], server: [] as Uint8Array[] };
          const events: PcapStreamEvent[] = [];
          for (const { dt, ev: e } of c.events) {
            t += dt;
            if (e.kind === 'open') events.push({ kind: 'open', tUs: t });
            else if (e.kind === 'fin') {
              finned[e.from] = true;
              events.push({ kind: 'fin', tUs: t, from: e.from });
            } else if (!finned[e.from]) {
              sent[e.from].push(e.bytes);
              events.push({ kind: 'data', tUs: t, from: e.from, bytes: e.bytes });
            }
          }
          expected.push({ client: concat(...sent.client), server: concat(...sent.server) });
          return { client: { ip: '127.0.0.1', port: 40000 + i }, server: { ip: '127.0.0.1', port: 7547 }, events };
        });
        const p = parsePcapng(writePcapng({ connections: inputs, mss }));
        const ts = p.segs.map((s) => s.tUs);
        expect(ts).toEqual([...ts].sort((x, y) => x - y));
        expect(p.segs.every((s) => s.payload.length <= mss)).toBe(true);
        inputs.forEach((c, i) => {
          if (c.events.length === 0) return;
          const got = replayConnection(p.segs, `127.0.0.1:${c.client.port}`, '127.0.0.1:7547');
          expect(got).toEqual(expected[i]);
        });
      }),
      { numRuns: 150 },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// tshark cross-checks
// ---------------------------------------------------------------------------------------------

const HAVE_TSHARK = spawnSync('tshark', ['-v'], { stdio: 'ignore' }).status === 0;
const IN_CI = process.env.CI === 'true';
if (!HAVE_TSHARK && !IN_CI) console.warn('SKIPPED pcapng tshark tests: tshark not installed (apt-get install -y tshark)');

const work = mkdtempSync(join(tmpdir(), 'pcapng-test-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function tshark(file: string, ...args: string[]): string {
  return execFileSync('tshark', ['-n', '-r', file, ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 64 * 1024 * 1024,
  });
}

const PROBLEMS = '_ws.expert.severity >= warning || _ws.malformed || ip.checksum.status == 0 || tcp.checksum.status == 0';
const CHECKSUM_PREFS = ['-o', 'ip.check_checksum:TRUE', '-o', 'tcp.check_checksum:TRUE'];

function nowUs(): number {
  return Math.round((performance.timeOrigin + performance.now()) * 1000);
}

/** A real TLS 1.3 session through a recording relay: client -> relay -> tls server. */
async function recordTlsSession(dir: string): Promise<{ conn: PcapConnectionInput; keyLog: string; response: string }> {
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=test', '-days', '1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')],
    { stdio: 'ignore' },
  );
  const keyLines: string[] = [];
  const server = tls.createServer(
    {
      key: readFileSync(join(dir, 'key.pem')),
      cert: readFileSync(join(dir, 'cert.pem')),
      minVersion: 'TLSv1.3',
      ALPNProtocols: ['http/1.1'],
    },
    (sock) => {
      let req = '';
      sock.on('data', (d: Buffer) => {
        req += d.toString('latin1');
        if (req.includes('\r\n\r\n')) {
          const body = 'hello from the ACS\n'.repeat(300); // > 3000 bytes: several records/segments
          sock.end(`HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`);
        }
      });
      sock.on('error', () => {});
    },
  );
  server.on('keylog', (line: Buffer) => keyLines.push(line.toString('latin1')));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const tlsPort = (server.address() as net.AddressInfo).port;

  const events: PcapStreamEvent[] = [];
  let endpoints: Pick<PcapConnectionInput, 'client' | 'server'> | undefined;
  let relayDone!: () => void;
  const relayClosed = new Promise<void>((r) => (relayDone = r));
  const relay = net.createServer((down) => {
    events.push({ kind: 'open', tUs: nowUs() });
    endpoints = {
      client: { ip: '127.0.0.1', port: down.remotePort! },
      server: { ip: '127.0.0.1', port: tlsPort },
    };
    const up = net.connect(tlsPort, '127.0.0.1');
    let closed = 0;
    const onClose = () => ++closed === 2 && relayDone();
    down.on('data', (d: Buffer) => {
      events.push({ kind: 'data', tUs: nowUs(), from: 'client', bytes: new Uint8Array(d) });
      up.write(d);
    });
    up.on('data', (d: Buffer) => {
      events.push({ kind: 'data', tUs: nowUs(), from: 'server', bytes: new Uint8Array(d) });
      down.write(d);
    });
    down.on('end', () => {
      events.push({ kind: 'fin', tUs: nowUs(), from: 'client' });
      up.end();
    });
    up.on('end', () => {
      events.push({ kind: 'fin', tUs: nowUs(), from: 'server' });
      down.end();
    });
    down.on('close', onClose);
    up.on('close', onClose);
  });
  await new Promise<void>((r) => relay.listen(0, '127.0.0.1', r));
  const relayPort = (relay.address() as net.AddressInfo).port;

  const response = await new Promise<string>((resolve, reject) => {
    const client = tls.connect({
      host: '127.0.0.1',
      port: relayPort,
      servername: 'test',
      rejectUnauthorized: false,
      minVersion: 'TLSv1.3',
      ALPNProtocols: ['http/1.1'],
    });
    client.on('keylog', (line: Buffer) => keyLines.push(line.toString('latin1')));
    let res = '';
    client.on('secureConnect', () => client.write('GET /cwmp/hello HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n'));
    client.on('data', (d: Buffer) => (res += d.toString('latin1')));
    client.on('end', () => {
      client.end();
      resolve(res);
    });
    client.on('error', reject);
  });
  await relayClosed;
  await new Promise((r) => relay.close(r));
  await new Promise((r) => server.close(r));
  return { conn: { ...endpoints!, events }, keyLog: keyLines.join(''), response };
}

describe.skipIf(!HAVE_TSHARK && !IN_CI)('writePcapng against tshark', () => {
  it('tshark is installed (required when CI=true)', () => {
    expect(HAVE_TSHARK, 'tshark not installed (apt-get install -y tshark)').toBe(true);
  });

  it('plain HTTP: decoded, segmented, checksums valid, no expert warnings or analysis flags', () => {
    const file = join(work, 'http.pcapng');
    writeFileSync(file, writePcapng({ connections: [httpExchange(5000)], comment: 'plain HTTP' }));

    const http = tshark(file, '-Y', 'http', '-T', 'fields', '-e', 'http.request.method', '-e', 'http.request.uri', '-e', 'http.response.code', '-e', 'http.content_length', '-e', 'tcp.segment.count');
    const rows = http.trim().split('\n').map((l) => l.split('\t'));
    expect(rows).toEqual([
      ['GET', '/acs/inform', '', '', ''],
      ['', '', '200', '5000', '4'],
    ]);
    expect(tshark(file, ...CHECKSUM_PREFS, '-Y', PROBLEMS)).toBe('');
    expect(tshark(file, '-Y', 'tcp.analysis.flags')).toBe('');
    // Every frame really was checked (status 1 = good), not just left unverified.
    const good = tshark(file, ...CHECKSUM_PREFS, '-Y', 'ip.checksum.status == 1 && tcp.checksum.status == 1');
    expect(good.trim().split('\n')).toHaveLength(15);
  });

  it('negative control: the problem filter does catch a corrupted segment and a reset', () => {
    const bytes = writePcapng({ connections: [httpExchange(5000)] });
    const p = parsePcapng(bytes);
    const dataIdx = p.segs.findLastIndex((s) => s.payload.length > 0);
    const epb = p.blocks[2 + dataIdx]!; // SHB, IDB, then one EPB per segment
    const at = epb.offset + epb.length - 8; // the frame's tail: payload bytes (padding is at most 3)
    bytes[at] = (bytes[at] ?? 0) ^ 0xff;
    const file = join(work, 'corrupt.pcapng');
    writeFileSync(file, bytes);
    expect(tshark(file, ...CHECKSUM_PREFS, '-Y', PROBLEMS)).not.toBe('');

    const rstFile = join(work, 'rst.pcapng');
    writeFileSync(
      rstFile,
      writePcapng({ connections: [{ client: CPE, server: ACS, events: [{ kind: 'open', tUs: T0 }, { kind: 'rst', tUs: T0 + 5, from: 'server' }] }] }),
    );
    expect(tshark(rstFile, ...CHECKSUM_PREFS, '-Y', PROBLEMS)).toContain('RST');
  });

  it('real TLS 1.3 session: the embedded key log decrypts HTTP and the encrypted handshake', async () => {
    const dir = mkdtempSync(join(work, 'tls-'));
    const { conn, keyLog, response } = await recordTlsSession(dir);
    expect(response.startsWith('HTTP/1.1 200 OK')).toBe(true);
    expect(keyLog).toMatch(/^CLIENT_HANDSHAKE_TRAFFIC_SECRET /m);
    expect(keyLog).toMatch(/^SERVER_TRAFFIC_SECRET_0 /m);

    const file = join(dir, 'tls.pcapng');
    writeFileSync(file, writePcapng({ connections: [conn], keyLog, comment: 'TLS 1.3 through the relay' }));
    const parsed = parsePcapng(readFileSync(file));
    expect(parsed.keyLog).toContain('CLIENT_HANDSHAKE_TRAFFIC_SECRET');

    // No -o tls.keylog_file: the DSB alone must be enough.
    const http = tshark(file, '-Y', 'http', '-T', 'fields', '-e', 'http.request.method', '-e', 'http.request.uri', '-e', 'http.response.code');
    const rows = http.trim().split('\n').map((l) => l.split('\t'));
    expect(rows).toContainEqual(['GET', '/cwmp/hello', '']);
    expect(rows).toContainEqual(['', '', '200']);

    const types = new Set(tshark(file, '-Y', 'tls.handshake.type', '-T', 'fields', '-e', 'tls.handshake.type').split(/[\s,]+/).filter(Boolean));
    for (const t of ['1', '2', '8', '11', '15', '20']) expect(types).toContain(t);

    expect(tshark(file, ...CHECKSUM_PREFS, '-Y', PROBLEMS)).toBe('');
    expect(tshark(file, '-Y', 'tcp.analysis.flags')).toBe('');

    // Control: without the DSB the encrypted handshake messages stay opaque.
    const noKeys = join(dir, 'tls-nokeys.pcapng');
    writeFileSync(noKeys, writePcapng({ connections: [conn] }));
    const opaque = tshark(noKeys, '-Y', 'tls.handshake.type', '-T', 'fields', '-e', 'tls.handshake.type');
    expect(opaque.split(/[\s,]+/)).not.toContain('8');
    expect(tshark(noKeys, '-Y', 'http')).toBe('');
  });
});
