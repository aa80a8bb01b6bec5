import { BoundedReader } from './bytes.ts';
import { CaptureError } from './errors.ts';
import { isSupportedLinktype, linktypeName } from './packet.ts';

/**
 * Readers for the two capture file formats, streaming: one pass over the bytes, each packet handed
 * to the sink as a view into the file (never copied).
 *
 * - Classic pcap (draft-ietf-opsawg-pcap): magic 0xa1b2c3d4 (µs) or 0xa1b23c4d (ns) in either byte
 *   order, 24-byte file header (version, snaplen, link type), 16-byte record headers.
 * - pcapng (draft-ietf-opsawg-pcapng): sections (SHB, byte order from its magic 0x1a2b3c4d), one
 *   IDB per interface (link type, if_tsresol, if_tsoffset), EPB / SPB / obsolete PB packets, DSB
 *   (secrets type 0x544c534b "TLSK": an NSS key log); every other block is skipped by its length.
 */
export interface RawPacket {
  /** 1-based frame number, as Wireshark numbers them. */
  frame: number;
  linktype: number;
  /** µs since the Unix epoch. */
  tsUs: number;
  /** The captured bytes (a view into the file). */
  data: Uint8Array;
  /** The packet's length on the wire (more than data.length when the snapshot length cut it). */
  origLen: number;
}

export interface CaptureSink {
  packet(p: RawPacket): void;
  /** An NSS key log carried in a pcapng Decryption Secrets Block, before packet `frame`. */
  keylog(text: string, frame: number): void;
  /** A Decryption Secrets Block of another type (WireGuard, ZigBee …). */
  otherSecrets(type: number): void;
  /** Bytes of the file read so far. */
  progress(offset: number): void;
}

export type CaptureFormat = 'pcap' | 'pcapng';

const PCAP_US = 0xa1b2c3d4;
const PCAP_NS = 0xa1b23c4d;
const PCAPNG_SHB = 0x0a0d0d0a;
const BYTE_ORDER_MAGIC = 0x1a2b3c4d;
const BLOCK_IDB = 1;
const BLOCK_PB = 2; // obsolete Packet Block
const BLOCK_SPB = 3;
const BLOCK_EPB = 6;
const BLOCK_DSB = 10;
export const SECRETS_TLS_KEYLOG = 0x544c534b;
/** Larger than any real link's frame; a record claiming more is corrupt, not big. */
const MAX_PACKET = 0x4000000;

const hex = (n: number) => `0x${n.toString(16).padStart(8, '0')}`;
const utf8 = new TextDecoder('utf-8', { fatal: false });

/** What kind of file this is; throws ERR_NOT_A_CAPTURE (with a hint when we recognise it) or ERR_TRUNCATED_CAPTURE. */
export function detectFormat(bytes: Uint8Array): CaptureFormat {
  if (bytes.length === 0) throw new CaptureError('ERR_NOT_A_CAPTURE', 'the file is empty', { hint: 'empty' });
  const magics = [PCAP_US, PCAP_NS, PCAPNG_SHB];
  const firstBytes = (m: number, le: boolean) => {
    const b = [m >>> 24, (m >>> 16) & 0xff, (m >>> 8) & 0xff, m & 0xff];
    return le ? b.reverse() : b;
  };
  for (const m of magics) {
    for (const le of [false, true]) {
      const b = firstBytes(m, le);
      const n = Math.min(4, bytes.length);
      let same = true;
      for (let i = 0; i < n; i++) if (bytes[i] !== b[i]) same = false;
      if (!same) continue;
      if (bytes.length < 4) throw new CaptureError('ERR_TRUNCATED_CAPTURE', `the file ends after ${bytes.length} byte(s), inside the magic number`, { offset: bytes.length, where: 'file header', ...loc('header') });
      return m === PCAPNG_SHB ? 'pcapng' : 'pcap';
    }
  }
  throw new CaptureError('ERR_NOT_A_CAPTURE', `the file starts with ${[...bytes.subarray(0, 4)].map((b) => b.toString(16).padStart(2, '0')).join(' ')}, not a pcap or pcapng magic number`, { hint: hintFor(bytes) });
}

/** A guess at what the file is instead, for the message: gzip, a key log, JSON, other text. */
function hintFor(bytes: Uint8Array): string {
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) return 'gzip';
  const head = utf8.decode(bytes.subarray(0, 256));
  if (/^\s*(?:#.*\n\s*)*(CLIENT_RANDOM|CLIENT_HANDSHAKE_TRAFFIC_SECRET|SERVER_HANDSHAKE_TRAFFIC_SECRET|CLIENT_TRAFFIC_SECRET_0|RSA) /.test(head)) return 'keylog';
  if (/^\s*[[{]/.test(head)) return 'json';
  if (/^[\x09\x0a\x0d\x20-\x7e]*$/.test(head.slice(0, 64))) return 'text';
  return 'unknown';
}

export function readCaptureFile(bytes: Uint8Array, sink: CaptureSink): CaptureFormat {
  const format = detectFormat(bytes);
  if (format === 'pcap') readPcap(bytes, sink);
  else readPcapng(bytes, sink);
  return format;
}

/** Where in the file a problem is, for the UI's sentence: the file header, packet n (pcap) or block n of type X (pcapng). */
function loc(unit: 'header' | 'packet' | 'block', number = 0, blockType = ''): { unit: string; number: number; blockType: string } {
  return { unit, number, blockType };
}

function truncated(where: string, at0: ReturnType<typeof loc>) {
  return (need: number, at: number, what: string): never => {
    throw new CaptureError('ERR_TRUNCATED_CAPTURE', `the file ends at byte ${at} inside ${where}: ${what} needs ${need} byte(s)`, { offset: at, where, ...at0 });
  };
}

// ---------------------------------------------------------------------------------------------
// classic pcap
// ---------------------------------------------------------------------------------------------

function readPcap(bytes: Uint8Array, sink: CaptureSink): void {
  const magicLe = new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0, true);
  const le = magicLe === PCAP_US || magicLe === PCAP_NS;
  const ns = (le ? magicLe : new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0, false)) === PCAP_NS;
  const h = new BoundedReader(bytes, le, truncated('the 24-byte file header', loc('header')));
  h.skip(4, 'magic');
  const major = h.u16('version_major');
  h.u16('version_minor');
  h.i32('thiszone');
  h.u32('sigfigs');
  h.u32('snaplen');
  const linktype = h.u32('linktype') & 0xffff;
  if (major !== 2) throw new CaptureError('ERR_BAD_CAPTURE', `pcap version ${major} (only version 2 exists)`, { offset: 4, where: 'file header', ...loc('header') });
  if (!isSupportedLinktype(linktype)) {
    throw new CaptureError('ERR_UNSUPPORTED_LINKTYPE', `link type ${linktype} (${linktypeName(linktype)}) is not supported`, { linktype, name: linktypeName(linktype) });
  }
  let frame = 0;
  let pos = 24;
  while (pos < bytes.length) {
    frame++;
    const r = new BoundedReader(bytes, le, truncated(`the header of packet ${frame}`, loc('packet', frame)), pos);
    const sec = r.u32('ts_sec');
    const frac = r.u32('ts_usec');
    const incl = r.u32('incl_len');
    const orig = r.u32('orig_len');
    if (incl > MAX_PACKET) throw new CaptureError('ERR_BAD_CAPTURE', `packet ${frame} at byte ${pos} claims ${incl} captured bytes`, { offset: pos, where: `packet ${frame}`, ...loc('packet', frame) });
    const data = new BoundedReader(bytes, le, truncated(`packet ${frame}`, loc('packet', frame)), r.pos).bytes(incl, `its ${incl} captured bytes`);
    pos = r.pos + incl;
    sink.packet({ frame, linktype, tsUs: sec * 1e6 + (ns ? frac / 1000 : frac), data, origLen: Math.max(orig, incl) });
    sink.progress(pos);
  }
}

// ---------------------------------------------------------------------------------------------
// pcapng
// ---------------------------------------------------------------------------------------------

interface Iface {
  linktype: number;
  /** Timestamp units per second (if_tsresol). */
  unitsPerSec: number;
  /** if_tsoffset, seconds. */
  offsetSec: number;
}

const BLOCK_NAMES: Record<number, string> = { [PCAPNG_SHB]: 'SHB', [BLOCK_IDB]: 'IDB', [BLOCK_PB]: 'PB', [BLOCK_SPB]: 'SPB', [BLOCK_EPB]: 'EPB', [BLOCK_DSB]: 'DSB', 4: 'NRB', 5: 'ISB' };

function readPcapng(bytes: Uint8Array, sink: CaptureSink): void {
  let le = true;
  let ifaces: Iface[] = [];
  let frame = 0;
  let block = 0;
  let pos = 0;
  let lastTs = 0;
  while (pos < bytes.length) {
    block++;
    const where = `block ${block}`;
    const head = new BoundedReader(bytes, true, truncated(`the header of ${where}`, loc('block', block)), pos);
    const typeLe = head.u32('block type');
    if (typeLe === PCAPNG_SHB) {
      head.u32('block total length');
      const bom = head.u32('byte-order magic');
      if (bom === BYTE_ORDER_MAGIC) le = true;
      else if (bom === 0x4d3c2b1a) le = false;
      else throw new CaptureError('ERR_BAD_CAPTURE', `section header at byte ${pos} has byte-order magic ${hex(bom)}`, { offset: pos + 8, where, ...loc('block', block, 'SHB') });
      ifaces = [];
    } else if (block === 1) {
      throw new CaptureError('ERR_NOT_A_CAPTURE', 'pcapng file without a section header', { hint: 'unknown' });
    }
    const r = new BoundedReader(bytes, le, truncated(`the header of ${where}`, loc('block', block)), pos);
    const type = r.u32('block type');
    const total = r.u32('block total length');
    const name = BLOCK_NAMES[type] ?? hex(type);
    if (total < 12 || total % 4 !== 0) {
      throw new CaptureError('ERR_BAD_CAPTURE', `${where} (${name}) at byte ${pos} has an impossible length ${total}`, { offset: pos, where: `${where} (${name})`, ...loc('block', block, name) });
    }
    if (pos + total > bytes.length) {
      throw new CaptureError('ERR_TRUNCATED_CAPTURE', `the file ends at byte ${bytes.length} inside ${where} (${name}), which starts at byte ${pos} and needs ${total} bytes`, { offset: bytes.length, where: `${where} (${name})`, ...loc('block', block, name) });
    }
    const bad = (need: number, at: number, what: string): never => {
      throw new CaptureError('ERR_BAD_CAPTURE', `${what} at byte ${at} runs past the end of ${where} (${name})`, { offset: at, where: `${where} (${name})`, ...loc('block', block, name) });
    };
    const body = new BoundedReader(bytes, le, bad, pos + 8, pos + total - 4);
    const trailer = new BoundedReader(bytes, le, bad, pos + total - 4, pos + total).u32('trailing length');
    if (trailer !== total) {
      throw new CaptureError('ERR_BAD_CAPTURE', `${where} (${name}) at byte ${pos}: trailing length ${trailer} differs from ${total}`, { offset: pos + total - 4, where: `${where} (${name})`, ...loc('block', block, name) });
    }
    switch (type) {
      case PCAPNG_SHB: {
        body.u32('byte-order magic');
        const major = body.u16('major version');
        if (major !== 1) throw new CaptureError('ERR_BAD_CAPTURE', `pcapng section version ${major} (only version 1 exists)`, { offset: pos + 12, where: `${where} (${name})`, ...loc('block', block, name) });
        break;
      }
      case BLOCK_IDB:
        ifaces.push(readIdb(body));
        break;
      case BLOCK_EPB:
      case BLOCK_PB: {
        const id = type === BLOCK_EPB ? body.u32('interface id') : body.u16('interface id');
        if (type === BLOCK_PB) body.u16('drops count');
        const hi = body.u32('timestamp (high)');
        const lo = body.u32('timestamp (low)');
        const cap = body.u32('captured length');
        const orig = body.u32('original length');
        const data = body.bytes(cap, `${cap} captured bytes`);
        const iface = ifaceOf(ifaces, id, pos, block, where, name);
        frame++;
        lastTs = toUs(iface, hi, lo);
        sink.packet({ frame, linktype: iface.linktype, tsUs: lastTs, data, origLen: Math.max(orig, cap) });
        break;
      }
      case BLOCK_SPB: {
        const iface = ifaceOf(ifaces, 0, pos, block, where, name);
        const orig = body.u32('original length');
        const data = body.bytes(Math.min(orig, body.remaining), 'packet data');
        frame++;
        // An SPB has no timestamp: it gets its predecessor's (Wireshark shows it the same way).
        sink.packet({ frame, linktype: iface.linktype, tsUs: lastTs, data, origLen: Math.max(orig, data.length) });
        break;
      }
      case BLOCK_DSB: {
        const secretsType = body.u32('secrets type');
        const len = body.u32('secrets length');
        const data = body.bytes(len, `${len} bytes of secrets`);
        if (secretsType === SECRETS_TLS_KEYLOG) sink.keylog(utf8.decode(data), frame + 1);
        else sink.otherSecrets(secretsType);
        break;
      }
      default:
        break; // NRB, ISB, custom and future blocks: skipped by their length
    }
    pos += total;
    sink.progress(pos);
  }
}

function ifaceOf(ifaces: Iface[], id: number, pos: number, block: number, where: string, name: string): Iface {
  const iface = ifaces[id];
  if (!iface) {
    throw new CaptureError('ERR_BAD_CAPTURE', `${where} (${name}) at byte ${pos} names interface ${id}, but the section describes ${ifaces.length}`, { offset: pos, where: `${where} (${name})`, ...loc('block', block, name) });
  }
  return iface;
}

/** Interface Description Block (§4.2): link type, snaplen, options (if_tsresol = 9, if_tsoffset = 14). */
function readIdb(body: BoundedReader): Iface {
  const linktype = body.u16('link type');
  body.u16('reserved');
  body.u32('snaplen');
  const iface: Iface = { linktype, unitsPerSec: 1e6, offsetSec: 0 };
  while (body.remaining >= 4) {
    const code = body.u16('option code');
    const len = body.u16('option length');
    if (code === 0) break;
    const v = body.sub(len, `option ${code}`);
    body.skip((4 - (len % 4)) % 4, `option ${code} padding`);
    if (code === 9 && len >= 1) {
      const res = v.u8('if_tsresol');
      const exp = res & 0x7f;
      iface.unitsPerSec = res & 0x80 ? 2 ** exp : 10 ** exp;
    } else if (code === 14 && len >= 8) {
      const a = v.u32('if_tsoffset');
      const b = v.u32('if_tsoffset');
      const [hi, lo] = v.le ? [b | 0, a] : [a | 0, b];
      iface.offsetSec = hi * 0x100000000 + lo;
    }
  }
  return iface;
}

function toUs(iface: Iface, hi: number, lo: number): number {
  const units = hi * 0x100000000 + lo;
  const us = iface.unitsPerSec === 1e6 ? units : (units / iface.unitsPerSec) * 1e6;
  return us + iface.offsetSec * 1e6;
}
