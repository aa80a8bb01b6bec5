import { describe, expect, it } from 'vitest';
import {
  FAULT_CODES, SoapError, decodeEnvelope, encodeEnvelope, faultInfo, isEmptyHttpBody, summarize,
  type CwmpMessage, type CwmpNs,
} from './index.ts';
import { SAMPLE_MESSAGES } from './samples.ts';
import { CWMP_METHODS } from './types.ts';

function decodeError(xml: string | Uint8Array): SoapError {
  try {
    decodeEnvelope(xml);
  } catch (e) {
    expect(e).toBeInstanceOf(SoapError);
    return e as SoapError;
  }
  throw new Error('expected decodeEnvelope to fail');
}
function encodeError(msg: unknown): SoapError {
  try {
    encodeEnvelope(msg as CwmpMessage, { ns: '1-2' });
  } catch (e) {
    expect(e).toBeInstanceOf(SoapError);
    return e as SoapError;
  }
  throw new Error('expected encodeEnvelope to fail');
}
const env = (body: string, ns = 'urn:dslforum-org:cwmp-1-0'): string =>
  `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:cwmp="${ns}"><soap:Body>${body}</soap:Body></soap:Envelope>`;

describe('round trip', () => {
  it('the samples cover every method', () => {
    expect(new Set(SAMPLE_MESSAGES.map((m) => m.method))).toEqual(new Set(CWMP_METHODS));
  });

  for (const ns of ['1-0', '1-1', '1-2'] as CwmpNs[]) {
    for (const [i, msg] of SAMPLE_MESSAGES.entries()) {
      it(`${msg.method} #${i} in cwmp-${ns}`, () => {
        const xml = encodeEnvelope(msg, { ns, id: `id-${i}` });
        const d = decodeEnvelope(xml);
        expect(d.rpc).toEqual(msg);
        expect(d.ns).toBe(ns);
        expect(d.id).toBe(`id-${i}`);
        expect(d.holdRequests).toBeUndefined();
        expect(d.raw).toBe(xml);
        expect(d.warnings).toEqual([]);
      });
    }
  }

  it('1-3 and 1-4 are written in the cwmp-1-2 namespace', () => {
    for (const ns of ['1-3', '1-4'] as CwmpNs[]) {
      const xml = encodeEnvelope({ method: 'GetRPCMethods' }, { ns });
      expect(xml).toContain('xmlns:cwmp="urn:dslforum-org:cwmp-1-2"');
      expect(decodeEnvelope(xml).ns).toBe('1-2');
    }
  });

  it('decodes envelopes that use the literal cwmp-1-3 / cwmp-1-4 namespaces', () => {
    for (const v of ['1-3', '1-4'] as const) {
      for (const msg of SAMPLE_MESSAGES) {
        const xml = encodeEnvelope(msg, { ns: '1-2', id: 'x' }).replaceAll('urn:dslforum-org:cwmp-1-2', `urn:dslforum-org:cwmp-${v}`);
        const d = decodeEnvelope(xml);
        expect(d.ns).toBe(v);
        expect(d.nsUri).toBe(`urn:dslforum-org:cwmp-${v}`);
        expect(d.rpc).toEqual(msg);
      }
    }
  });

  it('carries CR as &#13; (a raw CR would be read back as LF)', () => {
    const msg: CwmpMessage = { method: 'Reboot', CommandKey: 'a\r\nb\rc' };
    const xml = encodeEnvelope(msg, { ns: '1-2' });
    expect(xml).toContain('a&#13;\nb&#13;c');
    expect(decodeEnvelope(xml).rpc).toEqual(msg);
  });

  it('HoldRequests and no header at all', () => {
    const a = decodeEnvelope(encodeEnvelope({ method: 'InformResponse', MaxEnvelopes: 1 }, { ns: '1-0', id: '1', holdRequests: true }));
    expect(a.holdRequests).toBe(true);
    const b = decodeEnvelope(encodeEnvelope({ method: 'InformResponse', MaxEnvelopes: 1 }, { ns: '1-0' }));
    expect(b.id).toBeUndefined();
    expect(b.holdRequests).toBeUndefined();
    expect(encodeEnvelope({ method: 'GetRPCMethods' }, { ns: '1-0' })).not.toContain('Header');
  });

  it('writes the SOAP features the schemas want', () => {
    const xml = encodeEnvelope(SAMPLE_MESSAGES[0]!, { ns: '1-0', id: '7' });
    expect(xml).toContain('<cwmp:ID SOAP-ENV:mustUnderstand="1">7</cwmp:ID>');
    expect(xml).toContain('SOAP-ENC:arrayType="cwmp:ParameterValueStruct[10]"');
    expect(xml).toContain('SOAP-ENC:arrayType="cwmp:EventStruct[2]"');
    expect(xml).toContain('xsi:type="xsd:unsignedInt"');
    expect(xml).toContain('xsi:type="SOAP-ENC:base64"');
    expect(xml).toContain('1.2.3 &lt;beta&gt; &amp;');
    const f = encodeEnvelope({ method: 'Fault', FaultCode: 9005, SetParameterValuesFault: [] }, { ns: '1-2' });
    const d = decodeEnvelope(f).rpc;
    expect(d).toEqual({ method: 'Fault', faultcode: 'Client', faultstring: 'CWMP fault', FaultCode: 9005, SetParameterValuesFault: [] });
  });
});

describe('decode errors', () => {
  const cases: [string, string | Uint8Array, string][] = [
    ['empty', '', 'ERR_EMPTY'],
    ['whitespace', ' \r\n', 'ERR_EMPTY'],
    ['not xml', 'HTTP/1.1 200 OK', 'ERR_NOT_XML'],
    ['unclosed', '<a><b></a>', 'ERR_NOT_XML'],
    ['two roots', '<a/><b/>', 'ERR_NOT_XML'],
    ['bad utf-8', new Uint8Array([0x3c, 0x61, 0xff, 0x3e]), 'ERR_NOT_XML'],
    ['undeclared prefix', '<foo:Envelope/>', 'ERR_NOT_XML'],
    ['dtd', '<!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>', 'ERR_NOT_XML'],
    ['not soap', '<html><body/></html>', 'ERR_NOT_SOAP'],
    ['soap 1.2', '<e:Envelope xmlns:e="http://www.w3.org/2003/05/soap-envelope"><e:Body/></e:Envelope>', 'ERR_NOT_SOAP'],
    ['no body', '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Header/></s:Envelope>', 'ERR_NO_BODY'],
    ['empty body', env(''), 'ERR_NO_BODY'],
    ['two rpcs', env('<cwmp:GetRPCMethods/><cwmp:FactoryReset/>'), 'ERR_MULTIPLE_RPCS'],
    ['unknown rpc', env('<cwmp:GetParameterValuez/>'), 'ERR_UNKNOWN_RPC'],
    ['foreign element', env('<x:Hello xmlns:x="urn:x"/>'), 'ERR_UNKNOWN_RPC'],
    ['unsupported rpc', env('<cwmp:ScheduleInform><DelaySeconds>1</DelaySeconds><CommandKey/></cwmp:ScheduleInform>'), 'ERR_UNSUPPORTED_RPC'],
    ['cwmp-2-0', env('<cwmp:GetRPCMethods/>', 'urn:dslforum-org:cwmp-2-0'), 'ERR_UNKNOWN_NS'],
    ['unqualified rpc', env('<GetRPCMethods/>'), 'ERR_UNKNOWN_NS'],
    ['missing argument', env('<cwmp:Reboot/>'), 'ERR_BAD_ARGUMENT'],
    ['bad number', env('<cwmp:InformResponse><MaxEnvelopes>one</MaxEnvelopes></cwmp:InformResponse>'), 'ERR_BAD_ARGUMENT'],
    ['bad status', env('<cwmp:SetParameterValuesResponse><Status>2</Status></cwmp:SetParameterValuesResponse>'), 'ERR_BAD_ARGUMENT'],
    ['bad boolean', env('<cwmp:GetParameterNames><ParameterPath/><NextLevel>yes</NextLevel></cwmp:GetParameterNames>'), 'ERR_BAD_ARGUMENT'],
    ['fault without detail', env('<soap:Fault><faultcode>Server</faultcode><faultstring>oops</faultstring></soap:Fault>'), 'ERR_BAD_ARGUMENT'],
    ['bad HoldRequests', '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" xmlns:c="urn:dslforum-org:cwmp-1-0"><s:Header><c:HoldRequests s:mustUnderstand="1">maybe</c:HoldRequests></s:Header><s:Body><c:GetRPCMethods/></s:Body></s:Envelope>', 'ERR_BAD_HEADER'],
  ];
  for (const [name, input, code] of cases) {
    it(`${name} → ${code}`, () => {
      const e = decodeError(input);
      expect(e.code).toBe(code);
      expect(e.message.length).toBeGreaterThan(5);
    });
  }

  it('names what is wrong', () => {
    expect(decodeError(env('<cwmp:Reboot/>')).message).toBe('Reboot: missing <CommandKey>');
    expect(decodeError(env('<cwmp:GetParameterValuez/>')).message).toContain('GetParameterValuez');
    expect(decodeError(env('<cwmp:InformResponse><MaxEnvelopes>-1</MaxEnvelopes></cwmp:InformResponse>')).path).toBe('InformResponse/MaxEnvelopes');
  });

  it('rejects non-string input with SoapError', () => {
    expect(decodeError(null as unknown as string).code).toBe('ERR_NOT_XML');
    expect(decodeError(42 as unknown as string).code).toBe('ERR_NOT_XML');
  });

  it('accepts UTF-8 bytes (with BOM)', () => {
    const xml = encodeEnvelope(SAMPLE_MESSAGES[0]!, { ns: '1-0' });
    const bytes = new TextEncoder().encode(`\uFEFF${xml}`);
    expect(decodeEnvelope(bytes).rpc).toEqual(SAMPLE_MESSAGES[0]);
  });

  it('empty HTTP body helper', () => {
    expect(isEmptyHttpBody('')).toBe(true);
    expect(isEmptyHttpBody('\r\n')).toBe(true);
    expect(isEmptyHttpBody(new Uint8Array())).toBe(true);
    expect(isEmptyHttpBody(undefined)).toBe(true);
    expect(isEmptyHttpBody('<x/>')).toBe(false);
    expect(isEmptyHttpBody(new Uint8Array([0x3c]))).toBe(false);
  });
});

describe('encode errors', () => {
  const inform = SAMPLE_MESSAGES[0]!;
  const cases: [string, unknown][] = [
    ['bad OUI', { ...inform, DeviceId: { ...(inform as { DeviceId: object }).DeviceId, OUI: '00d09e' } }],
    ['bad dateTime', { ...inform, CurrentTime: 'yesterday' }],
    ['negative MaxEnvelopes', { method: 'InformResponse', MaxEnvelopes: -1 }],
    ['fractional', { method: 'InformResponse', MaxEnvelopes: 1.5 }],
    ['control character', { method: 'Reboot', CommandKey: 'a\u0001b' }],
    ['lone surrogate', { method: 'Reboot', CommandKey: '\ud800' }],
    ['too long CommandKey', { method: 'Reboot', CommandKey: 'x'.repeat(33) }],
    ['value not of its type', { method: 'SetParameterValues', ParameterKey: '', ParameterList: [{ Name: 'A', Value: 'abc', Type: 'xsd:unsignedInt' }] }],
    ['unknown type', { method: 'SetParameterValues', ParameterKey: '', ParameterList: [{ Name: 'A', Value: '1', Type: 'xsd:float' }] }],
    ['object path without dot', { method: 'AddObject', ObjectName: 'Device.NAT.PortMapping', ParameterKey: '' }],
    ['InstanceNumber 0', { method: 'AddObjectResponse', InstanceNumber: 0, Status: 0 }],
    ['Status 2', { method: 'SetParameterValuesResponse', Status: 2 }],
    ['fault code out of range', { method: 'Fault', FaultCode: 7000, SetParameterValuesFault: [] }],
    ['unknown method', { method: 'Hello' }],
  ];
  for (const [name, msg] of cases) {
    it(name, () => {
      const e = encodeError(msg);
      expect(['ERR_BAD_ARGUMENT', 'ERR_UNKNOWN_RPC']).toContain(e.code);
    });
  }
});

describe('fault codes per namespace', () => {
  const tc = (code: number): CwmpMessage => ({
    method: 'TransferComplete', CommandKey: '', FaultStruct: { FaultCode: code, FaultString: '' },
    StartTime: '2024-01-01T00:00:00Z', CompleteTime: '2024-01-01T00:00:00Z',
  });
  it('9014–9019 do not exist in cwmp-1-0', () => {
    expect(() => encodeEnvelope(tc(9018), { ns: '1-0' })).toThrow(/not a TransferComplete fault code in cwmp-1-0/);
    expect(decodeEnvelope(encodeEnvelope(tc(9018), { ns: '1-2' })).rpc).toEqual(tc(9018));
    expect(() => encodeEnvelope({ method: 'Fault', FaultCode: 9019, SetParameterValuesFault: [] }, { ns: '1-0' })).toThrow(SoapError);
    expect(() => encodeEnvelope({ method: 'Fault', FaultCode: 9019, SetParameterValuesFault: [] }, { ns: '1-4' })).not.toThrow();
  });
});

describe('summarize', () => {
  const by = (m: string): CwmpMessage => SAMPLE_MESSAGES.find((x) => x.method === m)!;
  it('gives one short line per message', () => {
    expect(summarize({ ...(by('Inform') as Extract<CwmpMessage, { method: 'Inform' }>), Event: [{ EventCode: '1 BOOT', CommandKey: '' }], ParameterList: (by('SetParameterValues') as Extract<CwmpMessage, { method: 'SetParameterValues' }>).ParameterList }))
      .toBe('Inform 00D09E-HL0001: 1 BOOT, 2 params');
    expect(summarize({ method: 'GetParameterValues', ParameterNames: ['Device.DeviceInfo.'] })).toBe('GetParameterValues Device.DeviceInfo.');
    expect(summarize({ method: 'Fault', FaultCode: 9005, SetParameterValuesFault: [] })).toBe('Fault 9005 Invalid parameter name');
    expect(summarize(by('SetParameterValues'))).toBe('SetParameterValues Device.ManagementServer.PeriodicInformInterval=300 (+1 more)');
    for (const m of SAMPLE_MESSAGES) {
      const s = summarize(m);
      expect(s.startsWith(m.method)).toBe(true);
      expect(s).not.toContain('\n');
      expect(s.length).toBeLessThanOrEqual(120);
    }
  });
});

describe('fault table', () => {
  it('has 8000–8005 and 9000–9019 with names and strings', () => {
    expect(FAULT_CODES.map((f) => f.code)).toEqual([
      ...Array.from({ length: 6 }, (_, i) => 8000 + i), ...Array.from({ length: 20 }, (_, i) => 9000 + i),
    ]);
    expect(faultInfo(9005)).toMatchObject({ name: 'INVALID_PARAMETER_NAME', string: 'Invalid parameter name', type: 'Client', sender: 'CPE' });
    expect(faultInfo(8005)).toMatchObject({ string: 'Retry request', sender: 'ACS' });
    expect(faultInfo(9020)).toBeUndefined();
  });
});
