import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LabEvent } from '../protocol/events.ts';
import { parseKeyLog } from '../protocol/tls/keylog.ts';

const ROOT = join(import.meta.dirname, '../..');
function lab(...args: string[]) {
  const r = spawnSync(join(ROOT, 'node_modules/.bin/tsx'), ['src/server/cli.ts', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('lab CLI', () => {
  it.each([
    [['session', '--tls', '1.1'], /--tls must be 1\.2 or 1\.3/],
    [['session', '--kx', 'dhe'], /--kx must be ecdhe or rsa/],
    [['session', '--tls', '1.3', '--kx', 'rsa'], /TLS 1\.3 has no static-RSA/],
    [['session', '--cipher', 'NULL-MD5'], /unknown cipher suite "NULL-MD5"/],
    [['session', '--bogus'], /Unknown option '--bogus'/],
    [['session', '--tls'], /--tls/],
    [['session', '--deadline', 'soon'], /--deadline takes a whole number/],
    [['sessoin'], /unknown command "sessoin"/],
  ])('%j: a clear message naming the problem, exit code 2', (args, msg) => {
    const r = lab(...args);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(msg);
    expect(r.out).toBe('');
  });

  it('--json prints exactly one schema-valid event per line and nothing else', () => {
    const r = lab('session', '--json');
    expect(r.code).toBe(0);
    const lines = r.out.trimEnd().split('\n');
    const events = lines.map((l) => LabEvent.parse(JSON.parse(l)));
    expect(events[0]!.kind).toBe('session');
    expect(events.at(-1)!.kind).toBe('outcome');
    expect(events.filter((e) => e.kind === 'message').length).toBeGreaterThan(10);
  });

  it('the default output is a packet list and the outcome in words; -V adds field trees; --pcap and --keylog write files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hl-cli-'));
    const r = lab('session', '--paper', '-V', '--pcap', join(dir, 's.pcapng'), '--keylog', join(dir, 's.keys'));
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^\s+1\s+\S+\s+CPE → ACS\s+handshake\s+ClientHello/m);
    expect(r.out).toMatch(/ClientKeyExchange\s+RSA-encrypted premaster/);
    expect(r.out).toMatch(/cipher_suites: /); // a field tree line
    expect(r.out).toMatch(/✔ OK\s+Mutual TLS succeeded: TLS 1\.2 with TLS_RSA_WITH_AES_128_GCM_SHA256/);
    expect(existsSync(join(dir, 's.pcapng'))).toBe(true);
    const keys = parseKeyLog(readFileSync(join(dir, 's.keys'), 'utf8'));
    expect(keys.errors).toEqual([]);
    expect(keys.entries.map((e) => e.label)).toContain('CLIENT_RANDOM');
  });
});

describe('lab CLI: faults', () => {
  it('lists the catalog, one JSON object per fault with --json', () => {
    const r = lab('faults', '--json');
    expect(r.code).toBe(0);
    const rows = r.out.trimEnd().split('\n').map((l) => JSON.parse(l) as { id: string; title: { en: string; zh: string } });
    expect(rows.length).toBeGreaterThanOrEqual(30);
    expect(rows.map((f) => f.id)).toEqual(expect.arrayContaining(['acs-expired', 'cpe-unknown-ca', 'acs-hostname-mismatch', 'mitm', 'mitm-verify-off']));
    expect(rows.every((f) => f.title.en && f.title.zh)).toBe(true);
  });

  it('an unknown fault id is a clear error naming it, exit 2, and nothing starts', () => {
    const r = lab('session', '--fault', 'acs-expird');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/acs-expird/);
    expect(r.err).toMatch(/acs-expired/); // the closest ids are suggested
    expect(r.out).toBe('');
  });

  it('--verifier must be node or openssl', () => {
    const r = lab('session', '--verifier', 'gnutls');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--verifier must be node or openssl/);
  });

  it('a fault session prints the real outcome: the OpenSSL verifier sends certificate_expired', () => {
    const r = lab('session', '--fault', 'acs-expired', '--verifier', 'openssl', '--tls', '1.2');
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/The CPE aborted with a fatal certificate_expired \(45\) alert/);
  });
});

describe('lab CLI: CWMP', () => {
  it('session --cwmp --json carries the decrypted CWMP envelopes as cwmp events', () => {
    const r = lab('session', '--rpc', 'gpv:Device.DeviceInfo.SoftwareVersion', '--json');
    expect(r.code).toBe(0);
    const events = r.out.trimEnd().split('\n').map((l) => LabEvent.parse(JSON.parse(l)));
    expect(events.flatMap((e) => (e.kind === 'cwmp' ? [e.rpc] : []))).toEqual(['Inform', 'InformResponse', 'GetParameterValues', 'GetParameterValuesResponse']);
  });

  it('a bad --rpc spec names the problem, exit 2', () => {
    const r = lab('session', '--rpc', 'spv:Device.X');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/expected NAME=VALUE/);
  });
});
