/**
 * Test helpers for capture import (used by *.test.ts only): a tiny pcap / pcapng writer and frame
 * builders, independent of the readers under test, so files can be reordered, duplicated, cut and
 * written in every byte order and link type.
 */
import { readCaptureFile, type RawPacket } from './file.ts';

export interface TestPacket {
  tsUs: number;
  data: Uint8Array;
  origLen?: number;
}

/** Classic pcap (draft-ietf-opsawg-pcap §4–5). */
export function writePcap(packets: TestPacket[], opts: { linktype: number; bigEndian?: boolean; nanos?: boolean; snaplen?: number }): Uint8Array {
  const le = !opts.bigEndian;
  const total = 24 + packets.reduce((n, p) => n + 16 + p.data.length, 0);
  const out = new Uint8Array(total);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, opts.nanos ? 0xa1b23c4d : 0xa1b2c3d4, le);
  dv.setUint16(4, 2, le);
  dv.setUint16(6, 4, le);
  dv.setUint32(16, opts.snaplen ?? 262144, le);
  dv.setUint32(20, opts.linktype, le);
  let o = 24;
  for (const p of packets) {
    const sec = Math.floor(p.tsUs / 1e6);
    const frac = opts.nanos ? Math.round((p.tsUs - sec * 1e6) * 1000) : Math.round(p.tsUs - sec * 1e6);
    dv.setUint32(o, sec, le);
    dv.setUint32(o + 4, frac, le);
    dv.setUint32(o + 8, p.data.length, le);
    dv.setUint32(o + 12, p.origLen ?? p.data.length, le);
    out.set(p.data, o + 16);
    o += 16 + p.data.length;
  }
  return out;
}

export type NgBlock =
  | { kind: 'idb'; linktype: number; tsresol?: number; tsoffset?: number }
  | { kind: 'epb'; iface: number; ts: bigint; data: Uint8Array; origLen?: number }
  | { kind: 'spb'; data: Uint8Array; origLen?: number }
  | { kind: 'pb'; iface: number; ts: bigint; data: Uint8Array }
  | { kind: 'dsb'; type: number; data: Uint8Array }
  | { kind: 'raw'; type: number; body: Uint8Array };

const pad4 = (n: number) => (n + 3) & ~3;

/** pcapng (draft-ietf-opsawg-pcapng): one section, the blocks in order. */
export function writePcapngBlocks(blocks: NgBlock[], opts: { bigEndian?: boolean } = {}): Uint8Array {
  const le = !opts.bigEndian;
  const parts: Uint8Array[] = [];
  const block = (type: number, body: Uint8Array) => {
    const total = 12 + pad4(body.length);
    const b = new Uint8Array(total);
    const dv = new DataView(b.buffer);
    dv.setUint32(0, type, le);
    dv.setUint32(4, total, le);
    b.set(body, 8);
    dv.setUint32(total - 4, total, le);
    parts.push(b);
  };
  const body = (n: number, fill: (dv: DataView, b: Uint8Array) => void) => {
    const b = new Uint8Array(n);
    fill(new DataView(b.buffer), b);
    return b;
  };
  block(0x0a0d0d0a, body(16, (dv) => {
    dv.setUint32(0, 0x1a2b3c4d, le);
    dv.setUint16(4, 1, le);
    dv.setUint16(6, 0, le);
    dv.setInt32(8, -1, le);
    dv.setInt32(12, -1, le);
  }));
  for (const x of blocks) {
    switch (x.kind) {
      case 'idb': {
        const opts: Uint8Array[] = [];
        if (x.tsresol !== undefined) opts.push(body(8, (dv, b) => { dv.setUint16(0, 9, le); dv.setUint16(2, 1, le); b[4] = x.tsresol!; }));
        if (x.tsoffset !== undefined) opts.push(body(12, (dv) => { dv.setUint16(0, 14, le); dv.setUint16(2, 8, le); dv.setBigInt64(4, BigInt(x.tsoffset!), le); }));
        const optLen = opts.reduce((n, o) => n + o.length, 0);
        block(1, body(8 + optLen + (optLen ? 4 : 0), (dv, b) => {
          dv.setUint16(0, x.linktype, le);
          dv.setUint32(4, 262144, le);
          let o = 8;
          for (const op of opts) { b.set(op, o); o += op.length; }
        }));
        break;
      }
      case 'epb':
        block(6, body(20 + pad4(x.data.length), (dv, b) => {
          dv.setUint32(0, x.iface, le);
          dv.setUint32(4, Number(x.ts >> 32n), le);
          dv.setUint32(8, Number(x.ts & 0xffffffffn), le);
          dv.setUint32(12, x.data.length, le);
          dv.setUint32(16, x.origLen ?? x.data.length, le);
          b.set(x.data, 20);
        }));
        break;
      case 'pb':
        block(2, body(20 + pad4(x.data.length), (dv, b) => {
          dv.setUint16(0, x.iface, le);
          dv.setUint32(4, Number(x.ts >> 32n), le);
          dv.setUint32(8, Number(x.ts & 0xffffffffn), le);
          dv.setUint32(12, x.data.length, le);
          dv.setUint32(16, x.data.length, le);
          b.set(x.data, 20);
        }));
        break;
      case 'spb':
        block(3, body(4 + pad4(x.data.length), (dv, b) => {
          dv.setUint32(0, x.origLen ?? x.data.length, le);
          b.set(x.data, 4);
        }));
        break;
      case 'dsb':
        block(10, body(8 + pad4(x.data.length), (dv, b) => {
          dv.setUint32(0, x.type, le);
          dv.setUint32(4, x.data.length, le);
          b.set(x.data, 8);
        }));
        break;
      case 'raw':
        block(x.type, x.body);
        break;
    }
  }
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}

/** Every packet of a capture, as the reader gives them (with a copy of the bytes). */
export function readPackets(bytes: Uint8Array): { packets: RawPacket[]; keylogs: string[] } {
  const packets: RawPacket[] = [];
  const keylogs: string[] = [];
  readCaptureFile(bytes, { packet: (p) => packets.push({ ...p, data: p.data.slice() }), keylog: (t) => keylogs.push(t), otherSecrets: () => {}, progress: () => {} });
  return { packets, keylogs };
}

// ---------------------------------------------------------------------------------------------
// Frame builders (checksums left zero: readers do not check them, tshark does not by default)
// ---------------------------------------------------------------------------------------------

export interface SegSpec {
  src: string;
  dst: string;
  sport: number;
  dport: number;
  seq: number;
  ack?: number;
  flags: number;
  payload?: Uint8Array;
}

function ipv4Bytes(ip: string): number[] {
  return ip.split('.').map(Number);
}

function ipv6Bytes(ip: string): number[] {
  const [head, tail] = ip.includes('::') ? ip.split('::') : [ip, undefined];
  const h = head ? head.split(':').filter(Boolean) : [];
  const t = tail ? tail.split(':').filter(Boolean) : [];
  const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  return groups.flatMap((g) => {
    const v = parseInt(g, 16);
    return [v >> 8, v & 0xff];
  });
}

export function tcpBytes(s: SegSpec): Uint8Array {
  const p = s.payload ?? new Uint8Array(0);
  const b = new Uint8Array(20 + p.length);
  const dv = new DataView(b.buffer);
  dv.setUint16(0, s.sport);
  dv.setUint16(2, s.dport);
  dv.setUint32(4, s.seq >>> 0);
  dv.setUint32(8, (s.ack ?? 0) >>> 0);
  b[12] = 5 << 4;
  b[13] = s.flags;
  dv.setUint16(14, 65535);
  b.set(p, 20);
  return b;
}

/** IPv4 (or IPv6 when the address has a colon) + TCP; `ipv6Ext` inserts extension headers (hop-by-hop, destination options). */
export function ipPacket(s: SegSpec, opts: { ipv6Ext?: number[]; ipv4Options?: number; trailer?: number } = {}): Uint8Array {
  const tcp = tcpBytes(s);
  if (!s.src.includes(':')) {
    const ihl = 20 + (opts.ipv4Options ?? 0);
    const b = new Uint8Array(ihl + tcp.length + (opts.trailer ?? 0));
    const dv = new DataView(b.buffer);
    b[0] = 0x40 | (ihl / 4);
    dv.setUint16(2, ihl + tcp.length);
    dv.setUint16(6, 0x4000);
    b[8] = 64;
    b[9] = 6;
    b.set(ipv4Bytes(s.src), 12);
    b.set(ipv4Bytes(s.dst), 16);
    for (let i = 20; i < ihl; i++) b[i] = 1; // NOP options
    b.set(tcp, ihl);
    return b;
  }
  const ext = opts.ipv6Ext ?? [];
  const extLen = ext.length * 8;
  const b = new Uint8Array(40 + extLen + tcp.length + (opts.trailer ?? 0));
  const dv = new DataView(b.buffer);
  b[0] = 0x60;
  dv.setUint16(4, extLen + tcp.length);
  b[6] = ext.length ? ext[0]! : 6;
  b[7] = 64;
  b.set(ipv6Bytes(s.src), 8);
  b.set(ipv6Bytes(s.dst), 24);
  ext.forEach((_, i) => {
    b[40 + i * 8] = ext[i + 1] ?? 6; // next header
    b[40 + i * 8 + 1] = 0; // length: 8 bytes
    b[40 + i * 8 + 2] = 1; // PadN option filling the header
    b[40 + i * 8 + 3] = 4;
  });
  b.set(tcp, 40 + extLen);
  return b;
}

const ETHERTYPE = (ip: Uint8Array) => (ip[0]! >> 4 === 6 ? 0x86dd : 0x0800);

/** Wraps an IP packet in a link-layer header of the given link type. */
export function linkFrame(linktype: number, ip: Uint8Array, opts: { vlan?: boolean; family?: number; bigEndianFamily?: boolean } = {}): Uint8Array {
  const cat = (...xs: (Uint8Array | number[])[]) => {
    const out = new Uint8Array(xs.reduce((n, x) => n + x.length, 0));
    let o = 0;
    for (const x of xs) { out.set(x, o); o += x.length; }
    return out;
  };
  const et = ETHERTYPE(ip);
  switch (linktype) {
    case 1:
      return cat([2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2], opts.vlan ? [0x81, 0x00, 0x00, 0x0a] : [], [et >> 8, et & 0xff], ip);
    case 0:
    case 108: {
      const fam = opts.family ?? (et === 0x0800 ? 2 : 30);
      const be = linktype === 108 || opts.bigEndianFamily;
      return cat(be ? [0, 0, fam >> 8, fam & 0xff] : [fam & 0xff, fam >> 8, 0, 0], ip);
    }
    case 101:
    case 228:
    case 229:
      return ip;
    case 113:
      return cat([0, 0, 0, 1, 0, 6, 2, 0, 0, 0, 0, 1, 0, 0], [et >> 8, et & 0xff], ip);
    case 276:
      return cat([et >> 8, et & 0xff, 0, 0, 0, 0, 0, 1, 0, 1, 0, 6, 2, 0, 0, 0, 0, 1, 0, 0], ip);
    default:
      throw new Error(`testkit: no builder for link type ${linktype}`);
  }
}

// ---------------------------------------------------------------------------------------------
// A synthetic TLS 1.2 capture of any size (tests and bench): a CPE downloading a file from the ACS
// in ranged GETs over TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, every record really encrypted with
// keys derived from a logged master secret, written by the project's own pcapng writer (with DSB).
// ---------------------------------------------------------------------------------------------

export interface SyntheticDownload {
  pcapng: Uint8Array;
  keyLog: string;
  /** Bytes of the file downloaded, in `parts` HTTP responses. */
  bodyBytes: number;
  parts: number;
  /** ApplicationData records the server sent. */
  serverRecords: number;
}

export async function syntheticDownload(targetBytes: number, opts: { keyLog?: boolean } = {}): Promise<SyntheticDownload> {
  const [{ nodeCrypto }, { keyBlock12 }, { RecordProtection }, { writePcapng }, { toHex }] = await Promise.all([
    import('../server/crypto-node.ts'),
    import('../protocol/tls/keyschedule.ts'),
    import('../protocol/tls/record-protection.ts'),
    import('../protocol/pcapng.ts'),
    import('../protocol/tls/fields.ts'),
  ]);
  let seed = 0x2545f491;
  const rand = (n: number) => {
    const b = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      b[i] = seed & 0xff;
    }
    return b;
  };
  const cat = (...xs: Uint8Array[]) => {
    const out = new Uint8Array(xs.reduce((n, x) => n + x.length, 0));
    let o = 0;
    for (const x of xs) { out.set(x, o); o += x.length; }
    return out;
  };
  const u16 = (n: number) => Uint8Array.of(n >> 8, n & 0xff);
  const u24 = (n: number) => Uint8Array.of(n >> 16, (n >> 8) & 0xff, n & 0xff);
  const hs = (type: number, body: Uint8Array) => cat(Uint8Array.of(type), u24(body.length), body);
  const record = (type: number, body: Uint8Array, version = 0x0303) => cat(Uint8Array.of(type), u16(version), u16(body.length), body);
  const ascii = (s: string) => new TextEncoder().encode(s);

  const cr = rand(32);
  const sr = rand(32);
  const master = rand(48);
  const suite = 0xc02f; // TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256
  const clientHello = hs(1, cat(u16(0x0303), cr, Uint8Array.of(0), u16(2), u16(suite), Uint8Array.of(1, 0), u16(0)));
  const serverHello = hs(2, cat(u16(0x0303), sr, Uint8Array.of(0), u16(suite), Uint8Array.of(0), u16(0)));
  const kb = keyBlock12(nodeCrypto, 'SHA-256', 'AES-128-GCM', master, cr, sr);
  const cp = new RecordProtection(nodeCrypto, kb.client, 'tls12');
  const spr = new RecordProtection(nodeCrypto, kb.server, 'tls12');
  const ccs = record(20, Uint8Array.of(1));

  type Ev = { kind: 'open'; tUs: number } | { kind: 'data'; tUs: number; from: 'client' | 'server'; bytes: Uint8Array } | { kind: 'fin'; tUs: number; from: 'client' | 'server' };
  let t = 1_700_000_000_000_000;
  const events: Ev[] = [{ kind: 'open', tUs: t }];
  const send = (from: 'client' | 'server', bytes: Uint8Array) => events.push({ kind: 'data', tUs: (t += 20), from, bytes });
  send('client', record(22, clientHello, 0x0301));
  send('server', record(22, cat(serverHello, hs(14, new Uint8Array(0)))));
  send('client', cat(record(22, hs(16, cat(Uint8Array.of(32), rand(32)))), ccs, cp.seal(22, hs(20, rand(12)))));
  send('server', cat(ccs, spr.seal(22, hs(20, rand(12)))));

  const PART = 8 << 20; // each response well under the HTTP parser's 16 MiB body limit
  const body = rand(Math.min(PART, targetBytes)); // the same bytes for every part
  let sent = 0;
  let parts = 0;
  let serverRecords = 0;
  while (sent < targetBytes) {
    const n = Math.min(PART, targetBytes - sent);
    send('client', cp.seal(23, ascii(`GET /firmware/cpe-4.2.bin HTTP/1.1\r\nHost: acs.lab.test\r\nRange: bytes=${sent}-${sent + n - 1}\r\n\r\n`)));
    const head = ascii(`HTTP/1.1 206 Partial Content\r\nContent-Type: application/octet-stream\r\nContent-Range: bytes ${sent}-${sent + n - 1}/${targetBytes}\r\nContent-Length: ${n}\r\n\r\n`);
    const stream = cat(head, body.subarray(0, n));
    for (let o = 0; o < stream.length; o += 16384) {
      send('server', spr.seal(23, stream.subarray(o, Math.min(stream.length, o + 16384))));
      serverRecords++;
    }
    sent += n;
    parts++;
  }
  send('client', cp.seal(21, Uint8Array.of(1, 0)));
  events.push({ kind: 'fin', tUs: (t += 20), from: 'client' });
  send('server', spr.seal(21, Uint8Array.of(1, 0)));
  events.push({ kind: 'fin', tUs: (t += 20), from: 'server' });
  const keyLog = `CLIENT_RANDOM ${toHex(cr)} ${toHex(master)}\n`;
  const pcapng = writePcapng({ connections: [{ client: { ip: '192.0.2.10', port: 50000 }, server: { ip: '198.51.100.1', port: 443 }, events }], ...(opts.keyLog === false ? {} : { keyLog }), comment: 'synthetic TLS 1.2 download (Handshake Lab tests)' });
  return { pcapng, keyLog, bodyBytes: sent, parts, serverRecords };
}
