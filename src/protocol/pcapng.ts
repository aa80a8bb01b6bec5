/**
 * pcapng writer: turns what the wiretap relay saw (per-connection byte streams with timestamps,
 * open / FIN / RST events) plus the TLS key log into one capture file that Wireshark / tshark
 * open *already decrypted*, with no preferences to set.
 *
 * File layout (draft-ietf-opsawg-pcapng, "PCAP Now Generic (pcapng) Capture File Format"):
 *
 *   SHB | IDB | DSB (only when a key log is given) | EPB | EPB | ...
 *
 * - SHB  Section Header Block        (§4.1), little endian, `shb_userappl` = "Handshake Lab",
 *        optional `opt_comment`.
 * - IDB  Interface Description Block (§4.2), LINKTYPE_ETHERNET (1), snaplen 262144,
 *        default if_tsresol (10^-6 s, so no option is written).
 * - DSB  Decryption Secrets Block    (§4.7), secrets type 0x544C534B "TLSK" (NSS key log text).
 *        Written before the first packet, so readers decrypt in one pass.
 * - EPB  Enhanced Packet Block       (§4.3), one per synthesized frame.
 * Every block follows the general block structure of §3.1 (type, total length, body padded to
 * 32 bits, total length again); options follow §3.5 (code, length, value padded to 32 bits,
 * terminated by opt_endofopt).
 *
 * Frames are synthesized, not captured: Ethernet II (locally administered MACs 02:43:… for the
 * client/CPE and 02:41:… for the server/ACS, followed by the IPv4 address) / IPv4 (DF, TTL 64,
 * per-sender incrementing IP id, valid header checksum, RFC 791) / TCP (valid checksum over the
 * pseudo-header, RFC 9293 §3.1). Each connection gets a deterministic pseudo-random ISN per side
 * (a hash of the 4-tuple), a fixed receive window of 65535 and this segment sequence:
 *
 *   open            client SYN (MSS option), server SYN|ACK (MSS option), client ACK
 *   data from X     X sends PSH|ACK segments of at most `mss` bytes; the peer sends a pure ACK
 *                   after every second segment and after the last one (delayed-ACK style, so the
 *                   bytes in flight never come near the window)
 *   fin from X      X sends FIN|ACK, the peer ACKs it (two fins give the usual four-way close)
 *   rst from X      X sends RST|ACK; later events of that connection are ignored
 *
 * Event rules: events of one connection are applied in array order; a `data`/`fin`/`rst` before
 * any `open` implies an `open` at the same time; zero-length data is ignored; a repeated `open`
 * or `fin` is ignored; data from a side that already sent FIN throws a RangeError. Timestamps
 * are clamped to be non-decreasing within a connection, then the frames of all connections are
 * merged by timestamp (stable: equal times keep connection order, then event order).
 *
 * Pure: no I/O, no Buffer; one pass to plan frames (payloads are views, never copied), one
 * allocation for the output, so multi-megabyte streams cost linear time.
 */

/** An IPv4 endpoint, e.g. `{ ip: '127.0.0.1', port: 7547 }`. */
export interface PcapEndpoint {
  /** IPv4 dotted quad. */
  ip: string;
  port: number;
}

export type PcapSide = 'client' | 'server';

export type PcapStreamEvent =
  /** TCP three-way handshake: SYN, SYN|ACK, ACK. */
  | { kind: 'open'; tUs: number }
  /** Bytes written by one side (split into MSS-sized PSH|ACK segments, then ACKed by the peer). */
  | { kind: 'data'; tUs: number; from: PcapSide; bytes: Uint8Array }
  /** Half-close: FIN|ACK from `from`, ACKed by the peer. */
  | { kind: 'fin'; tUs: number; from: PcapSide }
  /** Abort: RST|ACK from `from`. */
  | { kind: 'rst'; tUs: number; from: PcapSide };

export interface PcapConnectionInput {
  /** The TCP client (the CPE). */
  client: PcapEndpoint;
  /** The TCP server (the ACS). */
  server: PcapEndpoint;
  /** `tUs` = microseconds since the Unix epoch. */
  events: PcapStreamEvent[];
}

export interface PcapngInput {
  connections: PcapConnectionInput[];
  /** NSS key log text (SSLKEYLOGFILE lines); written as a Decryption Secrets Block when non-empty. */
  keyLog?: string;
  /** Section comment (SHB `opt_comment`). */
  comment?: string;
  /** Maximum TCP payload per segment (default 1460). */
  mss?: number;
}

// ---------------------------------------------------------------------------------------------
// pcapng constants (draft-ietf-opsawg-pcapng §10.1 block types, §3.5 / §4.x option codes)
// ---------------------------------------------------------------------------------------------

export const BLOCK_SHB = 0x0a0d0d0a;
export const BLOCK_IDB = 0x00000001;
export const BLOCK_EPB = 0x00000006;
export const BLOCK_DSB = 0x0000000a;
/** §4.7: secrets type for an NSS key log ("TLSK"). */
export const SECRETS_TYPE_TLS_KEYLOG = 0x544c534b;
const BYTE_ORDER_MAGIC = 0x1a2b3c4d;
const OPT_ENDOFOPT = 0;
const OPT_COMMENT = 1;
const SHB_USERAPPL = 4;
const IF_NAME = 2;
const IF_DESCRIPTION = 3;
export const LINKTYPE_ETHERNET = 1;
export const SNAPLEN = 262144;
export const DEFAULT_MSS = 1460;
export const TCP_WINDOW = 65535;

export const TCP_FIN = 0x01;
export const TCP_SYN = 0x02;
export const TCP_RST = 0x04;
export const TCP_PSH = 0x08;
export const TCP_ACK = 0x10;

const ETH_LEN = 14;
const IP_LEN = 20;
const TCP_LEN = 20;
const MSS_OPTION_LEN = 4;

// ---------------------------------------------------------------------------------------------
// Frame planning (the TCP model)
// ---------------------------------------------------------------------------------------------

interface Host {
  mac: Uint8Array;
  ip: Uint8Array;
  port: number;
  /** Next sequence number this side sends (mod 2^32). */
  nxt: number;
  /** Next IPv4 identification value. */
  ipId: number;
  finSent: boolean;
}

interface Frame {
  tUs: number;
  src: Host;
  dst: Host;
  seq: number;
  ack: number;
  flags: number;
  ipId: number;
  /** MSS option value on SYN segments, 0 for none. */
  mssOpt: number;
  payload: Uint8Array | null;
}

const EMPTY = new Uint8Array(0);

function parseIPv4(ip: string): Uint8Array {
  const parts = ip.split('.');
  if (parts.length !== 4) throw new RangeError(`not an IPv4 dotted quad: ${JSON.stringify(ip)}`);
  const out = new Uint8Array(4);
  parts.forEach((p, i) => {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) {
      throw new RangeError(`not an IPv4 dotted quad: ${JSON.stringify(ip)}`);
    }
    out[i] = Number(p);
  });
  return out;
}

function checkPort(port: number): number {
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new RangeError(`bad TCP port: ${port}`);
  return port;
}

/** FNV-1a over a few 32-bit words, then a murmur3 finalizer: deterministic "random-ish" values. */
function hash32(words: number[]): number {
  let h = 0x811c9dc5;
  for (const w of words) {
    for (let s = 0; s < 32; s += 8) {
      h ^= (w >>> s) & 0xff;
      h = Math.imul(h, 0x01000193);
    }
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function ipWord(ip: Uint8Array): number {
  return (((ip[0] ?? 0) << 24) | ((ip[1] ?? 0) << 16) | ((ip[2] ?? 0) << 8) | (ip[3] ?? 0)) >>> 0;
}

function makeHost(ep: PcapEndpoint, role: number, salt: number[]): Host {
  const ip = parseIPv4(ep.ip);
  const port = checkPort(ep.port);
  const mac = new Uint8Array([0x02, role, ip[0] ?? 0, ip[1] ?? 0, ip[2] ?? 0, ip[3] ?? 0]);
  return {
    mac,
    ip,
    port,
    nxt: hash32([...salt, role, 0x15]),
    ipId: hash32([...salt, role, 0x1d]) & 0xffff,
    finSent: false,
  };
}

function checkTime(t: number): number {
  if (!Number.isFinite(t) || t < 0) throw new RangeError(`bad timestamp (µs since epoch): ${t}`);
  return Math.floor(t);
}

/** Plans the frames of one connection, in send order, with non-decreasing timestamps. */
function planConnection(conn: PcapConnectionInput, index: number, mss: number, out: Frame[]): void {
  const cIp = ipWord(parseIPv4(conn.client.ip));
  const sIp = ipWord(parseIPv4(conn.server.ip));
  const salt = [cIp, sIp, (conn.client.port << 16) | conn.server.port, index];
  const client = makeHost(conn.client, 0x43 /* 'C' */, salt);
  const server = makeHost(conn.server, 0x41 /* 'A' */, salt);

  let opened = false;
  let dead = false;
  let last = 0;

  const emit = (t: number, src: Host, dst: Host, flags: number, payload: Uint8Array | null, mssOpt = 0): void => {
    out.push({
      tUs: t,
      src,
      dst,
      seq: src.nxt,
      ack: flags & TCP_ACK ? dst.nxt : 0,
      flags,
      ipId: src.ipId,
      mssOpt,
      payload,
    });
    src.ipId = (src.ipId + 1) & 0xffff;
    let advance = payload ? payload.length : 0;
    if (flags & (TCP_SYN | TCP_FIN)) advance += 1;
    src.nxt = (src.nxt + advance) >>> 0;
  };

  const open = (t: number): void => {
    emit(t, client, server, TCP_SYN, null, mss);
    emit(t, server, client, TCP_SYN | TCP_ACK, null, mss);
    emit(t, client, server, TCP_ACK, null);
    opened = true;
  };

  for (const ev of conn.events) {
    const t = Math.max(last, checkTime(ev.tUs));
    last = t;
    if (dead) continue;
    if (ev.kind === 'open') {
      if (!opened) open(t);
      continue;
    }
    const [src, dst] = ev.from === 'client' ? [client, server] : [server, client];
    if (ev.kind === 'data' && ev.bytes.length === 0) continue;
    if (!opened) open(t);
    switch (ev.kind) {
      case 'data': {
        if (src.finSent) throw new RangeError(`connection ${index}: data from ${ev.from} after its FIN`);
        const b = ev.bytes;
        let n = 0;
        for (let off = 0; off < b.length; off += mss) {
          emit(t, src, dst, TCP_PSH | TCP_ACK, b.subarray(off, Math.min(b.length, off + mss)));
          n++;
          if (n % 2 === 0 || off + mss >= b.length) emit(t, dst, src, TCP_ACK, null);
        }
        break;
      }
      case 'fin':
        if (src.finSent) break;
        src.finSent = true;
        emit(t, src, dst, TCP_FIN | TCP_ACK, null);
        emit(t, dst, src, TCP_ACK, null);
        break;
      case 'rst':
        // After both FINs the connection is closed; a late reset would only confuse readers.
        if (client.finSent && server.finSent) break;
        emit(t, src, dst, TCP_RST | TCP_ACK, null);
        dead = true;
        break;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Byte writing
// ---------------------------------------------------------------------------------------------

const pad4 = (n: number): number => (n + 3) & ~3;

/** Size of an option (§3.5): code(2) + length(2) + value padded to 32 bits. */
const optSize = (valueLen: number): number => 4 + pad4(valueLen);

function frameLen(f: Frame): number {
  return ETH_LEN + IP_LEN + TCP_LEN + (f.mssOpt ? MSS_OPTION_LEN : 0) + (f.payload ? f.payload.length : 0);
}

/** Ones' complement sum of 16-bit big-endian words (RFC 1071), not yet folded or inverted. */
function sum16(buf: Uint8Array, start: number, end: number, acc: number): number {
  let s = acc;
  let i = start;
  for (; i + 1 < end; i += 2) s += ((buf[i] ?? 0) << 8) | (buf[i + 1] ?? 0);
  if (i < end) s += (buf[i] ?? 0) << 8;
  // Fold now and then so the sum stays a small integer even for jumbo payloads.
  while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
  return s;
}

function fold(s: number): number {
  let x = s;
  while (x > 0xffff) x = (x & 0xffff) + (x >>> 16);
  return ~x & 0xffff;
}

/** Writes one Ethernet/IPv4/TCP frame at `o`, returns its length. */
function writeFrame(buf: Uint8Array, dv: DataView, o: number, f: Frame): number {
  const optLen = f.mssOpt ? MSS_OPTION_LEN : 0;
  const payload = f.payload ?? EMPTY;
  const tcpLen = TCP_LEN + optLen + payload.length;
  // Ethernet II
  buf.set(f.dst.mac, o);
  buf.set(f.src.mac, o + 6);
  dv.setUint16(o + 12, 0x0800); // EtherType IPv4
  // IPv4 (RFC 791)
  const ip = o + ETH_LEN;
  dv.setUint8(ip, 0x45); // version 4, IHL 5
  dv.setUint8(ip + 1, 0); // DSCP/ECN
  dv.setUint16(ip + 2, IP_LEN + tcpLen);
  dv.setUint16(ip + 4, f.ipId);
  dv.setUint16(ip + 6, 0x4000); // DF, fragment offset 0
  dv.setUint8(ip + 8, 64); // TTL
  dv.setUint8(ip + 9, 6); // TCP
  dv.setUint16(ip + 10, 0);
  buf.set(f.src.ip, ip + 12);
  buf.set(f.dst.ip, ip + 16);
  dv.setUint16(ip + 10, fold(sum16(buf, ip, ip + IP_LEN, 0)));
  // TCP (RFC 9293 §3.1)
  const tcp = ip + IP_LEN;
  dv.setUint16(tcp, f.src.port);
  dv.setUint16(tcp + 2, f.dst.port);
  dv.setUint32(tcp + 4, f.seq);
  dv.setUint32(tcp + 8, f.ack);
  dv.setUint8(tcp + 12, ((TCP_LEN + optLen) / 4) << 4);
  dv.setUint8(tcp + 13, f.flags);
  dv.setUint16(tcp + 14, TCP_WINDOW);
  dv.setUint16(tcp + 16, 0); // checksum, filled below
  dv.setUint16(tcp + 18, 0); // urgent pointer
  if (optLen) {
    dv.setUint8(tcp + 20, 2); // kind MSS
    dv.setUint8(tcp + 21, 4);
    dv.setUint16(tcp + 22, f.mssOpt);
  }
  buf.set(payload, tcp + TCP_LEN + optLen);
  // Pseudo-header: src, dst, zero, protocol, TCP length.
  let s = sum16(buf, ip + 12, ip + 20, 0);
  s += 6 + tcpLen;
  s = sum16(buf, tcp, tcp + tcpLen, s);
  dv.setUint16(tcp + 16, fold(s));
  return ETH_LEN + IP_LEN + tcpLen;
}

class BlockWriter {
  readonly buf: Uint8Array;
  readonly dv: DataView;
  o = 0;
  constructor(size: number) {
    this.buf = new Uint8Array(size);
    this.dv = new DataView(this.buf.buffer);
  }
  u16(v: number): void {
    this.dv.setUint16(this.o, v, true);
    this.o += 2;
  }
  u32(v: number): void {
    this.dv.setUint32(this.o, v >>> 0, true);
    this.o += 4;
  }
  bytes(b: Uint8Array): void {
    this.buf.set(b, this.o);
    this.o = pad4(this.o + b.length); // the buffer is zero-filled, so padding is zeros
  }
  option(code: number, value: Uint8Array): void {
    this.u16(code);
    this.u16(value.length);
    this.bytes(value);
  }
  endOfOptions(): void {
    this.u16(OPT_ENDOFOPT);
    this.u16(0);
  }
  /** Starts a block; returns a function that writes the trailing length and checks it. */
  begin(type: number, totalLen: number): () => void {
    const start = this.o;
    this.u32(type);
    this.u32(totalLen);
    return () => {
      this.u32(totalLen);
      if (this.o - start !== totalLen) throw new Error(`pcapng: block 0x${type.toString(16)} size mismatch`);
    };
  }
}

const te = new TextEncoder();

/** Key log text as stored in the DSB: CRLF normalized, blank lines dropped, newline-terminated. */
function normalizeKeyLog(text: string): string {
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
  return lines.length ? lines.join('\n') + '\n' : '';
}

/**
 * Builds the complete pcapng file. Throws RangeError on malformed endpoints, timestamps or an
 * impossible event order (data after that side's FIN).
 */
export function writePcapng(input: PcapngInput): Uint8Array {
  const mss = input.mss ?? DEFAULT_MSS;
  if (!Number.isInteger(mss) || mss < 1 || mss > 65495) throw new RangeError(`bad MSS: ${mss}`);

  const frames: Frame[] = [];
  input.connections.forEach((c, i) => planConnection(c, i, mss, frames));
  // Array.prototype.sort is stable (ES2019), and each connection's frames are already in order.
  frames.sort((a, b) => a.tUs - b.tUs);

  const userappl = te.encode('Handshake Lab');
  const comment = input.comment ? te.encode(input.comment) : null;
  const ifName = te.encode('wiretap');
  const ifDesc = te.encode('Handshake Lab relay (synthesized Ethernet/IPv4/TCP)');
  const keyLog = input.keyLog ? te.encode(normalizeKeyLog(input.keyLog)) : EMPTY;

  const shbLen = 12 + 16 + optSize(userappl.length) + (comment ? optSize(comment.length) : 0) + 4;
  const idbLen = 12 + 8 + optSize(ifName.length) + optSize(ifDesc.length) + 4;
  const dsbLen = keyLog.length ? 12 + 8 + pad4(keyLog.length) : 0;
  let total = shbLen + idbLen + dsbLen;
  for (const f of frames) total += 12 + 20 + pad4(frameLen(f));

  const w = new BlockWriter(total);

  // §4.1 Section Header Block
  let end = w.begin(BLOCK_SHB, shbLen);
  w.u32(BYTE_ORDER_MAGIC);
  w.u16(1); // major
  w.u16(0); // minor
  w.u32(0xffffffff); // section length: -1 (not specified)
  w.u32(0xffffffff);
  w.option(SHB_USERAPPL, userappl);
  if (comment) w.option(OPT_COMMENT, comment);
  w.endOfOptions();
  end();

  // §4.2 Interface Description Block
  end = w.begin(BLOCK_IDB, idbLen);
  w.u16(LINKTYPE_ETHERNET);
  w.u16(0); // reserved
  w.u32(SNAPLEN);
  w.option(IF_NAME, ifName);
  w.option(IF_DESCRIPTION, ifDesc);
  w.endOfOptions();
  end();

  // §4.7 Decryption Secrets Block (before any packet, so one-pass readers can decrypt)
  if (keyLog.length) {
    end = w.begin(BLOCK_DSB, dsbLen);
    w.u32(SECRETS_TYPE_TLS_KEYLOG);
    w.u32(keyLog.length);
    w.bytes(keyLog);
    end();
  }

  // §4.3 Enhanced Packet Blocks
  for (const f of frames) {
    const len = frameLen(f);
    end = w.begin(BLOCK_EPB, 12 + 20 + pad4(len));
    w.u32(0); // interface id
    w.u32(Math.floor(f.tUs / 0x100000000)); // timestamp, upper 32 bits (units: if_tsresol = µs)
    w.u32(f.tUs % 0x100000000); // lower 32 bits
    w.u32(len); // captured length
    w.u32(len); // original length
    writeFrame(w.buf, w.dv, w.o, f);
    w.o += pad4(len);
    end();
  }

  if (w.o !== total) throw new Error('pcapng: size mismatch');
  return w.buf;
}
