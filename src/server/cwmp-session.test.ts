import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { LabEvent } from '../protocol/events.ts';
import { haveXmllint, validateEnvelopes } from '../../test/cwmp-xsd.ts';
import { requireTool } from '../../test/tools.ts';
import { scenarioFor, wireScenario } from './faults.ts';
import { ConfigError, resolveConfig } from './modes.ts';
import { labForTests } from './test-lab.ts';
import { runSession, sessionPcapng } from './session.ts';

const hasXmllint = haveXmllint('CWMP envelope schema validation of live sessions');
const hasTshark = requireTool('tshark', 'tshark', 'tshark reading the Connection Request from the pcapng', ['-v']);

const lab = labForTests();

const SCRIPT = [
  'getrpcmethods',
  'gpn:Device.DeviceInfo.:next',
  'gpv:Device.DeviceInfo.SoftwareVersion,Device.ManagementServer.',
  'spv:Device.WiFi.SSID.1.SSID=lab;Device.ManagementServer.PeriodicInformInterval:unsignedInt=600',
  'spv:Device.DeviceInfo.Manufacturer=Evil', // read-only: 9003 with a 9008 detail
  'add:Device.WiFi.SSID.',
  'del:Device.WiFi.SSID.2.',
  'download:http://files.lab.test/fw.bin',
  'reboot',
];

describe.each(['1.2', '1.3'] as const)('CWMP over the verified channel, TLS %s', (tls) => {
  let events: LabEvent[];
  beforeAll(async () => {
    const r = await runSession(resolveConfig({ tls, rpcs: SCRIPT }), lab.material);
    events = r.events;
    expect(r.outcome.ok).toBe(true);
    expect(r.outcome.summary).toMatch(/CWMP session ran to its end/);
  });

  it('the relay decrypted every envelope: Inform, each RPC and its answer, then 204', () => {
    const rpcs = events.flatMap((e) => (e.kind === 'cwmp' ? [`${e.from}:${e.rpc}`] : []));
    expect(rpcs).toEqual([
      'cpe:Inform', 'acs:InformResponse',
      'acs:GetRPCMethods', 'cpe:GetRPCMethodsResponse',
      'acs:GetParameterNames', 'cpe:GetParameterNamesResponse',
      'acs:GetParameterValues', 'cpe:GetParameterValuesResponse',
      'acs:SetParameterValues', 'cpe:SetParameterValuesResponse',
      'acs:SetParameterValues', 'cpe:Fault',
      'acs:AddObject', 'cpe:AddObjectResponse',
      'acs:DeleteObject', 'cpe:DeleteObjectResponse',
      'acs:Download', 'cpe:DownloadResponse',
      'acs:Reboot', 'cpe:RebootResponse',
      // the device reboots and informs again, reporting the download
      'cpe:Inform', 'acs:InformResponse',
      'cpe:TransferComplete', 'acs:TransferCompleteResponse',
    ]);
    const informs = events.flatMap((e) => (e.kind === 'cwmp' && e.rpc === 'Inform' ? [e] : []));
    expect(informs[1]?.summary).toMatch(/M Reboot.*1 BOOT.*7 TRANSFER COMPLETE.*M Download/);
    expect(informs[1]?.conn).not.toBe(informs[0]?.conn);
    const fault = events.find((e) => e.kind === 'cwmp' && e.rpc === 'Fault');
    expect(fault?.kind === 'cwmp' && fault.xml).toMatch(/<FaultCode>9008<\/FaultCode>/);
    const http = events.flatMap((e) => (e.kind === 'http' && e.response ? [e.response.status] : []));
    expect(http.at(-1)).toBe(204);
    expect(events.filter((e) => e.kind === 'http').every((e) => e.kind === 'http' && !e.plain)).toBe(true);
    expect(events.filter((e) => e.kind === 'error')).toEqual([]);
  });

  it.runIf(hasXmllint)('every envelope on the wire validates against the Broadband Forum CWMP schemas', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hl-cwmp-'));
    const files = events.flatMap((e, i) => (e.kind === 'cwmp' ? [join(dir, `${i}-${e.rpc}.xml`)] : []));
    let k = 0;
    for (const e of events) if (e.kind === 'cwmp') writeFileSync(files[k++]!, e.xml);
    const r = validateEnvelopes(files);
    expect(r.out).not.toMatch(/fails to validate|error/i);
    expect(r.status).toBe(0);
  });
});

describe('CWMP application-layer checks', () => {
  it('cpe-identity-mismatch: TLS accepts the certificate, the ACS refuses the Inform with 403', async () => {
    const config = resolveConfig({ cwmp: true, faults: ['cpe-identity-mismatch'] });
    const r = await runSession(config, wireScenario(await scenarioFor(config)));
    expect(r.outcome.cpe.verifiedPeer).toBe(true);
    expect(r.outcome.acs.verifiedPeer).toBe(true);
    expect(r.outcome.ok).toBe(false);
    expect(r.outcome.acs.error?.code).toBe('CWMP_IDENTITY_MISMATCH');
    expect(r.outcome.summary).toMatch(/refused the CPE at the application layer with HTTP 403/);
    expect(r.events.some((e) => e.kind === 'http' && e.response?.status === 403)).toBe(true);
  });

  it('a bad --rpc spec is a clear configuration error', () => {
    expect(() => resolveConfig({ rpcs: ['gpx:Device.'] })).toThrow(ConfigError);
    expect(() => resolveConfig({ rpcs: ['spv:Device.X'] })).toThrow(/NAME=VALUE/);
    expect(() => resolveConfig({ cwmp: true, verifier: 'openssl' })).toThrow(/Node endpoints/);
  });
});

describe('Connection Request (TR-069 §3.2.2): plain HTTP with Digest, then the CPE calls back', () => {
  it('the ACS asks, the CPE challenges (401), accepts the Digest answer (200), and opens a new TLS session with 6 CONNECTION REQUEST', async () => {
    const r = await runSession(resolveConfig({ connectionRequest: 'on', rpcs: ['gpv:Device.DeviceInfo.SoftwareVersion'] }), lab.material);
    expect(r.outcome.ok).toBe(true);
    const plain = r.events.flatMap((e) => (e.kind === 'http' && e.plain ? [`${e.from}:${e.request ? e.request.method : e.response?.status}`] : []));
    expect(plain).toEqual(['acs:GET', 'cpe:401', 'acs:GET', 'cpe:200']);
    const auth = r.events.find((e) => e.kind === 'http' && e.plain && e.headers.some((h) => h.name.toLowerCase() === 'authorization'));
    expect(auth?.kind === 'http' && auth.headers.find((h) => h.name.toLowerCase() === 'authorization')?.value).toMatch(/^Digest .*qop=auth.*response="[0-9a-f]{32}"/);
    const informs = r.events.flatMap((e) => (e.kind === 'cwmp' && e.rpc === 'Inform' ? [{ conn: e.conn, summary: e.summary }] : []));
    expect(informs).toHaveLength(2);
    expect(informs[0]!.summary).toMatch(/1 BOOT/);
    expect(informs[1]!.summary).toMatch(/6 CONNECTION REQUEST/);
    expect(informs[1]!.conn).not.toBe(informs[0]!.conn);
    // the script runs in the session the Connection Request started
    const gpv = r.events.find((e) => e.kind === 'cwmp' && e.rpc === 'GetParameterValues');
    expect(gpv?.kind === 'cwmp' && gpv.conn).toBe(informs[1]!.conn);
    // the pcapng holds every connection: the plain Connection Request too, readable by tshark
    expect(r.wire.connections.length).toBeGreaterThanOrEqual(4);
    if (hasTshark) {
      const file = join(mkdtempSync(join(tmpdir(), 'hl-cr-')), 'cr.pcapng');
      writeFileSync(file, sessionPcapng(r));
      const cr = r.wire.connections.find((c) => r.events.some((e) => e.kind === 'http' && e.plain && e.conn === c.conn))!;
      const out = execFileSync('tshark', ['-r', file, '-d', `tcp.port==${cr.server.port},http`, '-Y', 'http', '-T', 'fields', '-e', 'http.request.method', '-e', 'http.response.code', '-e', 'http.authorization'], { encoding: 'utf8' });
      expect(out).toMatch(/GET\t\t\n/);
      expect(out).toMatch(/\t401\t/);
      expect(out).toMatch(/GET\t\tDigest username="acs"/);
    }
  });

  it('wrong Digest credentials: the CPE answers 401 twice, no callback, and the outcome says why', async () => {
    const r = await runSession(resolveConfig({ connectionRequest: 'bad-credentials' }), lab.material);
    expect(r.outcome.ok).toBe(false);
    expect(r.outcome.acs.error?.code).toBe('CWMP_CONNECTION_REQUEST_FAILED');
    expect(r.outcome.summary).toMatch(/Connection Request failed.*401/);
    const statuses = r.events.flatMap((e) => (e.kind === 'http' && e.plain && e.response ? [e.response.status] : []));
    expect(statuses).toEqual([401, 401]);
    expect(r.events.filter((e) => e.kind === 'cwmp' && e.rpc === 'Inform')).toHaveLength(1);
  });
});

describe('server-auth-only (TR-069 Amd 6 §3.4.4)', () => {
  it('no CertificateRequest, no client certificate: the ACS asks for HTTP Basic credentials inside TLS (401, then 200)', async () => {
    const r = await runSession(resolveConfig({ cwmp: true, rpcs: [], serverAuthOnly: true }), lab.material);
    expect(r.outcome.ok).toBe(true);
    expect(r.outcome.summary).toMatch(/HTTP Basic/);
    const names = r.events.flatMap((e) => (e.kind === 'message' ? [`${e.from}:${e.name}`] : []));
    expect(names).not.toContain('acs:CertificateRequest');
    expect(names).not.toContain('cpe:Certificate');
    const statuses = r.events.flatMap((e) => (e.kind === 'http' && e.response ? [e.response.status] : []));
    expect(statuses[0]).toBe(401);
    const retried = r.events.find((e) => e.kind === 'http' && e.request && e.headers.some((h) => h.name.toLowerCase() === 'authorization'));
    expect(retried?.kind === 'http' && retried.headers.find((h) => h.name.toLowerCase() === 'authorization')?.value).toMatch(/^Basic /);
    expect(statuses.at(-1)).toBe(204);
  });
});
