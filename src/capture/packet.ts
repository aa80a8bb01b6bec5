import { BoundedReader } from './bytes.ts';

/**
 * One captured frame → its TCP segment: link layer (Ethernet with VLAN tags, Linux cooked SLL and
 * SLL2, BSD NULL/LOOP, raw IP) → IPv4 (RFC 791) or IPv6 (RFC 8200, extension headers skipped) →
 * TCP (RFC 9293 §3.1). Anything else is skipped with a reason; nothing here throws.
 */
export interface TcpSegment {
  family: 4 | 6;
  src: string;
  dst: string;
  srcPort: number;
  dstPort: number;
  seq: number;
  ack: number;
  flags: number;
  /** The captured payload (a view into the file). */
  payload: Uint8Array;
  /** The payload's length per the IP header: more than payload.length when the snapshot length cut the packet. */
  payloadLen: number;
}

export type SkipReason = 'linktype' | 'not-ip' | 'not-tcp' | 'fragment' | 'malformed';
export type Decoded = { kind: 'tcp'; seg: TcpSegment } | { kind: 'skip'; reason: SkipReason };

export const TCP_FIN = 0x01;
export const TCP_SYN = 0x02;
export const TCP_RST = 0x04;
export const TCP_ACK = 0x10;

export const LINKTYPES: Record<number, string> = {
  0: 'NULL (BSD loopback)',
  1: 'Ethernet',
  101: 'raw IP',
  108: 'LOOP (OpenBSD loopback)',
  113: 'Linux cooked (SLL)',
  228: 'raw IPv4',
  229: 'raw IPv6',
  276: 'Linux cooked v2 (SLL2)',
};

export function isSupportedLinktype(lt: number): boolean {
  return lt in LINKTYPES;
}

export function linktypeName(lt: number): string {
  return LINKTYPES[lt] ?? KNOWN_UNSUPPORTED[lt] ?? `link type ${lt}`;
}

const KNOWN_UNSUPPORTED: Record<number, string> = {
  105: 'IEEE 802.11',
  127: 'IEEE 802.11 radiotap',
  147: 'user-defined (DLT_USER0)',
  187: 'Bluetooth HCI H4',
  195: 'IEEE 802.15.4',
  220: 'USB (Linux, mmapped)',
  249: 'netlink',
};

const ETHERTYPE_IPV4 = 0x0800;
const ETHERTYPE_IPV6 = 0x86dd;
const VLAN_TAGS = new Set([0x8100, 0x88a8, 0x9100]);

class Malformed extends Error {}
const malformed = (): never => {
  throw new Malformed();
};

export function decodePacket(linktype: number, data: Uint8Array): Decoded {
  try {
    const r = new BoundedReader(data, false, malformed);
    let ethertype: number;
    switch (linktype) {
      case 1: {
        r.skip(12, 'MAC addresses');
        ethertype = r.u16('ethertype');
        while (VLAN_TAGS.has(ethertype)) {
          r.skip(2, 'VLAN tag');
          ethertype = r.u16('ethertype');
        }
        break;
      }
      case 0:
      case 108: {
        // BSD loopback: the address family, in the capturing host's byte order (NULL) or network order (LOOP).
        const b = r.bytes(4, 'family');
        const family = linktype === 108 || (b[0] === 0 && b[1] === 0) ? ((b[2]! << 8) | b[3]!) : (b[0]! | (b[1]! << 8));
        if (family === 2) ethertype = ETHERTYPE_IPV4;
        else if (family === 10 || family === 24 || family === 28 || family === 30) ethertype = ETHERTYPE_IPV6; // Linux, NetBSD/OpenBSD, FreeBSD, macOS
        else return { kind: 'skip', reason: 'not-ip' };
        break;
      }
      case 101:
      case 228:
      case 229: {
        const v = r.remaining ? data[0]! >> 4 : 0;
        ethertype = v === 4 ? ETHERTYPE_IPV4 : v === 6 ? ETHERTYPE_IPV6 : 0;
        if ((linktype === 228 && v !== 4) || (linktype === 229 && v !== 6)) return { kind: 'skip', reason: 'malformed' };
        break;
      }
      case 113:
        r.skip(14, 'SLL header');
        ethertype = r.u16('protocol');
        break;
      case 276:
        ethertype = r.u16('protocol');
        r.skip(18, 'SLL2 header');
        break;
      default:
        return { kind: 'skip', reason: 'linktype' };
    }
    if (ethertype === ETHERTYPE_IPV4) return ipv4(r);
    if (ethertype === ETHERTYPE_IPV6) return ipv6(r);
    return { kind: 'skip', reason: 'not-ip' };
  } catch (e) {
    if (e instanceof Malformed) return { kind: 'skip', reason: 'malformed' };
    throw e;
  }
}

function ipv4(r: BoundedReader): Decoded {
  const start = r.pos;
  const vihl = r.u8('version/IHL');
  if (vihl >> 4 !== 4) return { kind: 'skip', reason: 'malformed' };
  const ihl = (vihl & 0x0f) * 4;
  if (ihl < 20) return { kind: 'skip', reason: 'malformed' };
  r.u8('DSCP');
  const total0 = r.u16('total length');
  r.u16('identification');
  const frag = r.u16('flags/fragment offset');
  r.u8('TTL');
  const proto = r.u8('protocol');
  r.u16('checksum');
  const src = r.bytes(4, 'source');
  const dst = r.bytes(4, 'destination');
  r.skip(ihl - 20, 'IPv4 options');
  // Total length 0: a packet captured on the sending host before TCP segmentation offload filled it in.
  const total = total0 === 0 ? r.end - start : total0;
  if (total < ihl) return { kind: 'skip', reason: 'malformed' };
  if (frag & 0x3fff) return { kind: 'skip', reason: 'fragment' }; // MF set or offset ≠ 0
  if (proto !== 6) return { kind: 'skip', reason: 'not-tcp' };
  const ipLen = total - ihl;
  const avail = Math.min(ipLen, r.end - (start + ihl)); // Ethernet padding trimmed; snaplen may cut
  return tcp(new BoundedReader(r.buf, false, malformed, start + ihl, start + ihl + avail), 4, ipv4Text(src), ipv4Text(dst), ipLen);
}

function ipv6(r: BoundedReader): Decoded {
  const v = r.u8('version');
  if (v >> 4 !== 6) return { kind: 'skip', reason: 'malformed' };
  r.skip(3, 'traffic class/flow label');
  let payloadLen = r.u16('payload length');
  let next = r.u8('next header');
  r.u8('hop limit');
  const src = r.bytes(16, 'source');
  const dst = r.bytes(16, 'destination');
  const payloadStart = r.pos;
  if (payloadLen === 0) payloadLen = r.remaining; // jumbogram (RFC 2675) or TSO: take what was captured
  let guard = 0;
  for (;;) {
    if (next === 6) break;
    if (++guard > 16) return { kind: 'skip', reason: 'malformed' };
    if (next === 0 || next === 43 || next === 60) {
      next = r.u8('next header');
      const len = r.u8('header length');
      r.skip(len * 8 + 6, 'extension header');
    } else if (next === 44) {
      next = r.u8('next header');
      r.u8('reserved');
      const off = r.u16('fragment offset');
      r.u32('identification');
      if (off & 0xfff9) return { kind: 'skip', reason: 'fragment' }; // offset ≠ 0 or M set
    } else if (next === 51) {
      next = r.u8('next header');
      const len = r.u8('payload length');
      r.skip(len * 4 + 6, 'authentication header');
    } else {
      return { kind: 'skip', reason: 'not-tcp' };
    }
  }
  const consumed = r.pos - payloadStart;
  if (consumed > payloadLen) return { kind: 'skip', reason: 'malformed' };
  const tcpLen = payloadLen - consumed;
  const avail = Math.min(tcpLen, r.remaining);
  return tcp(new BoundedReader(r.buf, false, malformed, r.pos, r.pos + avail), 6, ipv6Text(src), ipv6Text(dst), tcpLen);
}

function tcp(r: BoundedReader, family: 4 | 6, src: string, dst: string, segLen: number): Decoded {
  const start = r.pos;
  const srcPort = r.u16('source port');
  const dstPort = r.u16('destination port');
  const seq = r.u32('sequence number');
  const ack = r.u32('acknowledgment number');
  const off = (r.u8('data offset') >> 4) * 4;
  const flags = r.u8('flags');
  if (off < 20 || off > segLen) return { kind: 'skip', reason: 'malformed' };
  r.pos = start + 14;
  r.skip(off - 14, 'TCP header');
  return { kind: 'tcp', seg: { family, src, dst, srcPort, dstPort, seq, ack, flags, payload: r.bytes(r.remaining, 'payload'), payloadLen: segLen - off } };
}

function ipv4Text(b: Uint8Array): string {
  return `${b[0]}.${b[1]}.${b[2]}.${b[3]}`;
}

/** RFC 5952 text: lower case, no leading zeros, the longest run (≥ 2) of zero groups as "::". */
export function ipv6Text(b: Uint8Array): string {
  const g: number[] = [];
  for (let i = 0; i < 16; i += 2) g.push((b[i]! << 8) | b[i + 1]!);
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hexOf = (xs: number[]) => xs.map((x) => x.toString(16)).join(':');
  if (best < 0) return hexOf(g);
  return `${hexOf(g.slice(0, best))}::${hexOf(g.slice(best + bestLen))}`;
}
