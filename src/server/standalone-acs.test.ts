import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeEnvelope } from '../cwmp/soap/index.ts';
import { LabEvent } from '../protocol/events.ts';
import { haveXmllint, validateEnvelopes } from '../../test/cwmp-xsd.ts';
import { requireTool } from '../../test/tools.ts';
import { closeLabKeyPool } from './material.ts';
import { startStandaloneAcs, type StandaloneAcs } from './standalone-acs.ts';
import { runStandaloneCpe } from './standalone-cpe.ts';

const hasCurl = requireTool('curl', 'curl', 'the standalone ACS interop test with curl', ['--version']);
const xmllint = haveXmllint('schema validation of the standalone ACS answer');

afterAll(async () => {
  await closeLabKeyPool();
});

describe.runIf(hasCurl)('lab acs: the ACS works with a client nobody here wrote (curl)', () => {
  let acs: StandaloneAcs;
  const events: LabEvent[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'hl-acs-'));
  beforeAll(async () => {
    acs = await startStandaloneAcs({ port: 0, certDir: join(dir, 'certs'), cpeId: '00D09E-CURL01', onEvent: (e) => events.push(LabEvent.parse(e)) });
  });
  afterAll(async () => {
    await acs?.close();
  });

  it('answers an Inform POSTed by curl with mutual TLS with a schema-valid InformResponse, and the wiretap decrypts it', async () => {
    const inform = encodeEnvelope(
      {
        method: 'Inform',
        DeviceId: { Manufacturer: 'curl', OUI: '00D09E', ProductClass: 'shell', SerialNumber: 'CURL01' },
        Event: [{ EventCode: '1 BOOT', CommandKey: '' }],
        MaxEnvelopes: 1,
        CurrentTime: '2026-11-26T00:00:00Z',
        RetryCount: 0,
        ParameterList: [{ Name: 'Device.DeviceInfo.SoftwareVersion', Value: '1.0', Type: 'xsd:string' }],
      },
      { ns: '1-0', id: 'curl-1' },
    );
    writeFileSync(join(dir, 'inform.xml'), inform);
    // Asynchronous: the ACS and the relay run in this process and must keep answering.
    const r = await promisify(execFile)(
      'curl',
      ['-sS', '--cacert', acs.files.ca, '--cert', acs.files.cpeCert, '--key', acs.files.cpeKey, '--resolve', `acs.lab.test:${acs.port}:127.0.0.1`, '-H', 'Content-Type: text/xml; charset="utf-8"', '--data-binary', `@${join(dir, 'inform.xml')}`, '-o', join(dir, 'answer.xml'), '-w', '%{http_code}', `https://acs.lab.test:${acs.port}/`],
      { encoding: 'utf8', timeout: 20_000 },
    ).catch((e: { stdout?: string; stderr?: string; message: string }) => ({ stdout: e.stdout ?? '', stderr: e.stderr ?? e.message }));
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('200');
    if (xmllint) expect(validateEnvelopes([join(dir, 'answer.xml')]).status).toBe(0);
    await new Promise((res) => setTimeout(res, 200)); // the relay's last events
    const cwmp = events.flatMap((e) => (e.kind === 'cwmp' ? [`${e.from}:${e.rpc}:${e.ns}`] : []));
    expect(cwmp).toEqual(['cpe:Inform:1-0', 'acs:InformResponse:1-0']);
    expect(events.some((e) => e.kind === 'message' && e.name === 'Finished' && e.decrypted)).toBe(true);
  });
  it('malformed SOAP gets an HTTP 400 or a CWMP fault, never a crash, and the ACS keeps answering', async () => {
    const curl = (body: string) =>
      promisify(execFile)(
        'curl',
        ['-sS', '--cacert', acs.files.ca, '--cert', acs.files.cpeCert, '--key', acs.files.cpeKey, '--resolve', `acs.lab.test:${acs.port}:127.0.0.1`, '-H', 'Content-Type: text/xml', '--data-binary', body, '-w', '\n%{http_code}', `https://acs.lab.test:${acs.port}/`],
        { encoding: 'utf8', timeout: 20_000 },
      ).then((r) => r.stdout.trim().split('\n').at(-1));
    for (const bad of ['<not-xml', '<a>no envelope</a>', '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><Nonsense/></soap:Body></soap:Envelope>']) {
      const status = await curl(bad);
      expect(['400', '500']).toContain(status);
    }
    // still alive: a well-formed Inform (written by the first test) gets its 200 on a fresh connection
    expect(await curl(`@${join(dir, 'inform.xml')}`)).toBe('200');
    await new Promise((res) => setTimeout(res, 200));
    expect(events.some((e) => e.kind === 'error' && /not a CWMP envelope|not HTTP/.test(e.message))).toBe(true);
  });
});

describe('lab cpe against lab acs: both standalone ends, each through its own wiretap', () => {
  it('our CPE runs a CWMP session against the standalone ACS and sees it decrypted with its own key log', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hl-cpe-'));
    const acsEvents: LabEvent[] = [];
    const acs = await startStandaloneAcs({ port: 0, certDir: join(dir, 'certs'), cpeId: '00D09E-HL0077', rpcs: ['gpv:Device.DeviceInfo.SoftwareVersion'], onEvent: (e) => acsEvents.push(e) });
    try {
      const events: LabEvent[] = [];
      const r = await runStandaloneCpe({
        acsUrl: `https://127.0.0.1:${acs.port}/`,
        caFile: acs.files.ca,
        certFile: acs.files.cpeCert,
        keyFile: acs.files.cpeKey,
        cpeId: '00D09E-HL0077',
        onEvent: (e) => events.push(LabEvent.parse(e)),
      });
      expect(r).toEqual({ ok: true, status: 204 });
      const rpcs = events.flatMap((e) => (e.kind === 'cwmp' ? [`${e.from}:${e.rpc}`] : []));
      expect(rpcs).toEqual(['cpe:Inform', 'acs:InformResponse', 'acs:GetParameterValues', 'cpe:GetParameterValuesResponse']);
      expect(events.filter((e) => e.kind === 'secret').every((e) => e.kind === 'secret' && e.from === 'cpe')).toBe(true);
    } finally {
      await acs.close();
    }
  });

  it('bad input: a non-https URL or a missing key file is a clear error', async () => {
    await expect(runStandaloneCpe({ acsUrl: 'http://127.0.0.1:1/', onEvent: () => {} })).rejects.toThrow(/https:\/\//);
    await expect(runStandaloneCpe({ acsUrl: 'https://127.0.0.1:1/', certFile: '/nonexistent.pem', keyFile: '/nonexistent-key.pem', onEvent: () => {} })).rejects.toThrow(/cannot read the certificate/);
  });
});
