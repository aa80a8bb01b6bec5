import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { LabEvent, type MessageEvent } from '../protocol/events.ts';
import { createLabCa, issueSessionCerts } from '../pki/index.ts';
import { requireTool } from '../../test/tools.ts';
import { labKeyPool } from './material.ts';
import { resolveConfig, type ModeRequest } from './modes.ts';
import { labForTests } from './test-lab.ts';
import { runSession, sessionPcapng, type SessionResult } from './session.ts';
import { InProcessWireHost } from './wire/host.ts';

const hasTshark = requireTool('tshark', 'tshark', 'tshark cross-checks of the session pcapng', ['-v']);
const GOLDEN_DIR = join(import.meta.dirname, '../../test/golden');
const UPDATE = process.env.UPDATE_GOLDEN === '1';

const lab = labForTests();

const MODES: { name: string; req: ModeRequest }[] = [
  { name: 'tls13-aes128gcm', req: {} },
  { name: 'tls13-aes256gcm', req: { cipher: 'TLS_AES_256_GCM_SHA384' } },
  { name: 'tls13-chacha20', req: { cipher: 'TLS_CHACHA20_POLY1305_SHA256' } },
  { name: 'tls12-ecdhe', req: { tls: '1.2' } },
  { name: 'tls12-ecdhe-chacha20', req: { tls: '1.2', cipher: 'ECDHE-RSA-CHACHA20-POLY1305' } },
  { name: 'paper', req: { paper: true } },
];

const messages = (r: SessionResult) => r.events.filter((e): e is MessageEvent => e.kind === 'message');
const names = (r: SessionResult, from: 'cpe' | 'acs') =>
  messages(r)
    .filter((m) => m.from === from)
    .map((m) => (m.name === 'Alert' ? `Alert(${m.alert?.description})` : m.name));

function golden(name: string, value: unknown): void {
  const file = join(GOLDEN_DIR, `${name}.json`);
  const text = JSON.stringify(value, null, 2) + '\n';
  if (UPDATE || !existsSync(file)) {
    if (!UPDATE && process.env.CI === 'true') throw new Error(`golden transcript ${file} is missing; regenerate with UPDATE_GOLDEN=1 on purpose`);
    writeFileSync(file, text);
  }
  expect(JSON.parse(text)).toEqual(JSON.parse(readFileSync(file, 'utf8')));
}

describe.each(MODES)('live mutual-TLS session: $name', ({ name, req }) => {
  let r: SessionResult;
  beforeAll(async () => {
    r = await runSession(resolveConfig(req), lab.material);
  });

  it('succeeds, both sides verified, HTTP exchanged, closed with close_notify', () => {
    const o = r.outcome;
    expect(o.summary).toMatch(/succeeded/);
    expect(o.ok).toBe(true);
    expect(o.abort).toBeNull();
    expect(o.cpe.verifiedPeer).toBe(true);
    expect(o.acs.verifiedPeer).toBe(true);
    expect(o.applicationData).toBe(true);
    expect(o.alerts.map((a) => `${a.from}:${a.alert.description}`).sort()).toEqual(['acs:close_notify', 'cpe:close_notify']);
    expect(o.negotiated.cipherSuite).toBe(resolveConfig(req).cipher);
    expect(o.negotiated.version).toBe(req.tls === '1.2' || req.paper ? 'TLS 1.2' : 'TLS 1.3');
    expect(o.negotiated.clientSignature).toBe(req.paper ? 'rsa_pkcs1_sha256' : 'rsa_pss_rsae_sha256');
  });

  it('emits schema-valid events with monotonic seq, non-decreasing t, outcome last', () => {
    r.events.forEach((e, i) => {
      expect(LabEvent.safeParse(e).success).toBe(true);
      expect(e.seq).toBe(i);
      if (i) expect(e.t).toBeGreaterThanOrEqual(r.events[i - 1]!.t);
    });
    expect(r.events[0]!.kind).toBe('session');
    expect(r.events.at(-1)!.kind).toBe('outcome');
    // the endpoints' key log lines arrived as secret events (each label once, whoever logged it first)
    const labels = r.events.flatMap((e) => (e.kind === 'secret' ? [e.label] : []));
    expect(new Set(labels).size).toBe(labels.length);
    if (r.outcome.negotiated.version === 'TLS 1.3') {
      expect(labels).toEqual(expect.arrayContaining(['CLIENT_HANDSHAKE_TRAFFIC_SECRET', 'SERVER_HANDSHAKE_TRAFFIC_SECRET', 'CLIENT_TRAFFIC_SECRET_0', 'SERVER_TRAFFIC_SECRET_0']));
    } else {
      expect(labels).toContain('CLIENT_RANDOM');
    }
  });

  it('decrypts every encrypted record: Finished and the HTTP/CWMP exchange in the clear', () => {
    const ms = messages(r);
    expect(ms.filter((m) => m.encrypted && !m.decrypted)).toEqual([]);
    expect(ms.filter((m) => m.error)).toEqual([]);
    const fin = ms.filter((m) => m.name === 'Finished');
    expect(fin.map((m) => m.from).sort()).toEqual(['acs', 'cpe']);
    expect(fin.every((m) => m.encrypted && m.decrypted)).toBe(true);
    const app = ms.filter((m) => m.name === 'ApplicationData');
    const text = (m: MessageEvent) => Buffer.from(m.hex, 'hex').toString('latin1');
    expect(text(app.find((m) => m.from === 'cpe')!)).toMatch(/^POST \/\S* HTTP\/1\.1\r\n/); // the CWMP Inform
    expect(text(app.find((m) => m.from === 'acs')!)).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
  });

  it('keeps field offsets inside each message bytes', () => {
    for (const m of messages(r)) {
      const len = m.hex.length / 2;
      const walk = (fs: typeof m.fields) => {
        for (const f of fs) {
          expect(f.start).toBeGreaterThanOrEqual(0);
          expect(f.end).toBeLessThanOrEqual(len);
          if (f.children) walk(f.children);
        }
      };
      walk(m.fields);
    }
  });

  it('matches the golden message sequence per direction', () => {
    // Per direction the order is fixed by the protocol; across directions only the handshake's flights are
    // (after both Finished, the ACS's NewSessionTicket and the CPE's request race each other on the wire).
    const ms = messages(r);
    const lastFinished = ms.findLastIndex((m) => m.name === 'Finished');
    golden(name, { cpe: names(r, 'cpe'), acs: names(r, 'acs'), handshakeFlights: ms.slice(0, lastFinished + 1).map((m) => `${m.flight}:${m.from}:${m.name}`) });
  });

  it.runIf(hasTshark)('tshark reads our pcapng the same way, decrypted, with no warnings', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hl-pcap-'));
    const file = join(dir, `${name}.pcapng`);
    const ep = r.wire.connections[0]!;
    writeFileSync(file, sessionPcapng(r));
    const serverPort = ep.server.port;
    // tshark needs to know the port is TLS (it is not 443): decode as TLS.
    const out = execFileSync('tshark', ['-r', file, '-d', `tcp.port==${serverPort},tls`, '-T', 'fields', '-E', 'separator=;', '-e', 'tcp.srcport', '-e', 'tls.handshake.type', '-e', 'tls.record.content_type', '-e', 'tls.alert_message.desc'], {
      encoding: 'utf8',
    });
    const seen: Record<'cpe' | 'acs', number[]> = { cpe: [], acs: [] };
    for (const line of out.split('\n').filter(Boolean)) {
      const [src, hs] = line.split(';');
      if (!hs) continue;
      const from = Number(src) === serverPort ? 'acs' : 'cpe';
      seen[from].push(...hs.split(',').map(Number));
    }
    const ours = (from: 'cpe' | 'acs') =>
      messages(r)
        .filter((m) => m.from === from && m.record.contentType === 22)
        .map((m) => Number.parseInt(m.hex.slice(0, 2), 16));
    expect(seen.cpe).toEqual(ours('cpe'));
    expect(seen.acs).toEqual(ours('acs'));
    expect(seen.acs).toContain(20); // Finished: only visible when tshark decrypted
    const problems = execFileSync('tshark', ['-r', file, '-d', `tcp.port==${serverPort},tls`, '-o', 'tcp.check_checksum:TRUE', '-o', 'ip.check_checksum:TRUE', '-Y', '_ws.expert.severity >= warning || _ws.malformed || tcp.analysis.flags'], { encoding: 'utf8' });
    expect(problems.trim()).toBe('');
    const http = execFileSync('tshark', ['-r', file, '-d', `tcp.port==${serverPort},tls`, '-Y', 'http', '-T', 'fields', '-e', 'http.request.method', '-e', 'http.response.code'], { encoding: 'utf8' });
    expect(http).toMatch(/POST/);
    expect(http).toMatch(/200/);
  });
});

describe('the paper mode reproduces the 2014 paper\'s flights', () => {
  it('ClientHello; ServerHello+Certificate+CertificateRequest+ServerHelloDone; Certificate+ClientKeyExchange+CertificateVerify+ChangeCipherSpec+Finished; ChangeCipherSpec+Finished', async () => {
    const r = await runSession(resolveConfig({ paper: true }), lab.material);
    const hs = messages(r).filter((m) => m.name !== 'ApplicationData' && m.name !== 'Alert');
    const flights = new Map<number, string[]>();
    for (const m of hs) flights.set(m.flight, [...(flights.get(m.flight) ?? []), `${m.from}:${m.name}`]);
    expect([...flights.values()]).toEqual([
      ['cpe:ClientHello'],
      ['acs:ServerHello', 'acs:Certificate', 'acs:CertificateRequest', 'acs:ServerHelloDone'],
      ['cpe:Certificate', 'cpe:ClientKeyExchange', 'cpe:CertificateVerify', 'cpe:ChangeCipherSpec', 'cpe:Finished'],
      ['acs:ChangeCipherSpec', 'acs:Finished'],
    ]);
    const cke = hs.find((m) => m.name === 'ClientKeyExchange')!;
    expect(cke.summary).toMatch(/RSA-encrypted premaster/);
  });
});

describe('sessions that fail end with a clear outcome', () => {
  it('hostname check: the CPE rejects an ACS certificate for another name, closing without an alert', async () => {
    const r = await runSession(resolveConfig({}), { ...lab.material, acsHostname: 'other.lab.test' });
    expect(r.outcome.ok).toBe(false);
    expect(r.outcome.abortedBy).toBe('cpe');
    expect(r.outcome.abort).toEqual({ kind: 'close', from: 'cpe' });
    expect(r.outcome.cpe.error?.code).toBe('ERR_TLS_CERT_ALTNAME_INVALID');
    expect(r.outcome.summary).toMatch(/CPE closed the connection without a TLS alert/);
  });

  it('trust: an ACS certificate from a CA the CPE does not trust is rejected', async () => {
    const pool = labKeyPool();
    const otherCa = await createLabCa({ pool });
    const certs = await issueSessionCerts(otherCa, pool);
    const r = await runSession(resolveConfig({ tls: '1.2' }), { ...lab.material, acs: { chain: [certs.acs.certPem], key: certs.acs.keyPem, trust: lab.material.acs.trust } });
    expect(r.outcome.ok).toBe(false);
    expect(r.outcome.cpe.error?.code).toMatch(/UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT_LOCALLY/);
    expect(r.outcome.abortedBy).toBe('cpe');
  });

  it('a deadline ends a session that cannot finish in time, and the outcome says so', async () => {
    const r = await runSession(resolveConfig({ deadlineMs: 1 }), lab.material);
    expect(r.outcome.ok).toBe(false);
    expect(r.outcome.abort).toEqual({ kind: 'timeout', afterMs: 1 });
    expect(r.outcome.summary).toMatch(/deadline/);
    expect(r.events.at(-1)!.kind).toBe('outcome');
  });
});

describe('the wire side', () => {
  it('an ACS that cannot load its own key is the outcome, not a crash, and the worker keeps serving', async () => {
    const bad = { ...lab.material, acs: { ...lab.material.acs, key: lab.material.cpe.key } }; // ACS key does not match its certificate
    const r = await runSession(resolveConfig({}), bad);
    expect(r.outcome.ok).toBe(false);
    expect(r.outcome.abortedBy).toBe('acs');
    expect(r.outcome.acs.error?.code).toBe('ERR_OSSL_X509_KEY_VALUES_MISMATCH');
    expect(r.outcome.summary).toMatch(/The ACS could not start .*not a byte was sent/);
    expect(r.events.filter((e) => e.kind === 'message')).toEqual([]);
    const again = await runSession(resolveConfig({}), lab.material);
    expect(again.outcome.ok).toBe(true);
  });

  it('runs the same session in this thread (InProcessWireHost) with the same message sequence', async () => {
    const a = await runSession(resolveConfig({ paper: true }), lab.material);
    const b = await runSession(resolveConfig({ paper: true }), lab.material, undefined, { host: new InProcessWireHost() });
    expect(b.outcome.ok).toBe(true);
    expect(names(b, 'cpe')).toEqual(names(a, 'cpe'));
    expect(names(b, 'acs')).toEqual(names(a, 'acs'));
  });
});
