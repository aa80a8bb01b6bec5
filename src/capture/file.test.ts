import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CaptureError } from './errors.ts';
import { detectFormat, readCaptureFile, SECRETS_TLS_KEYLOG, type RawPacket } from './file.ts';
import { readPackets, writePcap, writePcapngBlocks } from './testkit.ts';

const SHARED = join(import.meta.dirname, '../../../shared/captures');
const hasShared = existsSync(join(SHARED, 'illustrated-tls12.pcap'));
if (!hasShared) {
  if (process.env.CI === 'true') throw new Error(`${SHARED} is missing: CI needs ../shared/captures`);
  console.warn(`\n!!! SKIPPED shared-capture reader tests: ${SHARED} not found !!!\n`);
}

const pkts: { tsUs: number; data: Uint8Array }[] = [
  { tsUs: 1_700_000_000_123_456, data: Uint8Array.of(1, 2, 3) },
  { tsUs: 1_700_000_001_000_001, data: new Uint8Array(61).fill(7) },
  { tsUs: 1_700_000_002_999_999, data: new Uint8Array(0) },
];

function codeOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof CaptureError) return e.code;
    throw e;
  }
  return 'ok';
}

describe('classic pcap', () => {
  it.each([
    ['little-endian µs', { bigEndian: false, nanos: false }],
    ['big-endian µs', { bigEndian: true, nanos: false }],
    ['little-endian ns', { bigEndian: false, nanos: true }],
    ['big-endian ns', { bigEndian: true, nanos: true }],
  ])('%s: every packet, its link type, time and bytes', (_n, o) => {
    const { packets } = readPackets(writePcap(pkts, { linktype: 1, ...o }));
    expect(packets.map((p) => [p.frame, p.linktype, p.tsUs, [...p.data]])).toEqual(pkts.map((p, i) => [i + 1, 1, p.tsUs, [...p.data]]));
  });

  it.runIf(hasShared)('reads the shared capture: 22 frames, NULL link type, µs times', () => {
    const { packets } = readPackets(new Uint8Array(readFileSync(join(SHARED, 'illustrated-tls12.pcap'))));
    expect(packets).toHaveLength(22);
    expect(new Set(packets.map((p) => p.linktype))).toEqual(new Set([0]));
    expect(packets[4]!.tsUs - packets[0]!.tsUs).toBe(168); // tshark: frame 5 at 0.000168
  });

  it('rejects an unsupported link type, a bad version, a corrupt record length', () => {
    expect(codeOf(() => readPackets(writePcap(pkts, { linktype: 105 })))).toBe('ERR_UNSUPPORTED_LINKTYPE');
    const v = writePcap(pkts, { linktype: 1 });
    v[4] = 3;
    expect(codeOf(() => readPackets(v))).toBe('ERR_BAD_CAPTURE');
    const big = writePcap(pkts, { linktype: 1 });
    new DataView(big.buffer).setUint32(24 + 8, 0x7fffffff, true);
    expect(codeOf(() => readPackets(big))).toBe('ERR_BAD_CAPTURE');
  });

  it('every cut of a file says where it ends, by byte and packet', () => {
    const file = writePcap(pkts, { linktype: 1 });
    const ends = new Set([24, 24 + 16 + 3, 24 + 16 + 3 + 16 + 61, file.length]); // packet boundaries
    for (let n = 0; n <= file.length; n++) {
      const cut = file.subarray(0, n);
      let err: CaptureError | undefined;
      try {
        readPackets(cut);
      } catch (e) {
        if (!(e instanceof CaptureError)) throw e;
        err = e;
      }
      if (ends.has(n)) expect(err, `cut at ${n}`).toBeUndefined();
      else if (n === 0) expect(err?.code).toBe('ERR_NOT_A_CAPTURE');
      else {
        expect(err?.code, `cut at ${n}`).toBe('ERR_TRUNCATED_CAPTURE');
        // The offset named is inside the header or packet record that the cut broke, at or before the cut.
        const start = n < 24 ? 0 : [...ends].filter((e) => e <= n).sort((a, b) => b - a)[0]!;
        expect(Number(err?.params.offset), `cut at ${n}`).toBeGreaterThanOrEqual(start);
        expect(Number(err?.params.offset), `cut at ${n}`).toBeLessThanOrEqual(n);
        expect(String(err?.params.where)).toMatch(n < 24 ? /file header|magic/ : new RegExp(`packet ${[24, 43, 120].filter((e) => e <= n).length}`));
      }
    }
  });
});

describe('pcapng', () => {
  const tls = new TextEncoder().encode('CLIENT_RANDOM 00 11\n');
  const file = (bigEndian: boolean) =>
    writePcapngBlocks(
      [
        { kind: 'idb', linktype: 1 },
        { kind: 'idb', linktype: 113, tsresol: 9 },
        { kind: 'idb', linktype: 101, tsresol: 0x80 | 20, tsoffset: 10 },
        { kind: 'raw', type: 4, body: new Uint8Array(8) }, // name resolution block: skipped
        { kind: 'dsb', type: SECRETS_TLS_KEYLOG, data: tls },
        { kind: 'epb', iface: 0, ts: 1_700_000_000_123_456n, data: pkts[0]!.data },
        { kind: 'raw', type: 0x40000bad, body: new Uint8Array(12) }, // custom block: skipped
        { kind: 'epb', iface: 1, ts: 1_700_000_000_123_456_789n, data: pkts[1]!.data, origLen: 100 },
        { kind: 'spb', data: pkts[2]!.data },
        { kind: 'epb', iface: 2, ts: 3n << 20n, data: Uint8Array.of(9) },
        { kind: 'pb', iface: 0, ts: 5n, data: Uint8Array.of(4, 5) },
        { kind: 'dsb', type: 0x57474b4c, data: new Uint8Array(4) }, // WireGuard keys: not for us
      ],
      { bigEndian },
    );

  it.each([false, true])('big-endian %s: interfaces, tsresol and tsoffset, EPB/SPB/PB, DSB, unknown blocks', (be) => {
    const got: RawPacket[] = [];
    const keylogs: [string, number][] = [];
    const other: number[] = [];
    readCaptureFile(file(be), { packet: (p) => got.push(p), keylog: (t, f) => keylogs.push([t, f]), otherSecrets: (t) => other.push(t), progress: () => {} });
    expect(got.map((p) => [p.frame, p.linktype, p.tsUs, p.data.length, p.origLen])).toEqual([
      [1, 1, 1_700_000_000_123_456, 3, 3],
      [2, 113, 1_700_000_000_123_456.789, 61, 100],
      [3, 1, 1_700_000_000_123_456.789, 0, 0], // SPB: interface 0, the previous packet's time
      [4, 101, 10_000_000 + 3_000_000, 1, 1], // 2^-20 s units, offset 10 s
      [5, 1, 5, 2, 2],
    ]);
    expect(keylogs).toEqual([['CLIENT_RANDOM 00 11\n', 1]]);
    expect(other).toEqual([0x57474b4c]);
  });

  it('typed errors: bad byte-order magic, impossible length, trailing length, unknown interface, truncated block', () => {
    const f = file(false);
    const bom = f.slice();
    bom[8] = 0;
    expect(codeOf(() => readPackets(bom))).toBe('ERR_BAD_CAPTURE');
    const len = f.slice();
    new DataView(len.buffer).setUint32(28 + 4, 13, true); // first IDB length not a multiple of 4
    expect(codeOf(() => readPackets(len))).toBe('ERR_BAD_CAPTURE');
    const trail = f.slice();
    trail[28 + 20 - 4]! ^= 4; // first IDB's trailing length
    expect(codeOf(() => readPackets(trail))).toBe('ERR_BAD_CAPTURE');
    const noIface = writePcapngBlocks([{ kind: 'epb', iface: 0, ts: 0n, data: Uint8Array.of(1) }]);
    expect(() => readPackets(noIface)).toThrow(/interface 0, but the section describes 0/);
    try {
      readPackets(f.subarray(0, f.length - 3));
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(CaptureError);
      expect((e as CaptureError).code).toBe('ERR_TRUNCATED_CAPTURE');
      expect((e as CaptureError).params).toMatchObject({ where: 'block 13 (DSB)', unit: 'block', number: 13, blockType: 'DSB', offset: f.length - 3 });
    }
  });

  it('random bytes and every prefix give packets or a typed error, never anything else', () => {
    const f = file(true);
    for (let n = 0; n <= f.length; n++) {
      const c = codeOf(() => readPackets(f.subarray(0, n)));
      expect(['ok', 'ERR_TRUNCATED_CAPTURE', 'ERR_NOT_A_CAPTURE']).toContain(c);
    }
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.constantFrom(Uint8Array.of(0x0a, 0x0d, 0x0d, 0x0a), Uint8Array.of(0xd4, 0xc3, 0xb2, 0xa1), Uint8Array.of(0xa1, 0xb2, 0x3c, 0x4d), new Uint8Array(0)), (body, magic) => {
        const b = new Uint8Array(magic.length + body.length);
        b.set(magic);
        b.set(body, magic.length);
        expect(['ok', 'ERR_TRUNCATED_CAPTURE', 'ERR_NOT_A_CAPTURE', 'ERR_BAD_CAPTURE', 'ERR_UNSUPPORTED_LINKTYPE']).toContain(codeOf(() => readPackets(b)));
      }),
      { numRuns: 3000 },
    );
  });
});

describe('not a capture', () => {
  it.each([
    ['empty', new Uint8Array(0), 'empty'],
    ['gzip', Uint8Array.of(0x1f, 0x8b, 8, 0, 0, 0), 'gzip'],
    ['a key log', new TextEncoder().encode('# keys\nCLIENT_RANDOM 0011 2233\n'), 'keylog'],
    ['JSON', new TextEncoder().encode('{"format":"handshake-lab-transcript"}'), 'json'],
    ['text', new TextEncoder().encode('hello, this is text'), 'text'],
  ])('%s', (_n, bytes, hint) => {
    try {
      detectFormat(bytes);
      expect.unreachable();
    } catch (e) {
      expect((e as CaptureError).code).toBe('ERR_NOT_A_CAPTURE');
      expect((e as CaptureError).params.hint).toBe(hint);
    }
  });

  it('the first bytes of a magic number are a truncated file', () => {
    expect(codeOf(() => detectFormat(Uint8Array.of(0xd4, 0xc3)))).toBe('ERR_TRUNCATED_CAPTURE');
    expect(detectFormat(Uint8Array.of(0x0a, 0x0d, 0x0d, 0x0a))).toBe('pcapng');
  });
});
