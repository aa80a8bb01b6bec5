import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireTool } from '../../test/tools.ts';
import { LabEvent, type MessageEvent } from '../protocol/events.ts';
import { nodeCrypto } from '../server/crypto-node.ts';
import { CaptureError, isCaptureError } from './errors.ts';
import { importCapture, type ImportedSession } from './import.ts';
import { decodePacket, TCP_ACK, TCP_SYN } from './packet.ts';
import { SECRETS_TLS_KEYLOG } from './file.ts';
import { ipPacket, linkFrame, readPackets, syntheticDownload, writePcap, writePcapngBlocks, type TestPacket } from './testkit.ts';

const SHARED = join(import.meta.dirname, '../../../shared/captures');
const PCAP = join(SHARED, 'illustrated-tls12.pcap');
const KEYLOG = join(SHARED, 'illustrated-tls12.keylog');
const hasShared = existsSync(PCAP);
if (!hasShared) {
  if (process.env.CI === 'true') throw new Error(`${SHARED} is missing: CI needs ../shared/captures`);
  console.warn(`\n!!! SKIPPED shared-capture import tests: ${SHARED} not found (it lives beside the project as ../shared) !!!\n`);
}
const hasTshark = requireTool('tshark', 'tshark', 'tshark cross-check of capture import', ['-v']);

const shared = () => new Uint8Array(readFileSync(PCAP));
const sharedKeys = () => readFileSync(KEYLOG, 'utf8');

const HS_NAMES: Record<string, string> = { 1: 'ClientHello', 2: 'ServerHello', 4: 'NewSessionTicket', 8: 'EncryptedExtensions', 11: 'Certificate', 12: 'ServerKeyExchange', 13: 'CertificateRequest', 14: 'ServerHelloDone', 15: 'CertificateVerify', 16: 'ClientKeyExchange', 20: 'Finished' };

const messages = (s: ImportedSession) => s.events.filter((e): e is MessageEvent => e.kind === 'message');
const handshakeNames = (s: ImportedSession, from: string) =>
  messages(s)
    .filter((m) => m.from === from && m.record.contentType === 22)
    .map((m) => m.name);
/** What a view compares: everything of a message event but its place in the stream. */
const comparable = (m: MessageEvent) => ({ conn: m.conn, name: m.name, from: m.from, to: m.to, encrypted: m.encrypted, decrypted: m.decrypted, hex: m.hex, summary: m.summary, record: m.record, flight: m.flight, error: m.error });

function importOk(bytes: Uint8Array, keylog?: string): ImportedSession[] {
  const r = importCapture(bytes, { name: 't', ...(keylog ? { keylog } : {}) });
  for (const s of r.sessions) {
    for (const e of s.events) LabEvent.parse(e);
    expect(s.events[0]!.kind).toBe('session');
    expect(s.events.at(-1)!.kind).toBe('outcome');
    s.events.forEach((e, i) => expect(e.seq).toBe(i));
  }
  return r.sessions;
}

describe.runIf(hasShared)('the shared real capture (illustrated-tls12.pcap, IPv6 loopback, NULL link type)', () => {
  it.runIf(hasTshark)('handshake messages per direction are the ones tshark shows, and application data is decrypted as tshark decrypts it', () => {
    const out = execFileSync('tshark', ['-r', PCAP, '-o', `tls.keylog_file:${KEYLOG}`, '-Y', 'tls', '-T', 'fields', '-E', 'separator=|', '-e', 'tcp.srcport', '-e', 'tcp.dstport', '-e', 'tls.handshake.type', '-e', 'data.data', '-e', 'tls.alert_message.desc'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const rows = out.trim().split('\n').map((l) => l.split('|'));
    const syn = execFileSync('tshark', ['-r', PCAP, '-Y', 'tcp.flags.syn==1 && tcp.flags.ack==0', '-T', 'fields', '-e', 'tcp.srcport'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const want = { cpe: [] as string[], acs: [] as string[] };
    const data = { cpe: [] as string[], acs: [] as string[] };
    const alerts = { cpe: [] as string[], acs: [] as string[] };
    for (const [sport, , hsTypes, appData, alert] of rows) {
      const who = sport === syn ? 'cpe' : 'acs';
      if (hsTypes) want[who].push(...hsTypes.split(',').map((t) => HS_NAMES[t] ?? t));
      if (appData) data[who].push(...appData.split(','));
      if (alert) alerts[who].push(alert);
    }
    expect(want.cpe.length).toBeGreaterThan(2);
    const [s] = importOk(shared(), sharedKeys());
    expect(handshakeNames(s!, 'cpe')).toEqual(want.cpe);
    expect(handshakeNames(s!, 'acs')).toEqual(want.acs);
    for (const who of ['cpe', 'acs'] as const) {
      const app = messages(s!).filter((m) => m.from === who && m.name === 'ApplicationData');
      expect(app.every((m) => m.decrypted)).toBe(true);
      expect(app.map((m) => m.hex)).toEqual(data[who]);
      expect(messages(s!).filter((m) => m.from === who && m.name === 'Alert').map((m) => String(m.alert?.code))).toEqual(alerts[who]);
    }
    expect(data.cpe).toEqual(['70696e67']); // "ping", "pong": the capture's application data
  });

  it('session, roles, endpoints, certificate, secret and outcome as the wire shows them', () => {
    const [s] = importOk(shared(), sharedKeys());
    const session = s!.events[0]!;
    if (session.kind !== 'session') throw new Error('no session event');
    expect(session.config).toMatchObject({ tls: '1.2', kx: 'ecdhe', cipher: 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA', cwmp: false, serverAuthOnly: true, connectionRequest: 'off' });
    expect(session.endpoints.cpe).toEqual({ ip: '::1', port: 50159 });
    expect(session.endpoints.acs).toEqual({ ip: '::1', port: 8443 });
    expect(session.certificates.acs.chain).toHaveLength(1);
    expect(session.certificates.acs.chain[0]).toMatch(/^-----BEGIN CERTIFICATE-----\nMII/);
    expect(session.certificates.cpe).toEqual({ chain: [], trust: [], expectsPeerName: 'example.ulfheim.net' });
    expect(s!.unknown).toEqual(expect.arrayContaining(['config.verifier', 'outcome.cpe.verifiedPeer', 'certificates.cpe.chain']));
    expect(s!.events.filter((e) => e.kind === 'secret').map((e) => e.kind === 'secret' && [e.label, e.from])).toEqual([['CLIENT_RANDOM', 'cpe']]);
    expect(s!.keyLog).toBe(sharedKeys().trim().replace(/\s+/g, ' ') + '\n');
    expect(s!.events.filter((e) => e.kind === 'tcp').map((e) => e.kind === 'tcp' && `${e.action}:${e.from}`)).toEqual(['open:cpe', 'half-close:cpe', 'half-close:acs', 'close:null']);
    const outcome = s!.events.at(-1)!;
    if (outcome.kind !== 'outcome') throw new Error('no outcome');
    // The application data is "ping"/"pong", not HTTP: the TLS session is the whole story, and it succeeded.
    expect(outcome).toMatchObject({ ok: true, abort: null, firstClose: 'cpe', applicationData: false, compromised: false, attacker: null });
    expect(outcome.cpe.verifiedPeer).toBeNull();
    expect(outcome.alerts.map((a) => [a.from, a.alert.description])).toEqual([['cpe', 'close_notify']]);
    expect(outcome.negotiated).toMatchObject({ version: 'TLS 1.2', cipherSuite: 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA', group: 'x25519', serverSignature: 'rsa_pkcs1_sha256' });
    expect(outcome.summary).toMatch(/completed and application data went through decrypted; it is not HTTP/);
    expect(outcome.captureVerdict).toBe('ok-not-http');
    // Said once per direction as "not HTTP", not as an HTTP parse error.
    const errors = s!.events.filter((e) => e.kind === 'error');
    expect(errors.map((e) => e.kind === 'error' && `${e.code}:${e.from}`).sort()).toEqual(['ERR_NOT_HTTP:acs', 'ERR_NOT_HTTP:cpe']);
    expect(errors.map((e) => e.kind === 'error' && e.message).join('\n')).toMatch(/begins "ping[\s\S]*|begins "pong/);
  });

  it('without keys: the handshake is shown, encrypted records stay encrypted, and a NO_KEYS notice says why', () => {
    const [s] = importOk(shared());
    expect(handshakeNames(s!, 'cpe')).toEqual(['ClientHello', 'ClientKeyExchange', 'EncryptedHandshakeMessage']);
    expect(messages(s!).filter((m) => m.encrypted).every((m) => !m.decrypted)).toBe(true);
    expect(s!.notices.map((n) => [n.code, n.conn])).toEqual([['NO_KEYS', 0]]);
    expect(s!.notices[0]!.params).toMatchObject({ clientRandom: '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f', records: 5 });
    expect(s!.events.some((e) => e.kind === 'secret')).toBe(false);
    // the verdict the wire allows: the handshake completed, the data cannot be read
    expect(s!.events.at(-1)).toMatchObject({ kind: 'outcome', ok: false, abort: null, captureVerdict: 'no-keys' });
  });

  it('a wrong key says the secret does not decrypt, not that it is missing', () => {
    const wrong = sharedKeys().replace(/ ([0-9a-f]{96})/, (_m, k: string) => ` ${k.slice(0, -2)}00`);
    const [s] = importOk(shared(), wrong);
    expect(s!.notices.map((n) => n.code)).toEqual(['DECRYPT_FAILED']);
  });

  it('node:crypto and the browser provider give the same events', () => {
    const a = importCapture(shared(), { keylog: sharedKeys(), name: 'x' });
    const b = importCapture(shared(), { keylog: sharedKeys(), name: 'x', crypto: nodeCrypto });
    expect(a.sessions[0]!.events).toEqual(b.sessions[0]!.events);
  });

  describe('out-of-order, retransmitted and overlapping segments give the same messages', () => {
    const base = () => messages(importOk(shared(), sharedKeys())[0]!).map(comparable);
    const packets = () => readPackets(shared()).packets.map((p): TestPacket => ({ tsUs: p.tsUs, data: p.data }));
    const rewrite = (ps: TestPacket[]) => importOk(writePcap(ps, { linktype: 0 }), sharedKeys());

    it('adjacent packets swapped (one direction overtakes itself)', () => {
      const ps = packets();
      for (let i = 4; i + 1 < ps.length; i += 2) [ps[i], ps[i + 1]] = [ps[i + 1]!, ps[i]!];
      expect(messages(rewrite(ps)[0]!).map(comparable)).toEqual(base());
    });

    it('every packet captured twice (retransmissions)', () => {
      expect(messages(rewrite(packets().flatMap((p) => [p, p]))[0]!).map(comparable)).toEqual(base());
    });

    /** Each data segment as other segments covering byte ranges of it (`ranges` in thirds of its payload). */
    const resegment = (ps: TestPacket[], ranges: [number, number][]) => {
      const out: TestPacket[] = [];
      for (const p of ps) {
        const d = decodePacket(0, p.data);
        if (d.kind !== 'tcp' || d.seg.payload.length < 3) {
          out.push(p);
          continue;
        }
        const s = d.seg;
        const third = Math.floor(s.payload.length / 3);
        const at = (k: number) => (k >= 3 ? s.payload.length : k * third);
        for (const [lo, hi] of ranges) {
          out.push({ tsUs: p.tsUs, data: linkFrame(0, ipPacket({ src: s.src, dst: s.dst, sport: s.srcPort, dport: s.dstPort, seq: s.seq + at(lo), ack: s.ack, flags: s.flags, payload: s.payload.subarray(at(lo), at(hi)) })) });
        }
      }
      return out;
    };

    it('each data segment re-sent as overlapping pieces, the later half first', () => {
      const out = resegment(packets(), [
        [1, 3],
        [0, 2],
        [1, 2],
        [0, 3],
      ]);
      expect(messages(rewrite(out)[0]!).map(comparable)).toEqual(base());
    });

    it("random local permutations of each direction's packets and random duplicates", () => {
      // Each direction's messages stay the same; how the two directions interleave follows the capture's order.
      const side = (ms: MessageEvent[], from: string) => ms.filter((m) => m.from === from).map((m) => ({ ...comparable(m), flight: 0 }));
      const perDirection = (ms: MessageEvent[]) => ({ cpe: side(ms, 'cpe'), acs: side(ms, 'acs') });
      const want = perDirection(messages(importOk(shared(), sharedKeys())[0]!));
      const seg = (p: TestPacket) => {
        const d = decodePacket(0, p.data);
        return d.kind === 'tcp' ? { port: d.seg.srcPort, data: d.seg.payload.length > 0 } : { port: -1, data: false };
      };
      // Packets of one direction swap places only when no data of the other direction lies between them (what
      // one side sends depends on what it received: the other order cannot be seen on a wire).
      const canSwap = (ps: TestPacket[], i: number, j: number) =>
        seg(ps[i]!).port === seg(ps[j]!).port && ps.slice(i + 1, j).every((p) => seg(p).port === seg(ps[i]!).port || !seg(p).data);
      fc.assert(
        fc.property(fc.array(fc.nat(), { minLength: 40, maxLength: 40 }), fc.array(fc.nat(), { maxLength: 8 }), (perm, dups) => {
          const ps = resegment(packets(), [
            [0, 1],
            [1, 2],
            [2, 3],
          ]);
          for (const i of dups) ps.splice(i % ps.length, 0, ps[i % ps.length]!);
          // Keep the SYN first (a capture that starts later is another test); swap packets of one direction up to 3 apart.
          for (let i = 1; i < ps.length; i++) {
            const j = Math.min(ps.length - 1, i + ((perm[i % perm.length] ?? 0) % 4));
            if (j > i && canSwap(ps, i, j)) [ps[i], ps[j]] = [ps[j]!, ps[i]!];
          }
          expect(perDirection(messages(rewrite(ps)[0]!))).toEqual(want);
        }),
        { numRuns: 60 },
      );
    });
  });

  it('a capture that starts after the SYN still finds the client by its ClientHello', () => {
    const ps = readPackets(shared()).packets.slice(3).map((p) => ({ tsUs: p.tsUs, data: p.data }));
    const [s] = importOk(writePcap(ps, { linktype: 0 }), sharedKeys());
    expect(handshakeNames(s!, 'cpe')[0]).toBe('ClientHello');
    expect(s!.events[0]!.kind === 'session' && s!.events[0]!.endpoints.cpe.port).toBe(50159);
  });

  it('every truncated prefix, and random damage, give sessions or a typed error, never another exception', () => {
    const file = shared();
    const codes = new Set<string>();
    for (let n = 0; n <= file.length; n++) {
      try {
        importCapture(file.subarray(0, n), { keylog: sharedKeys() });
        codes.add('ok');
      } catch (e) {
        if (!isCaptureError(e)) throw new Error(`prefix ${n}: ${String(e)}`);
        codes.add(e.code);
      }
    }
    expect(codes).toEqual(new Set(['ok', 'ERR_NOT_A_CAPTURE', 'ERR_TRUNCATED_CAPTURE', 'ERR_NO_TCP', 'ERR_NO_TLS']));
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(), fc.nat({ max: 255 })), { minLength: 1, maxLength: 12 }), (flips) => {
        const b = file.slice();
        for (const [i, v] of flips) b[24 + (i % (b.length - 24))] = v; // damage after the file header
        try {
          for (const s of importCapture(b, { keylog: sharedKeys() }).sessions) for (const e of s.events) LabEvent.parse(e);
        } catch (e) {
          if (!isCaptureError(e)) throw e;
        }
      }),
      { numRuns: 400 },
    );
  });
});

describe('what cannot be imported, in words', () => {
  const A = '192.0.2.1';
  const B = '192.0.2.2';
  const code = (f: () => unknown) => {
    try {
      f();
      return 'ok';
    } catch (e) {
      if (e instanceof CaptureError) return e.code;
      throw e;
    }
  };

  it('random bytes: never anything but a typed error', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), fc.constantFrom([], [0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0], [0x0a, 0x0d, 0x0d, 0x0a]), (body, magic) => {
        const b = Uint8Array.from([...magic, ...body]);
        expect(code(() => importCapture(b))).toMatch(/^ERR_/);
      }),
      { numRuns: 1000 },
    );
  });

  it('no TCP at all (UDP only), TCP without TLS or HTTP, unsupported link type', () => {
    const udp = ipPacket({ src: A, dst: B, sport: 5, dport: 53, seq: 0, flags: 0 });
    udp[9] = 17;
    expect(code(() => importCapture(writePcap([{ tsUs: 1, data: udp }], { linktype: 101 })))).toBe('ERR_NO_TCP');
    const ssh = [
      ipPacket({ src: A, dst: B, sport: 40000, dport: 22, seq: 1, flags: TCP_SYN }),
      ipPacket({ src: B, dst: A, sport: 22, dport: 40000, seq: 9, ack: 2, flags: TCP_SYN | TCP_ACK }),
      ipPacket({ src: B, dst: A, sport: 22, dport: 40000, seq: 10, ack: 2, flags: TCP_ACK, payload: new TextEncoder().encode('SSH-2.0-OpenSSH_9.6\r\n') }),
    ];
    try {
      importCapture(writePcap(ssh.map((data, i) => ({ tsUs: i, data })), { linktype: 101 }));
      expect.unreachable();
    } catch (e) {
      expect((e as CaptureError).code).toBe('ERR_NO_TLS');
      expect((e as CaptureError).params).toEqual({ connections: 1 });
    }
    expect(code(() => importCapture(writePcap([{ tsUs: 1, data: udp }], { linktype: 127 })))).toBe('ERR_UNSUPPORTED_LINKTYPE');
  });
});

describe('a pcapng our own CLI writes imports like the live session', () => {
  // One real session (TLS 1.3 mutual TLS, CWMP, Connection Request: four connections).
  let live: Awaited<ReturnType<typeof liveSession>>;
  async function liveSession() {
    const { labMaterial } = await import('../server/material.ts');
    const { resolveConfig } = await import('../server/modes.ts');
    const { runSession, sessionPcapng } = await import('../server/session.ts');
    const { writePcapng } = await import('../protocol/pcapng.ts');
    const r = await runSession(resolveConfig({ connectionRequest: 'on' }), await labMaterial());
    const conns = r.wire.connections.map((c) => ({ client: { ip: c.client.address, port: c.client.port }, server: { ip: c.server.address, port: c.server.port }, events: c.events }));
    return { r, pcapng: sessionPcapng(r), noDsb: writePcapng({ connections: conns }) };
  }
  beforeAll(async () => {
    live = await liveSession();
  }, 60_000);
  afterAll(async () => {
    const { closeLabKeyPool } = await import('../server/material.ts');
    const { closeSharedWireHost } = await import('../server/wire/host.ts');
    await closeLabKeyPool();
    await closeSharedWireHost();
  });
  const sessionOf = (r: typeof live.r) => {
    const e = r.events[0]!;
    if (e.kind !== 'session') throw new Error('no session');
    return e;
  };

  it('the same message events (names, parties, order per connection, bytes, decryption) and the same HTTP and CWMP, decrypted with the DSB', () => {
    const [s, ...rest] = importOk(live.pcapng);
    expect(rest).toHaveLength(0); // one host pair → one session
    const liveMsgs = live.r.events.filter((e): e is MessageEvent => e.kind === 'message');
    expect(new Set(liveMsgs.map((m) => m.conn)).size).toBe(2); // the CWMP session and the callback session after the Connection Request
    for (const conn of [0, 1, 2, 3]) {
      expect(messages(s!).filter((m) => m.conn === conn).map(comparable), `conn ${conn}`).toEqual(liveMsgs.filter((m) => m.conn === conn).map(comparable));
    }
    expect(messages(s!).filter((m) => m.encrypted).every((m) => m.decrypted)).toBe(true);
    const app = (events: LabEvent[]) => events.filter((e) => e.kind === 'http' || e.kind === 'cwmp').map((e) => (e.kind === 'cwmp' ? `${e.conn} ${e.from}→${e.to} ${e.rpc}` : e.kind === 'http' ? `${e.conn} ${e.from}→${e.to} ${e.request?.method ?? e.response?.status} plain=${e.plain}` : ''));
    expect(app(s!.events)).toEqual(app(live.r.events));
    expect(s!.notices).toEqual([]);
  }, 60_000);

  it('the session event and outcome agree with the live session where the wire can tell', () => {
    const [s] = importOk(live.pcapng);
    const ev = s!.events[0]!;
    if (ev.kind !== 'session') throw new Error('no session');
    const want = sessionOf(live.r);
    const wireFields = (c: typeof want.config) => ({ tls: c.tls, kx: c.kx, cipher: c.cipher, paper: c.paper, cwmp: c.cwmp, connectionRequest: c.connectionRequest, serverAuthOnly: c.serverAuthOnly });
    expect(wireFields(ev.config)).toEqual(wireFields(want.config));
    const b64 = (pems: string[]) => pems.map((p) => p.replace(/-----[^-]+-----|\s/g, ''));
    // The wire shows what each side sent: its chain as configured, plus the root when it sends one.
    for (const p of ['acs', 'cpe'] as const) {
      expect(want.certificates[p].chain.length).toBeGreaterThan(0);
      expect(b64(ev.certificates[p].chain).slice(0, want.certificates[p].chain.length)).toEqual(b64(want.certificates[p].chain));
    }
    expect(ev.certificates.cpe.expectsPeerName).toBe(want.certificates.cpe.expectsPeerName);
    const outcome = s!.events.at(-1)!;
    if (outcome.kind !== 'outcome') throw new Error('no outcome');
    expect(outcome.ok).toBe(true);
    expect(outcome.negotiated).toEqual(live.r.outcome.negotiated);
    expect(outcome.alerts.map((a) => [a.conn, a.from, a.alert.description])).toEqual(live.r.outcome.alerts.map((a) => [a.conn, a.from, a.alert.description]));
    expect(outcome.firstClose).toBe(live.r.outcome.firstClose);
    // Connections: the Connection Request's plain HTTP runs ACS → CPE.
    expect(s!.events.filter((e) => e.kind === 'tcp' && e.action === 'open').map((e) => e.kind === 'tcp' && e.from)).toEqual(['cpe', 'acs', 'acs', 'cpe']);
    expect(s!.events.filter((e) => e.kind === 'secret')).toHaveLength(live.r.keyLog.trim().split('\n').length);
  }, 60_000);

  it('the same capture without its DSB: a key log given as text decrypts it; without keys NO_KEYS for each TLS connection', () => {
    const withText = importOk(live.noDsb, live.r.keyLog)[0]!;
    const withDsb = importOk(live.pcapng)[0]!;
    expect(messages(withText).map(comparable)).toEqual(messages(withDsb).map(comparable));
    const none = importOk(live.noDsb)[0]!;
    expect(none.notices.map((n) => [n.code, n.conn])).toEqual([
      ['NO_KEYS', 0],
      ['NO_KEYS', 3],
    ]);
    // TLS 1.3 without keys: what is in the clear, then opaque records.
    expect(messages(none).filter((m) => m.conn === 0).slice(0, 3).map((m) => m.name)).toEqual(['ClientHello', 'ServerHello', 'ChangeCipherSpec']);
    expect(messages(none).filter((m) => m.encrypted).every((m) => !m.decrypted && m.name === 'ApplicationData')).toBe(true);
    const plainHttp = none.events.filter((e) => e.kind === 'http' && e.plain);
    expect(plainHttp.length).toBeGreaterThan(0); // the Connection Request needs no keys
  }, 60_000);

  it('reordered and duplicated frames of our pcapng give the same messages', () => {
    const { packets, keylogs } = readPackets(live.pcapng);
    const ps = packets.map((p) => ({ tsUs: p.tsUs, data: p.data }));
    for (let i = 3; i + 1 < ps.length; i += 3) [ps[i], ps[i + 1]] = [ps[i + 1]!, ps[i]!];
    const dup = ps.flatMap((p, i) => (i % 5 === 0 ? [p, p] : [p]));
    const [s] = importOk(writePcap(dup, { linktype: 1 }), keylogs.join(''));
    expect(messages(s!).map(comparable)).toEqual(messages(importOk(live.pcapng)[0]!).map(comparable));
  }, 60_000);

  it.each([
    ['TLS 1.2 ECDHE (AES-GCM)', { tls: '1.2' as const }],
    ['paper mode (TLS 1.2 static RSA)', { paper: true }],
    ['server authentication only', { serverAuthOnly: true }],
  ])('%s: same messages as live, configuration read from the wire', async (_n, req) => {
    const { labMaterial } = await import('../server/material.ts');
    const { resolveConfig } = await import('../server/modes.ts');
    const { runSession, sessionPcapng } = await import('../server/session.ts');
    const r = await runSession(resolveConfig(req), await labMaterial());
    const [s] = importOk(sessionPcapng(r));
    const liveMsgs = r.events.filter((e): e is MessageEvent => e.kind === 'message');
    expect(messages(s!).map(comparable)).toEqual(liveMsgs.map(comparable));
    const ev = s!.events[0]!;
    const want = sessionOf(r);
    if (ev.kind !== 'session') throw new Error('no session');
    const wireFields = (c: typeof want.config) => ({ tls: c.tls, kx: c.kx, cipher: c.cipher, paper: c.paper, cwmp: c.cwmp, serverAuthOnly: c.serverAuthOnly });
    expect(wireFields(ev.config)).toEqual(wireFields(want.config));
    expect(s!.events.at(-1)!.kind === 'outcome' && s!.events.at(-1)).toMatchObject({ ok: r.outcome.ok, negotiated: r.outcome.negotiated });
  }, 60_000);

  it.runIf(hasShared)('one pcapng with two interfaces (NULL and Ethernet) and two host pairs gives two sessions, each decrypted', () => {
    const a = readPackets(shared()).packets;
    const b = readPackets(live.pcapng);
    const file = writePcapngBlocks([
      { kind: 'idb', linktype: 0 },
      { kind: 'idb', linktype: 1, tsresol: 9 },
      { kind: 'dsb', type: SECRETS_TLS_KEYLOG, data: new TextEncoder().encode(sharedKeys() + b.keylogs.join('')) },
      ...a.map((p) => ({ kind: 'epb' as const, iface: 0, ts: BigInt(Math.round(p.tsUs)), data: p.data })),
      ...b.packets.map((p) => ({ kind: 'epb' as const, iface: 1, ts: BigInt(Math.round(p.tsUs)) * 1000n, data: p.data })),
    ]);
    const sessions = importOk(file);
    expect(sessions.map((s) => s.hosts)).toEqual([
      { cpe: '::1', acs: '::1' },
      { cpe: '127.0.0.1', acs: '127.0.0.1' },
    ]);
    expect(messages(sessions[0]!).map(comparable)).toEqual(messages(importOk(shared(), sharedKeys())[0]!).map(comparable));
    expect(messages(sessions[1]!).map(comparable)).toEqual(messages(importOk(live.pcapng)[0]!).map(comparable));
    expect(sessions.map((s) => s.id)).toEqual(['t#1', 't#2']);
  });

  it('every cut of our pcapng at a sample of offsets gives sessions or a typed error', () => {
    const file = live.pcapng;
    const cuts = fc.sample(fc.nat({ max: file.length }), { numRuns: 150, seed: 7 });
    for (const n of cuts) {
      try {
        importCapture(file.subarray(0, n));
      } catch (e) {
        if (!isCaptureError(e)) throw new Error(`cut at ${n}: ${String(e)}`);
      }
    }
  }, 60_000);

});

describe('a 50 MB capture', () => {
  it('imports in one pass; prints the throughput', async () => {
    const syn = await syntheticDownload(50 * 1000 * 1000);
    const progress: number[] = [];
    const t0 = performance.now();
    const r = importCapture(syn.pcapng, { name: 'big', onProgress: (p) => progress.push(p.bytes) });
    const secs = (performance.now() - t0) / 1000;
    const mb = syn.pcapng.length / 1e6;
    console.log(`capture import: ${mb.toFixed(1)} MB (${r.stats.packets} packets, ${syn.serverRecords} TLS records) in ${secs.toFixed(2)} s = ${(mb / secs).toFixed(1)} MB/s (browser crypto provider)`);
    const [s] = r.sessions;
    const http = s!.events.filter((e) => e.kind === 'http' && e.response);
    expect(http.map((e) => e.kind === 'http' && e.response?.status)).toEqual(Array(syn.parts).fill(206));
    expect(http.reduce((n, e) => n + (e.kind === 'http' ? e.bodyLength : 0), 0)).toBe(syn.bodyBytes);
    expect(messages(s!).filter((m) => m.name === 'ApplicationData' && m.from === 'acs' && m.decrypted)).toHaveLength(syn.serverRecords);
    expect(s!.events.some((e) => e.kind === 'error')).toBe(false);
    // Progress about every MiB, in order, ending at the file's size.
    expect(progress.length).toBeGreaterThan(40);
    expect(progress.at(-1)).toBe(syn.pcapng.length);
    expect([...progress].sort((a, b) => a - b)).toEqual(progress);
  }, 120_000);
});
