/**
 * Test-only: fast-check arbitraries for schema-valid CWMP messages. Not exported from index.ts.
 * Values respect the strictest schema (cwmp-1-0): its fixed event-code and fault-code lists.
 */
import fc from 'fast-check';
import type { CwmpMessage, ParameterValueStruct, ValueType } from './types.ts';
import { isXmlText } from './values.ts';

/** Any XML-safe text (invalid code points replaced), up to `max` UTF-16 units. */
export const xmlText = (max = 40): fc.Arbitrary<string> =>
  fc.string({ unit: 'binary', maxLength: max }).map((s) =>
    Array.from(s, (ch) => (isXmlText(ch) ? ch : '?')).join('').slice(0, max)).filter(isXmlText);

const dateTime = fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2200-01-01T00:00:00Z'), noInvalidDate: true })
  .chain((d) => fc.constantFrom(d.toISOString(), d.toISOString().replace(/\.\d+Z$/, 'Z'), d.toISOString().replace(/\.\d+Z$/, '+05:30')));

const valueOf: Record<ValueType, fc.Arbitrary<string>> = {
  'xsd:string': xmlText(60),
  'xsd:int': fc.integer({ min: -2147483648, max: 2147483647 }).map(String),
  'xsd:unsignedInt': fc.integer({ min: 0, max: 4294967295 }).map(String),
  'xsd:long': fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map(String),
  'xsd:unsignedLong': fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }).map(String),
  'xsd:boolean': fc.constantFrom('true', 'false', '0', '1'),
  'xsd:dateTime': dateTime,
  'xsd:base64': fc.uint8Array({ maxLength: 30 }).map((b) => btoa(String.fromCharCode(...b))),
  'xsd:hexBinary': fc.uint8Array({ maxLength: 20 }).map((b) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('')),
};

export const parameterValue: fc.Arbitrary<ParameterValueStruct> = fc
  .constantFrom(...(Object.keys(valueOf) as ValueType[]))
  .chain((Type) => fc.record({ Name: xmlText(80), Value: valueOf[Type], Type: fc.constant(Type) }));

const key = xmlText(32);
const uint = fc.integer({ min: 0, max: 4294967295 });
const status = fc.constantFrom(0 as const, 1 as const);
const objectName = xmlText(60).map((s) => `${s}.`);
const eventCode = fc.constantFrom('0 BOOTSTRAP', '1 BOOT', '2 PERIODIC', '4 VALUE CHANGE', '6 CONNECTION REQUEST',
  '7 TRANSFER COMPLETE', 'M Reboot', 'M Download', 'M X_LAB_Thing', 'X 00D09E Custom event');
const fileType = fc.constantFrom('1 Firmware Upgrade Image', '2 Web Content', '3 Vendor Configuration File', 'X 00D09E Profile');
const faultCode = fc.constantFrom(8000, 8003, 8005, 8850, 9000, 9002, 9003, 9005, 9007, 9008, 9013, 9805);
const cpeFaultCode = fc.constantFrom(9001, 9003, 9005, 9006, 9007, 9008, 9850);
const transferFault = fc.oneof(
  fc.constant({ FaultCode: 0, FaultString: '' }),
  fc.record({ FaultCode: fc.constantFrom(9001, 9002, 9010, 9011, 9012), FaultString: xmlText(100) }),
);

export const message: fc.Arbitrary<CwmpMessage> = fc.oneof(
  fc.record({
    method: fc.constant('Inform' as const),
    DeviceId: fc.record({
      Manufacturer: xmlText(64),
      OUI: fc.stringMatching(/^[0-9A-F]{6}$/),
      ProductClass: xmlText(64),
      SerialNumber: xmlText(64),
    }),
    Event: fc.array(fc.record({ EventCode: eventCode, CommandKey: key }), { maxLength: 5 }),
    MaxEnvelopes: uint,
    CurrentTime: dateTime,
    RetryCount: uint,
    ParameterList: fc.array(parameterValue, { maxLength: 6 }),
  }),
  fc.record({ method: fc.constant('InformResponse' as const), MaxEnvelopes: uint }),
  fc.record({
    method: fc.constant('TransferComplete' as const), CommandKey: key, FaultStruct: transferFault,
    StartTime: dateTime, CompleteTime: dateTime,
  }),
  fc.constantFrom<CwmpMessage>(
    { method: 'TransferCompleteResponse' }, { method: 'GetRPCMethods' }, { method: 'RebootResponse' },
    { method: 'FactoryReset' }, { method: 'FactoryResetResponse' },
  ),
  fc.record({ method: fc.constant('GetRPCMethodsResponse' as const), MethodList: fc.array(xmlText(64), { minLength: 1, maxLength: 5 }) }),
  fc.record({ method: fc.constant('GetParameterNames' as const), ParameterPath: xmlText(100), NextLevel: fc.boolean() }),
  fc.record({
    method: fc.constant('GetParameterNamesResponse' as const),
    ParameterList: fc.array(fc.record({ Name: xmlText(80), Writable: fc.boolean() }), { maxLength: 5 }),
  }),
  fc.record({ method: fc.constant('GetParameterValues' as const), ParameterNames: fc.array(xmlText(80), { minLength: 1, maxLength: 5 }) }),
  fc.record({ method: fc.constant('GetParameterValuesResponse' as const), ParameterList: fc.array(parameterValue, { maxLength: 6 }) }),
  fc.record({ method: fc.constant('SetParameterValues' as const), ParameterList: fc.array(parameterValue, { maxLength: 6 }), ParameterKey: key }),
  fc.record({ method: fc.constant('SetParameterValuesResponse' as const), Status: status }),
  fc.record({ method: fc.constant('AddObject' as const), ObjectName: objectName, ParameterKey: key }),
  fc.record({ method: fc.constant('AddObjectResponse' as const), InstanceNumber: fc.integer({ min: 1, max: 4294967295 }), Status: status }),
  fc.record({ method: fc.constant('DeleteObject' as const), ObjectName: objectName, ParameterKey: key }),
  fc.record({ method: fc.constant('DeleteObjectResponse' as const), Status: status }),
  fc.record({ method: fc.constant('Reboot' as const), CommandKey: key }),
  fc.record({
    method: fc.constant('Download' as const), CommandKey: key, FileType: fileType, URL: xmlText(120), Username: xmlText(30),
    Password: xmlText(30), FileSize: uint, TargetFileName: xmlText(60), DelaySeconds: uint, SuccessURL: xmlText(60), FailureURL: xmlText(60),
  }),
  fc.record({ method: fc.constant('DownloadResponse' as const), Status: status, StartTime: dateTime, CompleteTime: dateTime }),
  fc.record(
    {
      method: fc.constant('Fault' as const),
      faultcode: fc.constantFrom('Client', 'Server'),
      faultstring: xmlText(30),
      FaultCode: faultCode,
      FaultString: xmlText(60),
      SetParameterValuesFault: fc.array(
        fc.record({ ParameterName: xmlText(80), FaultCode: cpeFaultCode, FaultString: xmlText(40) }, { requiredKeys: ['ParameterName', 'FaultCode'] }),
        { maxLength: 3 },
      ),
    },
    { requiredKeys: ['method', 'faultcode', 'faultstring', 'FaultCode', 'SetParameterValuesFault'] },
  ),
);
