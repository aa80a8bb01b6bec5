import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { requireTool } from '../../test/tools.ts';
import { decodePacket, ipv6Text, TCP_ACK, TCP_SYN } from './packet.ts';
import { ipPacket, linkFrame, writePcapngBlocks, type SegSpec } from './testkit.ts';

const hasTshark = requireTool('tshark', 'tshark', 'tshark cross-check of the link-layer decoders', ['-v']);
const payload = new TextEncoder().encode('GET /cr HTTP/1.1\r\n\r\n');
const v4: SegSpec = { src: '192.0.2.10', dst: '198.51.100.7', sport: 50123, dport: 7547, seq: 0xfffffff0, ack: 7, flags: TCP_ACK | 0x08, payload };
const v6: SegSpec = { src: '2001:db8::1', dst: '2001:db8:0:1::20', sport: 40000, dport: 443, seq: 1, ack: 2, flags: TCP_ACK, payload };

const CASES: { name: string; linktype: number; frame: Uint8Array; spec: SegSpec }[] = [
  { name: 'Ethernet IPv4', linktype: 1, frame: linkFrame(1, ipPacket(v4, { trailer: 6 })), spec: v4 },
  { name: 'Ethernet 802.1Q VLAN IPv6', linktype: 1, frame: linkFrame(1, ipPacket(v6), { vlan: true }), spec: v6 },
  { name: 'Ethernet IPv4 with options', linktype: 1, frame: linkFrame(1, ipPacket(v4, { ipv4Options: 8 })), spec: v4 },
  { name: 'Ethernet IPv6 with hop-by-hop and destination options', linktype: 1, frame: linkFrame(1, ipPacket(v6, { ipv6Ext: [0, 60] })), spec: v6 },
  { name: 'NULL little-endian AF_INET', linktype: 0, frame: linkFrame(0, ipPacket(v4)), spec: v4 },
  { name: 'NULL little-endian AF_INET6 (macOS 30)', linktype: 0, frame: linkFrame(0, ipPacket(v6)), spec: v6 },
  { name: 'NULL big-endian AF_INET6 (OpenBSD 24)', linktype: 0, frame: linkFrame(0, ipPacket(v6), { family: 24, bigEndianFamily: true }), spec: v6 },
  { name: 'LOOP AF_INET', linktype: 108, frame: linkFrame(108, ipPacket(v4)), spec: v4 },
  { name: 'raw IP (101) IPv4', linktype: 101, frame: ipPacket(v4), spec: v4 },
  { name: 'raw IP (101) IPv6', linktype: 101, frame: ipPacket(v6), spec: v6 },
  { name: 'raw IPv4 (228)', linktype: 228, frame: ipPacket(v4), spec: v4 },
  { name: 'raw IPv6 (229)', linktype: 229, frame: ipPacket(v6), spec: v6 },
  { name: 'Linux cooked SLL', linktype: 113, frame: linkFrame(113, ipPacket(v4)), spec: v4 },
  { name: 'Linux cooked SLL2', linktype: 276, frame: linkFrame(276, ipPacket(v6)), spec: v6 },
];

describe('link layer → IP → TCP', () => {
  it.each(CASES)('$name', ({ linktype, frame, spec }) => {
    const d = decodePacket(linktype, frame);
    expect(d.kind).toBe('tcp');
    if (d.kind !== 'tcp') return;
    expect(d.seg).toMatchObject({ src: spec.src, dst: spec.dst, srcPort: spec.sport, dstPort: spec.dport, seq: spec.seq >>> 0, ack: spec.ack, flags: spec.flags, payloadLen: payload.length });
    expect(new TextDecoder().decode(d.seg.payload)).toBe('GET /cr HTTP/1.1\r\n\r\n'); // Ethernet trailer not taken as payload
  });

  it.runIf(hasTshark)('tshark decodes the same addresses, ports, sequence numbers and lengths from one pcapng holding every link type', () => {
    const file = writePcapngBlocks([
      ...CASES.map((c) => ({ kind: 'idb' as const, linktype: c.linktype })),
      ...CASES.map((c, i) => ({ kind: 'epb' as const, iface: i, ts: BigInt(1_700_000_000_000_000 + i), data: c.frame })),
    ]);
    const dir = mkdtempSync(join(tmpdir(), 'hl-link-'));
    writeFileSync(join(dir, 'all.pcapng'), file);
    const out = execFileSync('tshark', ['-r', join(dir, 'all.pcapng'), '-T', 'fields', '-E', 'separator=|', '-e', 'ip.src', '-e', 'ipv6.src', '-e', 'tcp.srcport', '-e', 'tcp.dstport', '-e', 'tcp.seq_raw', '-e', 'tcp.len'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const rows = out.trim().split('\n');
    expect(rows).toHaveLength(CASES.length);
    CASES.forEach((c, i) => {
      const d = decodePacket(c.linktype, c.frame);
      if (d.kind !== 'tcp') throw new Error(c.name);
      const [ip4, ip6, sp, dp, seq, len] = rows[i]!.split('|');
      expect(d.seg.family === 4 ? ip4 : ip6, c.name).toBe(d.seg.src);
      expect([Number(sp), Number(dp), Number(seq), Number(len)], c.name).toEqual([d.seg.srcPort, d.seg.dstPort, d.seg.seq, d.seg.payload.length]);
    });
  });

  it('skips what is not TCP over IP, says why, and never throws', () => {
    const udp = ipPacket(v4);
    udp[9] = 17;
    expect(decodePacket(1, linkFrame(1, udp))).toEqual({ kind: 'skip', reason: 'not-tcp' });
    const arp = linkFrame(1, ipPacket(v4));
    arp[12] = 0x08;
    arp[13] = 0x06;
    expect(decodePacket(1, arp)).toEqual({ kind: 'skip', reason: 'not-ip' });
    const frag = ipPacket(v4);
    frag[6] = 0x20; // MF
    expect(decodePacket(101, frag)).toEqual({ kind: 'skip', reason: 'fragment' });
    expect(decodePacket(105, ipPacket(v4))).toEqual({ kind: 'skip', reason: 'linktype' });
    expect(decodePacket(1, linkFrame(1, ipPacket(v4)).subarray(0, 30))).toEqual({ kind: 'skip', reason: 'malformed' });
    expect(decodePacket(228, ipPacket(v6))).toEqual({ kind: 'skip', reason: 'malformed' });
    fc.assert(
      fc.property(fc.constantFrom(0, 1, 101, 108, 113, 228, 229, 276), fc.uint8Array({ maxLength: 120 }), (lt, bytes) => {
        const d = decodePacket(lt, bytes);
        expect(['tcp', 'skip']).toContain(d.kind);
      }),
      { numRuns: 2000 },
    );
  });

  it('IPv4 total length 0 (captured before TCP segmentation offload) takes the captured length', () => {
    const ip = ipPacket(v4);
    ip[2] = 0;
    ip[3] = 0;
    const d = decodePacket(101, ip);
    expect(d.kind === 'tcp' && new TextDecoder().decode(d.seg.payload)).toBe('GET /cr HTTP/1.1\r\n\r\n');
  });

  it('a packet cut by the snapshot length keeps the IP header length', () => {
    const frame = linkFrame(1, ipPacket({ ...v4, flags: TCP_SYN }));
    const cut = frame.subarray(0, frame.length - 5);
    const d = decodePacket(1, cut);
    expect(d.kind === 'tcp' && [d.seg.payload.length, d.seg.payloadLen]).toEqual([payload.length - 5, payload.length]);
  });
});

describe('IPv6 text (RFC 5952)', () => {
  const b = (groups: number[]) => Uint8Array.from(groups.flatMap((g) => [g >> 8, g & 0xff]));
  it.each([
    [[0, 0, 0, 0, 0, 0, 0, 1], '::1'],
    [[0, 0, 0, 0, 0, 0, 0, 0], '::'],
    [[0x2001, 0xdb8, 0, 0, 1, 0, 0, 1], '2001:db8::1:0:0:1'],
    [[0x2001, 0xdb8, 0, 0, 0, 0, 0, 0x20], '2001:db8::20'],
    [[0x2001, 0xdb8, 0, 1, 1, 1, 1, 1], '2001:db8:0:1:1:1:1:1'],
    [[0xfe80, 0, 0, 0, 0xabcd, 0, 0, 1], 'fe80::abcd:0:0:1'],
  ])('%j → %s', (g, text) => {
    expect(ipv6Text(b(g as number[]))).toBe(text);
  });
});
