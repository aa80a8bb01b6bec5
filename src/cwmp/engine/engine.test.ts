/**
 * AcsSession and CpeSession against each other in memory, fault and error paths, and schema validation
 * of every envelope either side emitted (../shared/cwmp-xsd/validate, needs xmllint).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { DataModel } from '../datamodel/index.ts';
import { decodeEnvelope, encodeEnvelope, isEmptyHttpBody, type CwmpNs, type Fault } from '../soap/index.ts';
import { haveXmllint, validateEnvelopes } from '../../../test/cwmp-xsd.ts';
import {
  AcsSession, CpeDevice, CpeSession, basicAuthorization, parseBasicAuthorization, parseSetCookie,
  type AcsNote, type AcsRpc, type AcsSessionOptions, type HttpRequest, type HttpResponse,
} from './index.ts';

const ID = { manufacturer: 'Handshake Lab', oui: '00259E', productClass: 'HL-AX3000', serialNumber: 'HL0001' };
const CN = '00259E-HL0001';
const T0 = Date.parse('2025-01-01T00:00:00Z');
const now = () => new Date(T0);
const model = () => new DataModel(ID, { now: () => T0 });

// ---- every envelope either side emits is collected here and validated at the end -------------------
const emitted: { from: 'acs' | 'cpe'; body: string }[] = [];
function fromCpe(r: HttpRequest | null): HttpRequest | null {
  if (r !== null && !isEmptyHttpBody(r.body)) emitted.push({ from: 'cpe', body: r.body });
  return r;
}
function handle(acs: AcsSession, req: HttpRequest): HttpResponse & { notes: AcsNote[] } {
  const res = acs.handle(req);
  if (!isEmptyHttpBody(res.body) && res.body.startsWith('<?xml')) emitted.push({ from: 'acs', body: res.body });
  return res;
}

interface Step { req: HttpRequest; res: HttpResponse & { notes: AcsNote[] } }

/** Drive one session: CPE start → ACS → CPE … until the CPE returns null. */
function run(acs: AcsSession, cpe: CpeSession): Step[] {
  const steps: Step[] = [];
  let req = fromCpe(cpe.start());
  for (let i = 0; req !== null; i++) {
    if (i > 100) throw new Error('session does not end');
    const res = handle(acs, req);
    steps.push({ req, res });
    req = fromCpe(cpe.receive(res));
  }
  return steps;
}

function label(body: string, status?: number): string {
  if (isEmptyHttpBody(body)) return status === undefined ? '(empty)' : `HTTP ${status}`;
  try {
    const r = decodeEnvelope(body).rpc;
    return r.method === 'Fault' ? `Fault ${r.FaultCode}` : r.method;
  } catch {
    return `HTTP ${status ?? '?'}`;
  }
}
/** The wire as a list: CPE message, ACS message, CPE message … */
const wire = (steps: Step[]) => steps.flatMap((s) => [label(s.req.body), label(s.res.body, s.res.status)]);
const notesOf = (steps: Step[]) => steps.flatMap((s) => s.res.notes);
const value = (m: DataModel, name: string) => m.getParameterValues([name])[0]?.value;
const post = (body: string, headers: Record<string, string> = {}): HttpRequest => ({ method: 'POST', path: '/', headers, body });

function acsWith(script: AcsRpc[], extra: Partial<AcsSessionOptions> = {}): AcsSession {
  return new AcsSession({ script, clientCertificateCn: CN, sessionId: 'sess-1', ...extra });
}
function informXml(ns: CwmpNs = '1-2', id = 'i1'): string {
  return encodeEnvelope({
    method: 'Inform',
    DeviceId: { Manufacturer: ID.manufacturer, OUI: ID.oui, ProductClass: ID.productClass, SerialNumber: ID.serialNumber },
    Event: [{ EventCode: '1 BOOT', CommandKey: '' }], MaxEnvelopes: 1, CurrentTime: '2025-01-01T00:00:00Z', RetryCount: 0, ParameterList: [],
  }, { ns, id });
}
/** An ACS past its InformResponse; returns the cookie header to use. */
function informed(acs: AcsSession, ns: CwmpNs = '1-2'): Record<string, string> {
  const r = handle(acs, post(informXml(ns)));
  expect(r.status).toBe(200);
  const c = parseSetCookie(r.headers['Set-Cookie'])[0]!;
  return { Cookie: `${c.name}=${c.value}` };
}
function faultOf(res: HttpResponse): Fault {
  const r = decodeEnvelope(res.body).rpc;
  if (r.method !== 'Fault') throw new Error(`expected a Fault, got ${r.method}`);
  return r;
}

// ---------------------------------------------------------------------------------------------------

const FULL_SCRIPT: AcsRpc[] = [
  { method: 'GetRPCMethods' },
  { method: 'GetParameterNames', path: 'Device.WiFi.', nextLevel: true },
  { method: 'GetParameterValues', names: ['Device.WiFi.SSID.1.SSID', 'Device.WiFi.Radio.1.Channel'] },
  {
    method: 'SetParameterValues', parameterKey: 'k-set',
    list: [{ name: 'Device.WiFi.SSID.1.SSID', value: 'Lab-Set' }, { name: 'Device.WiFi.Radio.1.Channel', value: '11', type: 'xsd:unsignedInt' }],
  },
  { method: 'AddObject', objectName: 'Device.WiFi.SSID.', parameterKey: 'k-add' },
  { method: 'DeleteObject', objectName: 'Device.WiFi.SSID.3.', parameterKey: 'k-del' },
  { method: 'GetParameterValues', names: ['Device.WiFi.SSID.1.Nope'] },
  {
    method: 'SetParameterValues', parameterKey: 'k-bad',
    list: [
      { name: 'Device.WiFi.SSID.1.Nope', value: 'x' },
      { name: 'Device.WiFi.Radio.1.Channel', value: '6', type: 'xsd:string' },
      { name: 'Device.WiFi.SSID.1.SSID', value: 'x'.repeat(33) },
      { name: 'Device.DeviceInfo.ModelName', value: 'hacked' },
    ],
  },
  { method: 'Download', commandKey: 'dl-1', url: 'https://files.handshake.lab/fw-2.0.bin', fileSize: 1024 },
  { method: 'Reboot', commandKey: 'reboot-1' },
];

describe('a full session, every RPC (mutual TLS, cwmp-1-2)', () => {
  const m = model();
  const device = new CpeDevice({ model: m, ns: '1-2', now });
  const acs = acsWith(FULL_SCRIPT);
  const cpe = device.nextSession();
  const steps = run(acs, cpe);

  it('runs the methods in order and ends with 204', () => {
    expect(wire(steps)).toEqual([
      'Inform', 'InformResponse',
      '(empty)', 'GetRPCMethods',
      'GetRPCMethodsResponse', 'GetParameterNames',
      'GetParameterNamesResponse', 'GetParameterValues',
      'GetParameterValuesResponse', 'SetParameterValues',
      'SetParameterValuesResponse', 'AddObject',
      'AddObjectResponse', 'DeleteObject',
      'DeleteObjectResponse', 'GetParameterValues',
      'Fault 9005', 'SetParameterValues',
      'Fault 9003', 'Download',
      'DownloadResponse', 'Reboot',
      'RebootResponse', 'HTTP 204',
    ]);
    expect(acs.state).toBe('ended');
    expect(cpe.state).toBe('done');
    expect(steps[0]!.res.headers['Set-Cookie']).toMatch(/^CWMPSID=sess-1;/);
    expect(steps.slice(1).every((s) => s.req.headers['Cookie'] === 'CWMPSID=sess-1')).toBe(true);
  });

  it('the Inform is what TR-069 asks for', () => {
    const inform = decodeEnvelope(steps[0]!.req.body);
    expect(inform.ns).toBe('1-2');
    if (inform.rpc.method !== 'Inform') throw new Error('not an Inform');
    expect(inform.rpc.MaxEnvelopes).toBe(1);
    expect(inform.rpc.Event.map((e) => e.EventCode)).toEqual(['0 BOOTSTRAP', '1 BOOT']);
    expect(inform.rpc.DeviceId).toEqual({ Manufacturer: 'Handshake Lab', OUI: '00259E', ProductClass: 'HL-AX3000', SerialNumber: 'HL0001' });
    expect(inform.rpc.CurrentTime).toBe('2025-01-01T00:00:00Z');
    expect(inform.rpc.ParameterList.map((p) => p.Name)).toContain('Device.ManagementServer.ConnectionRequestURL');
    const ir = decodeEnvelope(steps[0]!.res.body);
    expect(ir.rpc).toEqual({ method: 'InformResponse', MaxEnvelopes: 1 });
    expect(ir.id).toBe(inform.id);
  });

  it('SetParameterValues and AddObject/DeleteObject really changed the model', () => {
    expect(value(m, 'Device.WiFi.SSID.1.SSID')).toBe('Lab-Set');
    expect(value(m, 'Device.WiFi.Radio.1.Channel')).toBe('11');
    expect(m.snapshot().instances['Device.WiFi.SSID.']).toEqual([1, 2, 4]);
    expect(value(m, 'Device.WiFi.SSID.4.Enable')).toBeDefined();
    expect(value(m, 'Device.ManagementServer.ParameterKey')).toBe('k-del');
    const add = acs.results.find((r) => r.method === 'AddObject')!;
    expect(add.response).toEqual({ method: 'AddObjectResponse', InstanceNumber: 4, Status: 0 });
  });

  it('records every result, with fault details for SetParameterValues', () => {
    expect(acs.results.map((r) => [r.method, r.ok])).toEqual([
      ['GetRPCMethods', true], ['GetParameterNames', true], ['GetParameterValues', true], ['SetParameterValues', true],
      ['AddObject', true], ['DeleteObject', true], ['GetParameterValues', false], ['SetParameterValues', false],
      ['Download', true], ['Reboot', true],
    ]);
    expect(acs.results[6]!.fault).toMatchObject({ code: 9005, details: [] });
    const spv = acs.results[7]!.fault!;
    expect(spv.code).toBe(9003);
    expect(spv.details.map((d) => [d.ParameterName, d.FaultCode])).toEqual([
      ['Device.WiFi.SSID.1.Nope', 9005],
      ['Device.WiFi.Radio.1.Channel', 9006],
      ['Device.WiFi.SSID.1.SSID', 9007],
      ['Device.DeviceInfo.ModelName', 9008],
    ]);
    expect(spv.details[3]!.FaultString).toBe('Attempt to set a non-writable parameter');
    // all-or-nothing: the faulty SPV changed nothing
    expect(value(m, 'Device.WiFi.SSID.1.SSID')).toBe('Lab-Set');
    const gpv = acs.results[2]!.response;
    expect(gpv).toMatchObject({ method: 'GetParameterValuesResponse', ParameterList: [
      { Name: 'Device.WiFi.SSID.1.SSID', Value: 'HandshakeLab', Type: 'xsd:string' },
      { Name: 'Device.WiFi.Radio.1.Channel', Type: 'xsd:unsignedInt' },
    ] });
    const notes = notesOf(steps);
    expect(notes).toContainEqual({ kind: 'identity-verified', cn: CN });
    expect(notes.filter((n) => n.kind === 'rpc-sent')).toHaveLength(FULL_SCRIPT.length);
    expect(notes).toContainEqual(expect.objectContaining({ kind: 'rpc-result', method: 'SetParameterValues', ok: false }));
    expect(notes.at(-1)).toEqual({ kind: 'session-end', rpcsSent: FULL_SCRIPT.length, results: FULL_SCRIPT.length });
  });

  it('IDs: the ACS numbers its requests, the CPE echoes them', () => {
    for (const s of steps.slice(1, -1)) {
      const sent = decodeEnvelope(s.res.body);
      expect(sent.id).toMatch(/^acs-\d+$/);
    }
    for (let i = 2; i < steps.length; i++) {
      expect(decodeEnvelope(steps[i]!.req.body).id).toBe(decodeEnvelope(steps[i - 1]!.res.body).id);
    }
  });

  it('Reboot and Download leave events for the next session', () => {
    expect(cpe.pendingBootEvents).toEqual([{ EventCode: 'M Reboot', CommandKey: 'reboot-1' }, { EventCode: '1 BOOT', CommandKey: '' }]);
    expect(cpe.pendingTransfers).toMatchObject([{ commandKey: 'dl-1', faultCode: 0 }]);
    const dl = acs.results.find((r) => r.method === 'Download')!.response;
    expect(dl).toMatchObject({ method: 'DownloadResponse', Status: 1, StartTime: '0001-01-01T00:00:00Z' });
  });

  it('next session: Inform carries M Reboot + 1 BOOT + 7 TRANSFER COMPLETE + M Download, then TransferComplete', () => {
    const acs2 = acsWith([], { sessionId: 'sess-2' });
    const cpe2 = device.nextSession(['6 CONNECTION REQUEST']);
    const s2 = run(acs2, cpe2);
    expect(wire(s2)).toEqual(['Inform', 'InformResponse', 'TransferComplete', 'TransferCompleteResponse', '(empty)', 'HTTP 204']);
    const inform = decodeEnvelope(s2[0]!.req.body).rpc;
    if (inform.method !== 'Inform') throw new Error('not an Inform');
    expect(inform.Event).toEqual([
      { EventCode: 'M Reboot', CommandKey: 'reboot-1' },
      { EventCode: '1 BOOT', CommandKey: '' },
      { EventCode: '7 TRANSFER COMPLETE', CommandKey: '' },
      { EventCode: 'M Download', CommandKey: 'dl-1' },
      { EventCode: '6 CONNECTION REQUEST', CommandKey: '' },
    ]);
    expect(inform.Event.map((e) => e.EventCode)).not.toContain('0 BOOTSTRAP');
    const tc = decodeEnvelope(s2[1]!.req.body).rpc;
    expect(tc).toMatchObject({ method: 'TransferComplete', CommandKey: 'dl-1', FaultStruct: { FaultCode: 0 } });
    expect(acs2.transfers).toEqual([{ commandKey: 'dl-1', faultCode: 0, faultString: '' }]);
    expect(notesOf(s2)).toContainEqual(expect.objectContaining({ kind: 'transfer-complete', commandKey: 'dl-1', ok: true }));

    // delivered: the third session carries only its own event
    const s3 = run(acsWith([], { sessionId: 'sess-3' }), device.nextSession(['2 PERIODIC']));
    const inform3 = decodeEnvelope(s3[0]!.req.body).rpc;
    expect(inform3.method === 'Inform' && inform3.Event).toEqual([{ EventCode: '2 PERIODIC', CommandKey: '' }]);
    expect(wire(s3)).toEqual(['Inform', 'InformResponse', '(empty)', 'HTTP 204']);
  });

  it('a session that fails keeps its events and counts retries', () => {
    const d = new CpeDevice({ model: model(), ns: '1-2', now });
    const bad = acsWith([], { clientCertificateCn: 'FFFFFF-NOPE', sessionId: 's' });
    run(bad, d.nextSession(['6 CONNECTION REQUEST']));
    const s = run(acsWith([], { sessionId: 's2' }), d.nextSession());
    const inform = decodeEnvelope(s[0]!.req.body).rpc;
    if (inform.method !== 'Inform') throw new Error('not an Inform');
    expect(inform.Event.map((e) => e.EventCode)).toEqual(['0 BOOTSTRAP', '1 BOOT', '6 CONNECTION REQUEST']);
    expect(inform.RetryCount).toBe(1);
  });
});

describe('parameter faults one by one', () => {
  const cases: [string, AcsRpc, number, number | undefined][] = [
    ['invalid name', { method: 'SetParameterValues', list: [{ name: 'Device.Nope.X', value: '1' }] }, 9003, 9005],
    ['wrong type', { method: 'SetParameterValues', list: [{ name: 'Device.WiFi.SSID.1.Enable', value: '1', type: 'xsd:int' }] }, 9003, 9006],
    ['invalid value', { method: 'SetParameterValues', list: [{ name: 'Device.WiFi.Radio.1.Channel', value: '36', type: 'xsd:unsignedInt' }] }, 9003, 9007],
    ['read-only', { method: 'SetParameterValues', list: [{ name: 'Device.DeviceInfo.SerialNumber', value: 'X' }] }, 9003, 9008],
    ['GPV unknown', { method: 'GetParameterValues', names: ['Device.Bogus.'] }, 9005, undefined],
    ['AddObject not a table', { method: 'AddObject', objectName: 'Device.WiFi.' }, 9005, undefined],
    ['DeleteObject missing instance', { method: 'DeleteObject', objectName: 'Device.WiFi.SSID.42.' }, 9005, undefined],
    ['Download bad protocol', { method: 'Download', url: 'gopher://x/fw.bin' }, 9013, undefined],
  ];
  for (const ns of ['1-0', '1-2'] as CwmpNs[]) {
    for (const [name, rpc, code, detail] of cases) {
      it(`${name} → ${code}${detail === undefined ? '' : `/${detail}`} (cwmp-${ns})`, () => {
        const m = model();
        const before = m.snapshot();
        const acs = acsWith([rpc]);
        run(acs, new CpeSession({ model: m, ns, events: [{ EventCode: '2 PERIODIC', CommandKey: '' }], now }));
        const r = acs.results[0]!;
        expect(r.ok).toBe(false);
        expect(r.fault!.code).toBe(code);
        if (detail === undefined) expect(r.fault!.details).toEqual([]);
        else expect(r.fault!.details).toMatchObject([{ FaultCode: detail }]);
        expect(m.snapshot()).toEqual(before);
      });
    }
  }
});

describe('FactoryReset', () => {
  it('resets the model after the session; the next Inform says 0 BOOTSTRAP', () => {
    const m = model();
    const device = new CpeDevice({ model: m, ns: '1-2', now, initialEvents: [{ EventCode: '2 PERIODIC', CommandKey: '' }] });
    const acs = acsWith([
      { method: 'SetParameterValues', list: [{ name: 'Device.WiFi.SSID.1.SSID', value: 'Changed' }], parameterKey: 'pk' },
      { method: 'Download', commandKey: 'dl-x', url: 'http://files/x.cfg', fileType: '3 Vendor Configuration File' },
      { method: 'FactoryReset' },
      { method: 'GetParameterValues', names: ['Device.WiFi.SSID.1.SSID'] },
    ]);
    const steps = run(acs, device.nextSession());
    expect(wire(steps).slice(-4)).toEqual(['FactoryResetResponse', 'GetParameterValues', 'GetParameterValuesResponse', 'HTTP 204']);
    // the reset happens after the session, so the session still saw the changed value
    expect(acs.results[3]!.response).toMatchObject({ ParameterList: [{ Value: 'Changed' }] });
    expect(value(m, 'Device.WiFi.SSID.1.SSID')).toBe('HandshakeLab');
    expect(value(m, 'Device.ManagementServer.ParameterKey')).toBe('');
    const next = run(acsWith([], { sessionId: 'n' }), device.nextSession());
    const inform = decodeEnvelope(next[0]!.req.body).rpc;
    expect(inform.method === 'Inform' && inform.Event.map((e) => e.EventCode)).toEqual(['0 BOOTSTRAP', '1 BOOT']);
    expect(wire(next)).not.toContain('TransferComplete');
  });
});

describe('VALUE CHANGE', () => {
  it('a CPE-side change of an active-notification parameter adds 4 VALUE CHANGE and the value', () => {
    const m = model();
    const device = new CpeDevice({ model: m, ns: '1-2', now, initialEvents: [] });
    m.localSet('Device.DeviceInfo.ProvisioningCode', 'PC-42', 'web UI');
    const steps = run(acsWith([]), device.nextSession(['6 CONNECTION REQUEST']));
    const inform = decodeEnvelope(steps[0]!.req.body).rpc;
    if (inform.method !== 'Inform') throw new Error('not an Inform');
    expect(inform.Event.map((e) => e.EventCode)).toEqual(['6 CONNECTION REQUEST', '4 VALUE CHANGE']);
    expect(inform.ParameterList).toContainEqual({ Name: 'Device.DeviceInfo.ProvisioningCode', Value: 'PC-42', Type: 'xsd:string' });
    expect(m.valueChangeStatus().valueChange).toBe(false);
  });
});

describe('identity and authentication', () => {
  it('client certificate CN ≠ OUI-SerialNumber → 403 with a clear note', () => {
    const acs = acsWith([{ method: 'GetRPCMethods' }], { clientCertificateCn: '00259E-HL9999' });
    const cpe = new CpeSession({ model: model(), ns: '1-2', events: [{ EventCode: '1 BOOT', CommandKey: '' }], now });
    const steps = run(acs, cpe);
    expect(steps).toHaveLength(1);
    expect(steps[0]!.res.status).toBe(403);
    expect(steps[0]!.res.headers['Set-Cookie']).toBeUndefined();
    expect(steps[0]!.res.notes).toContainEqual(expect.objectContaining({ kind: 'identity-mismatch', expected: CN, got: '00259E-HL9999' }));
    expect(acs.state).toBe('rejected');
    expect(cpe.state).toBe('failed');
    expect(cpe.failure).toBe('HTTP 403');
    expect(handle(acs, post('')).status).toBe(403);
  });

  it('without a client certificate Basic auth is required: 401, then the CPE retries with credentials', () => {
    const acs = new AcsSession({ script: [{ method: 'GetRPCMethods' }], clientCertificateCn: null, basicAuth: { username: CN, password: 'cpe-secret' } });
    const steps = run(acs, new CpeSession({ model: model(), ns: '1-2', events: [{ EventCode: '1 BOOT', CommandKey: '' }], now }));
    expect(steps[0]!.res.status).toBe(401);
    expect(steps[0]!.res.headers['WWW-Authenticate']).toMatch(/^Basic realm="/);
    expect(steps[0]!.res.notes).toContainEqual({ kind: 'auth-required', reason: 'missing' });
    expect(wire(steps)).toEqual(['Inform', 'HTTP 401', 'Inform', 'InformResponse', '(empty)', 'GetRPCMethods', 'GetRPCMethodsResponse', 'HTTP 204']);
    expect(parseBasicAuthorization(steps[1]!.req.headers['Authorization'])).toEqual({ username: CN, password: 'cpe-secret' });
    expect(steps[1]!.res.notes).toContainEqual({ kind: 'no-client-certificate', authenticatedBy: 'basic' });
  });

  it('wrong credentials → 401 again and the CPE gives up', () => {
    const acs = new AcsSession({ script: [], basicAuth: { username: CN, password: 'right' } });
    const cpe = new CpeSession({ model: model(), ns: '1-2', events: [], now, credentials: { username: CN, password: 'wrong' } });
    const steps = run(acs, cpe);
    expect(steps.map((s) => s.res.status)).toEqual([401, 401]);
    expect(steps[1]!.res.notes).toContainEqual({ kind: 'auth-required', reason: 'wrong-credentials', username: CN });
    expect(cpe.state).toBe('failed');
    expect(acs.state).toBe('await-inform');
  });

  it('no client certificate and no Basic auth is a configuration error', () => {
    expect(() => new AcsSession({ script: [] })).toThrow(/basicAuth/);
    expect(() => new AcsSession({ script: [], clientCertificateCn: null })).toThrow(/3\.4\.4/);
  });

  it('a bad script entry is reported at construction', () => {
    expect(() => acsWith([{ method: 'SetParameterValues', list: [{ name: 'X', value: 'abc', type: 'xsd:int' }] }])).toThrow(/script\[0\]/);
  });

  it('Basic auth helpers round-trip UTF-8', () => {
    expect(parseBasicAuthorization(basicAuthorization('ünï', 'p:w'))).toEqual({ username: 'ünï', password: 'p:w' });
    expect(parseBasicAuthorization('Bearer x')).toBeUndefined();
    expect(parseBasicAuthorization('Basic !!!')).toBeUndefined();
  });
});

describe('HTTP and SOAP errors (never an exception)', () => {
  it('GET → 405 with Allow: POST', () => {
    const r = handle(acsWith([]), { method: 'GET', path: '/', headers: {}, body: '' });
    expect(r.status).toBe(405);
    expect(r.headers['Allow']).toBe('POST');
    expect(r.notes).toEqual([{ kind: 'method-not-allowed', method: 'GET' }]);
  });

  it('not XML / not SOAP → HTTP 400', () => {
    for (const body of ['hello', '<a><b></a>', '<?xml version="1.0"?><html/>', '\u0000\u0001']) {
      const r = handle(acsWith([]), post(body));
      expect(r.status, body).toBe(400);
      expect(r.notes[0]).toMatchObject({ kind: 'malformed', answer: 'http-400' });
    }
  });

  it('a SOAP envelope with bad CWMP arguments → Fault 8003; an unknown method → Fault 8000', () => {
    const noDeviceId = informXml('1-0', 'bad-1').replace(/<DeviceId>[\s\S]*<\/DeviceId>/, '');
    const r = handle(acsWith([]), post(noDeviceId));
    expect(r.status).toBe(500);
    expect(faultOf(r)).toMatchObject({ FaultCode: 8003, faultcode: 'Client' });
    expect(decodeEnvelope(r.body)).toMatchObject({ ns: '1-0', id: 'bad-1' });

    const unknown = informXml('1-2', 'u-1').replace(/cwmp:Inform>/g, 'cwmp:Frobnicate>').replace('<cwmp:Inform>', '<cwmp:Frobnicate>');
    const r2 = handle(acsWith([]), post(unknown));
    expect(faultOf(r2).FaultCode).toBe(8000);
    expect(r2.notes[0]).toMatchObject({ kind: 'malformed', code: 'ERR_UNKNOWN_RPC', answer: 'fault-8000' });
  });

  it('an internal failure → Fault 8002, not an exception', () => {
    const acs = acsWith([]);
    const r = handle(acs, { method: 'POST', path: '/', headers: {}, get body(): string { throw new Error('boom'); } });
    expect(r.status).toBe(500);
    expect(faultOf(r).FaultCode).toBe(8002);
    expect(r.notes).toContainEqual({ kind: 'internal-error', message: 'boom' });
  });

  it('unexpected order → Fault 8003', () => {
    const tc = encodeEnvelope({
      method: 'TransferComplete', CommandKey: 'k', FaultStruct: { FaultCode: 0, FaultString: '' },
      StartTime: '2025-01-01T00:00:00Z', CompleteTime: '2025-01-01T00:00:01Z',
    }, { ns: '1-2', id: 't1' });
    // before the Inform
    let acs = acsWith([]);
    expect(faultOf(handle(acs, post(tc))).FaultCode).toBe(8003);
    expect(faultOf(handle(acs, post(''))).FaultCode).toBe(8003);
    // a second Inform
    acs = acsWith([{ method: 'GetRPCMethods' }]);
    const cookie = informed(acs);
    const again = handle(acs, post(informXml(), cookie));
    expect(faultOf(again).FaultCode).toBe(8003);
    expect(again.notes).toContainEqual(expect.objectContaining({ kind: 'unexpected-message', got: 'Inform' }));
    // a response when nothing is outstanding
    const stray = encodeEnvelope({ method: 'RebootResponse' }, { ns: '1-2', id: 'x' });
    expect(faultOf(handle(acs, post(stray, cookie))).FaultCode).toBe(8003);
    // the wrong response
    expect(decodeEnvelope(handle(acs, post('', cookie)).body).rpc.method).toBe('GetRPCMethods');
    expect(faultOf(handle(acs, post(stray, cookie))).FaultCode).toBe(8003);
    expect(faultOf(handle(acs, post('', cookie))).FaultCode).toBe(8003);
    expect(faultOf(handle(acs, post(tc, cookie))).FaultCode).toBe(8003);
    // the right one still works afterwards
    const ok = encodeEnvelope({ method: 'GetRPCMethodsResponse', MethodList: ['GetRPCMethods'] }, { ns: '1-2', id: 'acs-1' });
    expect(handle(acs, post(ok, cookie)).status).toBe(204);
    expect(acs.results).toMatchObject([{ method: 'GetRPCMethods', ok: true }]);
  });

  it('the session cookie is required after the Inform', () => {
    const acs = acsWith([]);
    informed(acs);
    const r = handle(acs, post(''));
    expect(r.status).toBe(400);
    expect(r.notes).toEqual([{ kind: 'cookie-rejected', reason: 'missing', cookieName: 'CWMPSID' }]);
    expect(handle(acs, post('', { cookie: 'CWMPSID=other' })).notes[0]).toMatchObject({ reason: 'mismatch' });
    expect(handle(acs, post('', { cookie: 'a=b; CWMPSID=sess-1' })).status).toBe(204);
    expect(handle(acs, post('', { cookie: 'CWMPSID=sess-1' })).status).toBe(400); // ended
  });

  it('the CPE may call GetRPCMethods on the ACS; other methods → 8000', () => {
    const acs = acsWith([]);
    const cookie = informed(acs);
    const r = handle(acs, post(encodeEnvelope({ method: 'GetRPCMethods' }, { ns: '1-2', id: 'g' }), cookie));
    expect(decodeEnvelope(r.body).rpc).toEqual({ method: 'GetRPCMethodsResponse', MethodList: ['Inform', 'GetRPCMethods', 'TransferComplete'] });
    const r2 = handle(acs, post(encodeEnvelope({ method: 'FactoryReset' }, { ns: '1-2', id: 'f' }), cookie));
    expect(faultOf(r2).FaultCode).toBe(8000);
  });
});

describe('namespaces', () => {
  for (const ns of ['1-0', '1-1', '1-2', '1-3', '1-4'] as CwmpNs[]) {
    it(`a session in cwmp-${ns} is answered in the namespace the CPE used`, () => {
      const acs = acsWith([{ method: 'GetParameterValues', names: ['Device.DeviceInfo.SerialNumber'] }]);
      const steps = run(acs, new CpeSession({ model: model(), ns, events: [{ EventCode: '1 BOOT', CommandKey: '' }], now }));
      const wireNs = ns === '1-3' || ns === '1-4' ? '1-2' : ns;
      for (const s of steps) {
        for (const b of [s.req.body, s.res.body]) if (!isEmptyHttpBody(b)) expect(decodeEnvelope(b).nsUri).toBe(`urn:dslforum-org:cwmp-${wireNs}`);
      }
      expect(acs.results[0]).toMatchObject({ ok: true });
    });
  }

  it('a literal cwmp-1-3/1-4 Inform is answered in cwmp-1-2 (the namespace their schemas define), with a note', () => {
    for (const v of ['1-3', '1-4']) {
      const acs = acsWith([]);
      const r = handle(acs, post(informXml('1-2').replaceAll('urn:dslforum-org:cwmp-1-2', `urn:dslforum-org:cwmp-${v}`)));
      expect(decodeEnvelope(r.body).nsUri).toBe('urn:dslforum-org:cwmp-1-2');
      expect(r.notes).toContainEqual(expect.objectContaining({ kind: 'namespace', received: `urn:dslforum-org:cwmp-${v}` }));
      expect(acs.ns).toBe(v);
    }
  });
});

describe('CPE robustness', () => {
  function afterEmptyPost(): { cpe: CpeSession; acs: AcsSession; cookie: Record<string, string> } {
    const acs = acsWith([]);
    const cpe = new CpeSession({ model: model(), ns: '1-2', events: [{ EventCode: '1 BOOT', CommandKey: '' }], now });
    const res = handle(acs, cpe.start());
    const empty = cpe.receive(res);
    expect(empty?.body).toBe('');
    return { cpe, acs, cookie: {} };
  }
  it('an unsupported ACS request → Fault 9000 with the request ID; bad arguments → 9003', () => {
    const { cpe } = afterEmptyPost();
    const upload = encodeEnvelope({ method: 'Reboot', CommandKey: 'x' }, { ns: '1-2', id: 'up-7' })
      .replace(/cwmp:Reboot>/g, 'cwmp:Upload>').replace('<cwmp:Reboot>', '<cwmp:Upload>');
    const r = fromCpe(cpe.receive({ status: 200, headers: {}, body: upload }))!;
    const d = decodeEnvelope(r.body);
    expect(d.rpc).toMatchObject({ method: 'Fault', FaultCode: 9000 });
    expect(d.id).toBe('up-7');
    const badGpn = encodeEnvelope({ method: 'GetParameterNames', ParameterPath: 'Device.', NextLevel: true }, { ns: '1-2', id: 'g-1' })
      .replace('<NextLevel>true</NextLevel>', '<NextLevel>maybe</NextLevel>');
    const r2 = fromCpe(cpe.receive({ status: 200, headers: {}, body: badGpn }))!;
    expect(decodeEnvelope(r2.body).rpc).toMatchObject({ method: 'Fault', FaultCode: 9003 });
    expect(cpe.receive({ status: 204, headers: {}, body: '' })).toBeNull();
    expect(cpe.state).toBe('done');
  });
  it('garbage, an HTTP error or a Fault instead of InformResponse ends the session as failed', () => {
    for (const res of [
      { status: 200, headers: {}, body: 'garbage' },
      { status: 500, headers: {}, body: '' },
      { status: 200, headers: {}, body: encodeEnvelope({ method: 'Fault', FaultCode: 8005, SetParameterValuesFault: [] }, { ns: '1-2' }) },
      { status: 204, headers: {}, body: '' },
    ]) {
      const cpe = new CpeSession({ model: model(), ns: '1-2', events: [], now });
      cpe.start();
      expect(cpe.receive(res)).toBeNull();
      expect(cpe.state).toBe('failed');
      expect(cpe.receive(res)).toBeNull();
    }
  });
  it('Set-Cookie parsing: several cookies, Expires commas, deletion', () => {
    expect(parseSetCookie('a=1; Path=/; Expires=Wed, 21 Oct 2026 07:28:00 GMT, b=2; Max-Age=0')).toEqual([
      { name: 'a', value: '1', remove: false }, { name: 'b', value: '2', remove: true },
    ]);
  });
});

// ---- schema validation of everything emitted above ---------------------------------------------------

const xmllint = haveXmllint('CWMP engine schema validation');
const dir = mkdtempSync(join(tmpdir(), 'cwmp-engine-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(!xmllint)('schema validation (xmllint)', () => {
  it('every envelope either side emitted validates', () => {
    const methods = new Set(emitted.map((e) => label(e.body)));
    // the tests above really produced every kind of message
    for (const m of ['Inform', 'InformResponse', 'TransferComplete', 'TransferCompleteResponse', 'GetRPCMethods', 'GetRPCMethodsResponse',
      'GetParameterNames', 'GetParameterNamesResponse', 'GetParameterValues', 'GetParameterValuesResponse', 'SetParameterValues',
      'SetParameterValuesResponse', 'AddObject', 'AddObjectResponse', 'DeleteObject', 'DeleteObjectResponse', 'Download', 'DownloadResponse',
      'Reboot', 'RebootResponse', 'FactoryReset', 'FactoryResetResponse', 'Fault 9003', 'Fault 9005', 'Fault 9000', 'Fault 8000', 'Fault 8002', 'Fault 8003']) {
      expect(methods, m).toContain(m);
    }
    expect(new Set(emitted.map((e) => e.from))).toEqual(new Set(['acs', 'cpe']));
    const files = emitted.map((e, i) => {
      const f = join(dir, `${String(i).padStart(3, '0')}-${e.from}-${label(e.body).replace(/\W+/g, '_')}.xml`);
      writeFileSync(f, e.body);
      return f;
    });
    const r = validateEnvelopes(files);
    const out = r.out;
    expect(out).not.toContain('fails to validate');
    expect(r.status, out).toBe(0);
    expect(out.match(/ validates/g)?.length ?? 0).toBe(files.length);
  });

  it('the validator rejects a broken envelope (the check can fail)', () => {
    const good = emitted.find((e) => label(e.body) === 'InformResponse')!.body;
    const f = join(dir, 'broken.xml');
    writeFileSync(f, good.replace('<MaxEnvelopes>1</MaxEnvelopes>', '<MaxEnvelope>1</MaxEnvelope>'));
    expect(validateEnvelopes([f]).status).not.toBe(0);
  });
});

describe('purity', () => {
  it('engine modules import no node: modules and use no timers', async () => {
    const { readdirSync, readFileSync } = await import('node:fs');
    const here = dirname(fileURLToPath(import.meta.url));
    for (const f of readdirSync(here).filter((n) => n.endsWith('.ts') && !n.endsWith('.test.ts'))) {
      const src = readFileSync(join(here, f), 'utf8');
      expect(src, f).not.toMatch(/from ['"]node:|require\(|setTimeout|setInterval|process\./);
    }
  });
});
