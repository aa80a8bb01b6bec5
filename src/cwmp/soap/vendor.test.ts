import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeEnvelope, encodeEnvelope, summarize } from './index.ts';

const fixture = (name: string): string => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

describe('vendor-style envelopes', () => {
  it('decodes an Inform with other prefixes, comments, CDATA and extra whitespace', () => {
    const d = decodeEnvelope(fixture('vendor-inform.xml'));
    expect(d.ns).toBe('1-0');
    expect(d.id).toBe('1804289383');
    expect(d.warnings).toEqual([]);
    expect(d.rpc).toEqual({
      method: 'Inform',
      DeviceId: { Manufacturer: 'ACME Networks', OUI: '00D09E', ProductClass: 'IGD', SerialNumber: 'HL0001' },
      Event: [{ EventCode: '0 BOOTSTRAP', CommandKey: '' }, { EventCode: '1 BOOT', CommandKey: '' }],
      MaxEnvelopes: 1,
      CurrentTime: '2024-05-01T12:00:00+02:00',
      RetryCount: 0,
      ParameterList: [
        { Name: 'InternetGatewayDevice.DeviceInfo.SoftwareVersion', Value: 'V1.0 & build 7', Type: 'xsd:string' },
        { Name: 'InternetGatewayDevice.ManagementServer.ConnectionRequestURL', Value: 'http://192.0.2.10:7547/cr?a=1&b=2', Type: 'xsd:string' },
        { Name: 'InternetGatewayDevice.DeviceInfo.UpTime', Value: '3600', Type: 'xsd:unsignedInt' },
        { Name: 'InternetGatewayDevice.ManagementServer.ParameterKey', Value: '', Type: 'xsd:string' },
      ],
    });
    expect(summarize(d.rpc)).toBe('Inform 00D09E-HL0001: 0 BOOTSTRAP, 1 BOOT, 4 params');
    // and what we decoded re-encodes (normalised) without complaint
    expect(decodeEnvelope(encodeEnvelope(d.rpc, { ns: d.ns, id: d.id })).rpc).toEqual(d.rpc);
  });

  it('decodes a Fault whose cwmp elements use a default namespace (qualified children)', () => {
    const d = decodeEnvelope(fixture('vendor-fault.xml'));
    expect(d.ns).toBe('1-2');
    expect(d.id).toBe('42');
    expect(d.rpc).toEqual({
      method: 'Fault',
      faultcode: 'Client',
      faultstring: 'CWMP fault',
      FaultCode: 9003,
      FaultString: 'Invalid arguments',
      SetParameterValuesFault: [
        { ParameterName: 'Device.ManagementServer.PeriodicInformInterval', FaultCode: 9007, FaultString: 'Invalid parameter value' },
      ],
    });
    expect(summarize(d.rpc)).toBe('Fault 9003 Invalid arguments (1 parameter)');
  });

  it('tolerates undeclared xsi/xsd prefixes and a wrong arrayType count, with warnings', () => {
    const xml = [
      '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" xmlns:c="urn:dslforum-org:cwmp-1-1">',
      '<s:Body><c:GetParameterValuesResponse><ParameterList SOAP-ENC:arrayType="c:ParameterValueStruct[5]">',
      '<ParameterValueStruct><Name>Device.A</Name><Value xsi:type="xsd:int">-7</Value></ParameterValueStruct>',
      '<ParameterValueStruct><Name>Device.B</Name><Value xsi:type="xsd:unsignedInt"></Value></ParameterValueStruct>',
      '<ParameterValueStruct><Name>Device.C</Name><Value>no type</Value></ParameterValueStruct>',
      '</ParameterList></c:GetParameterValuesResponse></s:Body></s:Envelope>',
    ].join('\n');
    const d = decodeEnvelope(xml);
    expect(d.ns).toBe('1-1');
    expect(d.id).toBeUndefined();
    expect(d.rpc).toEqual({
      method: 'GetParameterValuesResponse',
      ParameterList: [
        { Name: 'Device.A', Value: '-7', Type: 'xsd:int' },
        { Name: 'Device.B', Value: '', Type: 'xsd:unsignedInt' },
        { Name: 'Device.C', Value: 'no type', Type: 'xsd:string' },
      ],
    });
    expect(d.warnings.join('\n')).toMatch(/arrayType says 5 items, found 3/);
    expect(d.warnings.join('\n')).toMatch(/'' of Device.B is not a valid xsd:unsignedInt/);
    expect(d.warnings.join('\n')).toMatch(/prefix 'xsi'/);
  });
});
