import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLabCa, issueCert, issueSessionCerts, acsSpec, cpeSpec, KeyPool, type IssuedCert } from '../../pki/index.ts';
import { resolveConfig, type ModeRequest } from '../modes.ts';
import {
  LineBuffer,
  OpensslEndpointPair,
  findHttpMessage,
  parseErrorLine,
  verifyErrorName,
} from './openssl-endpoints.ts';
import type { TlsOverride, WireReport, WireScenario } from './protocol.ts';

const HAVE_OPENSSL = spawnSync('openssl', ['version'], { encoding: 'utf8' }).status === 0;
const RUN = HAVE_OPENSSL || process.env.CI === 'true';
if (!RUN) console.warn('!!! SKIPPED openssl endpoint tests: openssl not installed (apt-get install -y openssl)');

type Report<T extends WireReport['type']> = Extract<WireReport, { type: T }>;

interface Run {
  reports: WireReport[];
  of<T extends WireReport['type']>(type: T): Report<T>[];
  /** Bytes the CPE sent, when run through the test relay. */
  fromCpe: Buffer;
  fromAcs: Buffer;
  pair: OpensslEndpointPair;
}

/** A relay that records both directions, so the test sees what the endpoints put on the wire. */
async function recordingRelay(
  target: number,
): Promise<{ port: number; fromCpe: () => Buffer; fromAcs: () => Buffer; settled: () => Promise<void>; close: () => void }> {
  const up: Buffer[] = [];
  const down: Buffer[] = [];
  const sockets = new Set<net.Socket>();
  let onIdle = () => {};
  // Half-open like the real relay: each FIN is passed on, and the close_notify that answers it still gets through.
  const server = net.createServer({ allowHalfOpen: true }, (client) => {
    const upstream = net.connect({ port: target, host: '127.0.0.1', allowHalfOpen: true });
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => {});
      s.on('close', () => {
        sockets.delete(s);
        if (sockets.size === 0) onIdle();
      });
    }
    client.on('data', (d: Buffer) => up.push(d));
    upstream.on('data', (d: Buffer) => down.push(d));
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as net.AddressInfo).port,
    fromCpe: () => Buffer.concat(up),
    fromAcs: () => Buffer.concat(down),
    /** Both TCP connections closed (or 2 s passed): everything sent has been recorded. */
    settled: () =>
      sockets.size === 0
        ? Promise.resolve()
        : new Promise<void>((resolve) => {
            onIdle = resolve;
            setTimeout(resolve, 2000).unref();
          }),
    close: () => {
      for (const s of sockets) s.destroy();
      server.close();
    },
  };
}

/** TLS records (type, length) in a byte stream. */
function records(bytes: Buffer): Array<{ type: number; length: number }> {
  const out: Array<{ type: number; length: number }> = [];
  for (let i = 0; i + 5 <= bytes.length; ) {
    const length = bytes.readUInt16BE(i + 3);
    out.push({ type: bytes[i] ?? 0, length });
    i += 5 + length;
  }
  return out;
}

async function run(mode: ModeRequest, scenario: WireScenario, opts: { relay?: boolean; timeoutMs?: number; waitFor?: Array<'acs' | 'cpe'> } = {}): Promise<Run> {
  const reports: WireReport[] = [];
  let onClosed = () => {};
  const bothClosed = new Promise<void>((resolve) => (onClosed = resolve));
  const pair = new OpensslEndpointPair(resolveConfig({ ...mode, verifier: 'openssl' }), scenario, (r) => {
    reports.push(r);
    const waitFor = opts.waitFor ?? ['acs', 'cpe'];
    if (r.type === 'closed' && waitFor.every((side) => reports.some((x) => x.type === 'closed' && x.side === side))) onClosed();
  });
  let relay: Awaited<ReturnType<typeof recordingRelay>> | undefined;
  try {
    const acsPort = await pair.listen();
    if (opts.relay) relay = await recordingRelay(acsPort);
    pair.connect(relay?.port ?? acsPort);
    const timeout = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), opts.timeoutMs ?? 8000).unref());
    const outcome = await Promise.race([bothClosed, timeout]);
    if (outcome === 'timeout') throw new Error(`session did not end: ${JSON.stringify(reports.map((r) => r.type))}`);
    await relay?.settled();
  } finally {
    pair.destroy();
    relay?.close();
  }
  return { reports, of: (type) => reports.filter((r) => r.type === type) as never, fromCpe: relay?.fromCpe() ?? Buffer.alloc(0), fromAcs: relay?.fromAcs() ?? Buffer.alloc(0), pair };
}

function alive(pid: number | undefined): boolean {
  if (pid === undefined) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('parsing helpers', () => {
  it('splits lines whatever the chunking', () => {
    const b = new LineBuffer();
    expect([...b.push('depth=0 CN'), ...b.push(' = x\r\nverify error:num=10:cert'), ...b.push('ificate has expired\n'), ...b.end()]).toEqual([
      'depth=0 CN = x',
      'verify error:num=10:certificate has expired',
    ]);
  });

  it('reads OpenSSL error lines as SSL_R_… reasons', () => {
    expect(parseErrorLine('807B0CC5257F0000:error:0A000086:SSL routines:tls_post_process_server_certificate:certificate verify failed:../ssl/statem/statem_clnt.c:1889:')).toMatchObject({
      code: 'SSL_R_CERTIFICATE_VERIFY_FAILED',
      reason: 'certificate verify failed',
      packed: '0A000086',
    });
    expect(parseErrorLine('80EB:error:0A000418:SSL routines:ssl3_read_bytes:tlsv1 alert unknown ca:../ssl/record/rec_layer_s3.c:1601:SSL alert number 48')?.code).toBe('SSL_R_TLSV1_ALERT_UNKNOWN_CA');
    expect(parseErrorLine('807B:error:05800074:x509 certificate routines:X509_check_private_key:key values mismatch:../crypto/x509/x509_cmp.c:403:')?.code).toBe('X509_R_KEY_VALUES_MISMATCH');
    expect(parseErrorLine('verify error:num=10:certificate has expired')).toBeNull();
  });

  it('names OpenSSL 3.0 verify errors', () => {
    expect(verifyErrorName(10)).toBe('X509_V_ERR_CERT_HAS_EXPIRED');
    expect(verifyErrorName(20)).toBe('X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY');
    expect(verifyErrorName(24)).toBe('X509_V_ERR_NO_ISSUER_PUBLIC_KEY');
    expect(verifyErrorName(62)).toBe('X509_V_ERR_HOSTNAME_MISMATCH');
    expect(verifyErrorName(79)).toBe('X509_V_ERR_INVALID_CA');
  });

  it('finds an HTTP message amid other output, only once it is complete', () => {
    const msg = 'HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nok\n';
    const noise = '    01c0 - 73 91 d3 0c b1 3d 3';
    expect(findHttpMessage(noise + msg.slice(0, 30), /HTTP\/1\.[01] \d{3}[^\r\n]*\r\n/)).toBeUndefined();
    expect(findHttpMessage(noise + msg + '9 1c', /HTTP\/1\.[01] \d{3}[^\r\n]*\r\n/)).toMatchObject({ startLine: 'HTTP/1.1 200 OK', body: 'ok\n' });
  });

  it('agrees with the installed OpenSSL header, when there is one', () => {
    const header = '/usr/include/openssl/x509_vfy.h';
    if (!existsSync(header)) return;
    const text = spawnSync('cat', [header], { encoding: 'utf8' }).stdout;
    let checked = 0;
    for (const m of text.matchAll(/^# *define (X509_V_(?:OK|ERR_\w+)) +(\d+)/gm)) {
      expect(verifyErrorName(Number(m[2]))).toBe(m[1]);
      checked++;
    }
    expect(checked).toBeGreaterThan(60);
  });
});

describe.skipIf(!RUN)('OpensslEndpointPair (openssl s_server + s_client)', () => {
  const pool = new KeyPool({ size: 4 });
  let ca: IssuedCert;
  let good: WireScenario;

  function scenario(acs: IssuedCert, cpe: IssuedCert, tls: { acs?: TlsOverride; cpe?: TlsOverride } = {}, trust: { acs?: IssuedCert; cpe?: IssuedCert } = {}): WireScenario {
    return {
      acs: { chain: [acs.certPem], key: acs.keyPem, trust: [(trust.acs ?? ca).certPem] },
      cpe: { chain: [cpe.certPem], key: cpe.keyPem, trust: [(trust.cpe ?? ca).certPem] },
      acsHostname: 'acs.lab.test',
      tls: { acs: tls.acs ?? {}, cpe: tls.cpe ?? {} },
      attacker: null,
      cpeId: '00D09E-HL0001',
    };
  }

  beforeAll(async () => {
    ca = await createLabCa({ pool });
    const s = await issueSessionCerts(ca, pool);
    good = scenario(s.acs, s.cpe);
  }, 60_000);
  afterAll(() => pool.close());

  const modes: Array<[string, ModeRequest, string, string]> = [
    ['TLS 1.3', { tls: '1.3' }, 'TLSv1.3', 'TLS_AES_128_GCM_SHA256'],
    ['TLS 1.2 ECDHE', { tls: '1.2', kx: 'ecdhe' }, 'TLSv1.2', 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256'],
    ['paper mode (TLS 1.2 static RSA)', { paper: true }, 'TLSv1.2', 'TLS_RSA_WITH_AES_128_GCM_SHA256'],
  ];
  it.each(modes)('%s: both sides secure and authorized, HTTP 200, key logs from both, both closed', async (_name, mode, protocol, cipher) => {
    const r = await run(mode, good, { relay: true });
    expect(r.of('error')).toEqual([]);
    expect(r.of('verify')).toEqual([]);
    const secure = r.of('secure');
    expect(secure.map((s) => s.side).sort()).toEqual(['acs', 'cpe']);
    for (const s of secure) expect(s).toMatchObject({ authorized: true, authorizationError: null, protocol, cipher });
    expect(r.of('http')).toEqual([expect.objectContaining({ status: 200 })]);
    for (const side of ['acs', 'cpe'] as const) {
      const labels = new Set(r.of('keylog').filter((k) => k.side === side).map((k) => k.line.split(' ')[0]));
      if (protocol === 'TLSv1.3') {
        for (const l of ['CLIENT_HANDSHAKE_TRAFFIC_SECRET', 'SERVER_HANDSHAKE_TRAFFIC_SECRET', 'CLIENT_TRAFFIC_SECRET_0', 'SERVER_TRAFFIC_SECRET_0']) expect(labels).toContain(l);
      } else expect(labels).toContain('CLIENT_RANDOM');
    }
    // a line only once
    const lines = r.of('keylog').map((k) => `${k.side} ${k.line}`);
    expect(new Set(lines).size).toBe(lines.length);
    expect(r.of('closed').map((c) => c.side).sort()).toEqual(['acs', 'cpe']);
    // secure before http before the closes
    const idx = (t: WireReport['type']) => r.reports.findIndex((x) => x.type === t);
    expect(idx('secure')).toBeLessThan(idx('http'));
    expect(idx('http')).toBeLessThan(idx('closed'));
    // Both end with close_notify: the last record each way is an encrypted 2-byte alert
    // (TLS 1.3: application_data, 2 + 1 + 16-byte tag; TLS 1.2 GCM: alert, 8-byte nonce + 2 + 16).
    const closeNotify = protocol === 'TLSv1.3' ? { type: 0x17, length: 19 } : { type: 0x15, length: 26 };
    expect(records(r.fromCpe).at(-1)).toEqual(closeNotify);
    expect(records(r.fromAcs).at(-1)).toEqual(closeNotify);
  }, 20_000);

  it('verifyPeer false on both sides: the errors are reported, the handshake completes unauthorized, HTTP 200', async () => {
    const other = await createLabCa({ pool });
    const [expired, rogue] = await Promise.all([
      issueCert({ ...acsSpec(ca), notBefore: new Date('2020-01-01T00:00:00Z'), notAfter: new Date('2020-02-01T00:00:00Z') }, { pool }),
      issueCert(cpeSpec(other), { pool }),
    ]);
    const r = await run({ tls: '1.3' }, scenario(expired, rogue, { acs: { verifyPeer: false }, cpe: { verifyPeer: false } }));
    expect(r.of('error')).toEqual([]);
    expect(r.of('verify').find((v) => v.side === 'cpe')).toMatchObject({ code: 10, depth: 0 });
    expect(r.of('verify').find((v) => v.side === 'acs')).toMatchObject({ code: 20, depth: 0 });
    const secure = r.of('secure');
    expect(secure.find((x) => x.side === 'cpe')).toMatchObject({ authorized: false, authorizationError: 'X509_V_ERR_CERT_HAS_EXPIRED' });
    expect(secure.find((x) => x.side === 'acs')).toMatchObject({ authorized: false });
    expect(secure.find((x) => x.side === 'acs')?.authorizationError).toMatch(/^X509_V_ERR_/);
    expect(r.of('http')).toEqual([expect.objectContaining({ status: 200 })]);
  }, 20_000);

  it('expired ACS certificate: the CPE reports X509_V_ERR_CERT_HAS_EXPIRED at depth 0 and sends the fatal certificate_expired alert', async () => {
    const [expired, s] = await Promise.all([
      issueCert({ ...acsSpec(ca), notBefore: new Date('2020-01-01T00:00:00Z'), notAfter: new Date('2020-02-01T00:00:00Z') }, { pool }),
      issueSessionCerts(ca, pool),
    ]);
    const r = await run({ tls: '1.2', kx: 'ecdhe' }, scenario(expired, s.cpe), { relay: true });
    expect(r.of('verify')).toEqual([expect.objectContaining({ side: 'cpe', name: 'X509_V_ERR_CERT_HAS_EXPIRED', code: 10, depth: 0, text: 'certificate has expired' })]);
    expect(r.of('error').find((e) => e.side === 'cpe')).toMatchObject({ code: 'SSL_R_CERTIFICATE_VERIFY_FAILED' });
    expect(r.of('error').find((e) => e.side === 'acs')).toMatchObject({ code: 'SSL_R_SSLV3_ALERT_CERTIFICATE_EXPIRED' });
    expect(r.of('secure')).toEqual([]);
    expect(r.of('http')).toEqual([]);
    // TLS 1.2, before ChangeCipherSpec: a plaintext alert record, fatal (2) certificate_expired (45).
    expect(r.fromCpe.includes(Buffer.from([0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x2d]))).toBe(true);
    expect(r.of('closed')).toHaveLength(2);
  }, 20_000);

  it('CPE certificate from an untrusted CA: the ACS reports unable to get local issuer certificate (20), the CPE an error', async () => {
    const other = await createLabCa({ pool });
    const [s, rogue] = await Promise.all([issueSessionCerts(ca, pool), issueCert(cpeSpec(other), { pool })]);
    const r = await run({ tls: '1.3' }, scenario(s.acs, rogue));
    expect(r.of('verify')).toEqual([expect.objectContaining({ side: 'acs', code: 20, name: 'X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY', depth: 0 })]);
    expect(r.of('error').find((e) => e.side === 'acs')?.code).toBe('SSL_R_CERTIFICATE_VERIFY_FAILED');
    const cpeErr = r.of('error').find((e) => e.side === 'cpe');
    expect(cpeErr?.code).toBe('SSL_R_TLSV1_ALERT_UNKNOWN_CA');
    expect(r.of('secure').filter((x) => x.side === 'acs')).toEqual([]);
    expect(r.of('http')).toEqual([]);
    expect(r.of('closed')).toHaveLength(2);
  }, 20_000);

  it('TLS 1.3 CPE that sends no certificate: the ACS says the peer did not return a certificate', async () => {
    const r = await run({ tls: '1.3' }, { ...good, tls: { acs: {}, cpe: { sendCertificate: false } } });
    const acsErr = r.of('error').find((e) => e.side === 'acs');
    expect(acsErr?.code).toBe('SSL_R_PEER_DID_NOT_RETURN_A_CERTIFICATE');
    expect(acsErr?.message).toMatch(/peer did not return a certificate/);
    expect(r.of('error').find((e) => e.side === 'cpe')?.code).toBe('SSL_R_TLSV13_ALERT_CERTIFICATE_REQUIRED');
    expect(r.of('http')).toEqual([]);
  }, 20_000);

  it('a CPE key that does not match its certificate: CPE error + closed, no throw', async () => {
    const s = await issueSessionCerts(ca, pool);
    const bad: WireScenario = { ...good, cpe: { ...good.cpe, key: s.cpe.keyPem } };
    // The ACS keeps waiting for a client that never comes; destroy() ends it.
    const r = await run({ tls: '1.3' }, bad, { waitFor: ['cpe'] });
    const err = r.of('error').find((e) => e.side === 'cpe');
    expect(err?.code).toBe('X509_R_KEY_VALUES_MISMATCH');
    expect(r.of('closed').map((c) => c.side)).toContain('cpe');
    expect(r.of('secure')).toEqual([]);
  }, 20_000);

  it('an ACS that cannot start: listen() rejects, error + closed reported, nothing left behind', async () => {
    const s = await issueSessionCerts(ca, pool);
    const reports: WireReport[] = [];
    const pair = new OpensslEndpointPair(resolveConfig({ verifier: 'openssl' }), { ...good, acs: { ...good.acs, key: s.acs.keyPem } }, (r) => reports.push(r));
    await expect(pair.listen()).rejects.toThrow(/s_server could not start: .*key values mismatch/s);
    expect(reports.find((r) => r.type === 'error')).toMatchObject({ side: 'acs', code: 'X509_R_KEY_VALUES_MISMATCH' });
    expect(reports.filter((r) => r.type === 'closed')).toHaveLength(1);
    pair.destroy();
    expect(existsSync(pair.tempDir)).toBe(false);
  }, 20_000);

  it('destroy() mid-session kills both processes and removes the temp dir; idempotent', async () => {
    const reports: WireReport[] = [];
    const pair = new OpensslEndpointPair(resolveConfig({ tls: '1.3', verifier: 'openssl' }), good, (r) => reports.push(r));
    const port = await pair.listen();
    // A silent peer: the CPE connects to a listener that never answers, so both processes hang.
    const sink = net.createServer(() => {});
    await new Promise<void>((r) => sink.listen(0, '127.0.0.1', r));
    pair.connect((sink.address() as net.AddressInfo).port);
    await new Promise((r) => setTimeout(r, 300));
    const { acs, cpe } = pair.pids;
    expect(alive(acs) && alive(cpe)).toBe(true);
    expect(existsSync(pair.tempDir)).toBe(true);
    expect(port).toBeGreaterThan(0);
    pair.destroy();
    pair.destroy();
    expect(existsSync(pair.tempDir)).toBe(false);
    const deadline = Date.now() + 3000;
    while (reports.filter((r) => r.type === 'closed').length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    sink.close();
    expect(reports.filter((r) => r.type === 'closed').map((r) => (r as Report<'closed'>).side).sort()).toEqual(['acs', 'cpe']);
    expect(alive(acs)).toBe(false);
    expect(alive(cpe)).toBe(false);
    const children = spawnSync('ps', ['-o', 'pid=', '--ppid', String(process.pid)], { encoding: 'utf8' }).stdout.split('\n').map((l) => Number(l.trim()));
    expect(children).not.toContain(acs);
    expect(children).not.toContain(cpe);
  }, 20_000);

  it('a finished session leaves no process and no temp dir', async () => {
    const r = await run({ tls: '1.3' }, good);
    const { acs, cpe } = r.pair.pids;
    expect(alive(acs)).toBe(false);
    expect(alive(cpe)).toBe(false);
    expect(existsSync(r.pair.tempDir)).toBe(false);
  }, 20_000);
});
