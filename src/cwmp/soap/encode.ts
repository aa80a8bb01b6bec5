/** Encode a typed CWMP message as a SOAP 1.1 envelope, with fast-xml-parser's XMLBuilder. */
import { XMLBuilder } from 'fast-xml-parser';
import { SoapError } from './errors.ts';
import { faultInfo, isFaultCodeInNs, isTransferFaultCodeInNs } from './faults.ts';
import { PREFIX, SOAP_ENC_NS, SOAP_ENV_NS, XSD_NS, XSI_NS, cwmpNsUri, type CwmpNs } from './namespaces.ts';
import type { CwmpMessage, ParameterInfoStruct, ParameterValueStruct, ValueType } from './types.ts';
import { VALUE_TYPES } from './types.ts';
import { isDateTime, isValidValue, isXmlText } from './values.ts';

export interface EncodeOptions {
  /** CWMP namespace version; '1-3' and '1-4' are written as urn:dslforum-org:cwmp-1-2 (see namespaces.ts). */
  ns: CwmpNs;
  /** cwmp:ID header value; no header entry when undefined. */
  id?: string;
  /** cwmp:HoldRequests header (ACS → CPE only); omitted when undefined. */
  holdRequests?: boolean;
  /** Pretty-print with two-space indentation (default true). */
  pretty?: boolean;
}

/** A node of fast-xml-parser's preserveOrder tree. */
type Node = Record<string, unknown>;

const E = PREFIX.env;
const C = PREFIX.cwmp;

function el(name: string, children: Node[] = [], attrs?: Record<string, string>): Node {
  const n: Node = { [name]: children };
  if (attrs !== undefined) n[':@'] = attrs;
  return n;
}
function leaf(name: string, value: string, attrs?: Record<string, string>): Node {
  return el(name, value === '' ? [] : [{ '#text': value }], attrs);
}

// ---- argument checks ------------------------------------------------------------------------------

function bad(path: string, what: string): never {
  throw new SoapError('ERR_BAD_ARGUMENT', what, path);
}
function str(path: string, v: unknown, maxLength?: number): string {
  if (typeof v !== 'string') bad(path, `expected a string, got ${typeof v}`);
  if (!isXmlText(v)) bad(path, 'contains characters XML 1.0 cannot carry (control characters or lone surrogates)');
  if (maxLength !== undefined && v.length > maxLength) bad(path, `longer than ${maxLength} characters`);
  return v;
}
function uint(path: string, v: unknown, min = 0): string {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > 4294967295) {
    bad(path, `expected an unsignedInt (${min}…4294967295), got ${String(v)}`);
  }
  return String(v);
}
function status(path: string, v: unknown): string {
  if (v !== 0 && v !== 1) bad(path, `expected Status 0 or 1, got ${String(v)}`);
  return String(v);
}
function bool(path: string, v: unknown): string {
  if (typeof v !== 'boolean') bad(path, `expected a boolean, got ${typeof v}`);
  return v ? 'true' : 'false';
}
function dateTime(path: string, v: unknown): string {
  const s = str(path, v);
  if (!isDateTime(s)) bad(path, `expected an xsd:dateTime such as 2024-05-01T12:00:00Z, got '${s}'`);
  return s;
}
function list<T>(path: string, v: unknown): readonly T[] {
  if (!Array.isArray(v)) bad(path, 'expected an array');
  return v as readonly T[];
}

// ---- arrays ---------------------------------------------------------------------------------------

function array(name: string, itemType: string, items: Node[]): Node {
  return el(name, items, { [`${PREFIX.enc}:arrayType`]: `${itemType}[${items.length}]` });
}

function xsiType(type: ValueType): string {
  // XML Schema has no base64 type; SOAP 1.1 encoding defines one.
  return type === 'xsd:base64' ? `${PREFIX.enc}:base64` : `${PREFIX.xsd}:${type.slice(4)}`;
}

function parameterValueList(path: string, name: string, v: unknown): Node {
  const items = list<ParameterValueStruct>(path, v).map((p, i) => {
    const at = `${path}[${i}]`;
    if (typeof p !== 'object' || p === null) bad(at, 'expected a ParameterValueStruct');
    const type = p.Type;
    if (!VALUE_TYPES.includes(type)) bad(`${at}/Type`, `unknown value type '${String(type)}'`);
    const value = str(`${at}/Value`, p.Value);
    if (!isValidValue(type, value)) bad(`${at}/Value`, `'${value}' is not a valid ${type}`);
    return el('ParameterValueStruct', [
      leaf('Name', str(`${at}/Name`, p.Name, 256)),
      leaf('Value', value, { [`${PREFIX.xsi}:type`]: xsiType(type) }),
    ]);
  });
  return array(name, `${C}:ParameterValueStruct`, items);
}

function stringArray(path: string, name: string, v: unknown, maxLength: number): Node {
  const items = list<string>(path, v).map((s, i) => leaf('string', str(`${path}[${i}]`, s, maxLength)));
  return array(name, `${PREFIX.xsd}:string`, items);
}

// ---- body -----------------------------------------------------------------------------------------

function body(m: CwmpMessage, ns: CwmpNs): Node {
  const p = m.method;
  const rpc = (children: Node[] = []): Node => el(`${C}:${p}`, children);
  switch (m.method) {
    case 'Inform': {
      const d = m.DeviceId;
      if (typeof d !== 'object' || d === null) bad('Inform/DeviceId', 'expected a DeviceIdStruct');
      const oui = str('Inform/DeviceId/OUI', d.OUI);
      if (!/^[0-9A-F]{6}$/.test(oui)) bad('Inform/DeviceId/OUI', `expected six upper-case hex digits, got '${oui}'`);
      const events = list<{ EventCode: string; CommandKey: string }>('Inform/Event', m.Event).map((e, i) =>
        el('EventStruct', [
          leaf('EventCode', str(`Inform/Event[${i}]/EventCode`, e?.EventCode, 64)),
          leaf('CommandKey', str(`Inform/Event[${i}]/CommandKey`, e?.CommandKey, 32)),
        ]));
      return rpc([
        el('DeviceId', [
          leaf('Manufacturer', str('Inform/DeviceId/Manufacturer', d.Manufacturer, 64)),
          leaf('OUI', oui),
          leaf('ProductClass', str('Inform/DeviceId/ProductClass', d.ProductClass, 64)),
          leaf('SerialNumber', str('Inform/DeviceId/SerialNumber', d.SerialNumber, 64)),
        ]),
        array('Event', `${C}:EventStruct`, events),
        leaf('MaxEnvelopes', uint('Inform/MaxEnvelopes', m.MaxEnvelopes)),
        leaf('CurrentTime', dateTime('Inform/CurrentTime', m.CurrentTime)),
        leaf('RetryCount', uint('Inform/RetryCount', m.RetryCount)),
        parameterValueList('Inform/ParameterList', 'ParameterList', m.ParameterList),
      ]);
    }
    case 'InformResponse':
      return rpc([leaf('MaxEnvelopes', uint('InformResponse/MaxEnvelopes', m.MaxEnvelopes))]);
    case 'TransferComplete': {
      const f = m.FaultStruct;
      if (typeof f !== 'object' || f === null) bad('TransferComplete/FaultStruct', 'expected a FaultStruct');
      const code = f.FaultCode;
      if (typeof code !== 'number' || !isTransferFaultCodeInNs(ns, code)) {
        bad('TransferComplete/FaultStruct/FaultCode', `${String(code)} is not a TransferComplete fault code in cwmp-${ns} (0 = success)`);
      }
      return rpc([
        leaf('CommandKey', str('TransferComplete/CommandKey', m.CommandKey, 32)),
        el('FaultStruct', [
          leaf('FaultCode', String(code)),
          leaf('FaultString', str('TransferComplete/FaultStruct/FaultString', f.FaultString, 256)),
        ]),
        leaf('StartTime', dateTime('TransferComplete/StartTime', m.StartTime)),
        leaf('CompleteTime', dateTime('TransferComplete/CompleteTime', m.CompleteTime)),
      ]);
    }
    case 'GetRPCMethodsResponse':
      return rpc([stringArray('GetRPCMethodsResponse/MethodList', 'MethodList', m.MethodList, 64)]);
    case 'GetParameterNames':
      return rpc([
        leaf('ParameterPath', str('GetParameterNames/ParameterPath', m.ParameterPath, 256)),
        leaf('NextLevel', bool('GetParameterNames/NextLevel', m.NextLevel)),
      ]);
    case 'GetParameterNamesResponse': {
      const items = list<ParameterInfoStruct>('GetParameterNamesResponse/ParameterList', m.ParameterList).map((p, i) =>
        el('ParameterInfoStruct', [
          leaf('Name', str(`GetParameterNamesResponse/ParameterList[${i}]/Name`, p?.Name, 256)),
          leaf('Writable', bool(`GetParameterNamesResponse/ParameterList[${i}]/Writable`, p?.Writable)),
        ]));
      return rpc([array('ParameterList', `${C}:ParameterInfoStruct`, items)]);
    }
    case 'GetParameterValues':
      return rpc([stringArray('GetParameterValues/ParameterNames', 'ParameterNames', m.ParameterNames, 256)]);
    case 'GetParameterValuesResponse':
      return rpc([parameterValueList('GetParameterValuesResponse/ParameterList', 'ParameterList', m.ParameterList)]);
    case 'SetParameterValues':
      return rpc([
        parameterValueList('SetParameterValues/ParameterList', 'ParameterList', m.ParameterList),
        leaf('ParameterKey', str('SetParameterValues/ParameterKey', m.ParameterKey, 32)),
      ]);
    case 'SetParameterValuesResponse':
    case 'DeleteObjectResponse':
      return rpc([leaf('Status', status(`${p}/Status`, m.Status))]);
    case 'AddObject':
    case 'DeleteObject': {
      const name = str(`${p}/ObjectName`, m.ObjectName, 256);
      if (!name.endsWith('.')) bad(`${p}/ObjectName`, `an object path must end in '.', got '${name}'`);
      return rpc([leaf('ObjectName', name), leaf('ParameterKey', str(`${p}/ParameterKey`, m.ParameterKey, 32))]);
    }
    case 'AddObjectResponse':
      return rpc([
        leaf('InstanceNumber', uint('AddObjectResponse/InstanceNumber', m.InstanceNumber, 1)),
        leaf('Status', status('AddObjectResponse/Status', m.Status)),
      ]);
    case 'Reboot':
      return rpc([leaf('CommandKey', str('Reboot/CommandKey', m.CommandKey, 32))]);
    case 'Download':
      return rpc([
        leaf('CommandKey', str('Download/CommandKey', m.CommandKey, 32)),
        leaf('FileType', str('Download/FileType', m.FileType, 64)),
        leaf('URL', str('Download/URL', m.URL, 256)),
        leaf('Username', str('Download/Username', m.Username, 256)),
        leaf('Password', str('Download/Password', m.Password, 256)),
        leaf('FileSize', uint('Download/FileSize', m.FileSize)),
        leaf('TargetFileName', str('Download/TargetFileName', m.TargetFileName, 256)),
        leaf('DelaySeconds', uint('Download/DelaySeconds', m.DelaySeconds)),
        leaf('SuccessURL', str('Download/SuccessURL', m.SuccessURL, 256)),
        leaf('FailureURL', str('Download/FailureURL', m.FailureURL, 256)),
      ]);
    case 'DownloadResponse':
      return rpc([
        leaf('Status', status('DownloadResponse/Status', m.Status)),
        leaf('StartTime', dateTime('DownloadResponse/StartTime', m.StartTime)),
        leaf('CompleteTime', dateTime('DownloadResponse/CompleteTime', m.CompleteTime)),
      ]);
    case 'GetRPCMethods':
    case 'TransferCompleteResponse':
    case 'RebootResponse':
    case 'FactoryReset':
    case 'FactoryResetResponse':
      return rpc();
    case 'Fault': {
      if (typeof m.FaultCode !== 'number' || !isFaultCodeInNs(ns, m.FaultCode)) {
        bad('Fault/FaultCode', `${String(m.FaultCode)} is not a CWMP fault code in cwmp-${ns}`);
      }
      const detail: Node[] = [leaf('FaultCode', String(m.FaultCode))];
      if (m.FaultString !== undefined) detail.push(leaf('FaultString', str('Fault/FaultString', m.FaultString)));
      list<{ ParameterName: string; FaultCode: number; FaultString?: string }>('Fault/SetParameterValuesFault', m.SetParameterValuesFault ?? [])
        .forEach((f, i) => {
          const at = `Fault/SetParameterValuesFault[${i}]`;
          const code = f?.FaultCode;
          if (typeof code !== 'number' || code < 9000 || !isFaultCodeInNs(ns, code)) {
            bad(`${at}/FaultCode`, `${String(code)} is not a CPE fault code in cwmp-${ns}`);
          }
          const kids = [leaf('ParameterName', str(`${at}/ParameterName`, f.ParameterName)), leaf('FaultCode', String(code))];
          if (f.FaultString !== undefined) kids.push(leaf('FaultString', str(`${at}/FaultString`, f.FaultString)));
          detail.push(el('SetParameterValuesFault', kids));
        });
      return el(`${E}:Fault`, [
        leaf('faultcode', str('Fault/faultcode', m.faultcode ?? faultInfo(m.FaultCode)?.type ?? 'Server')),
        leaf('faultstring', str('Fault/faultstring', m.faultstring ?? 'CWMP fault')),
        el('detail', [el(`${C}:Fault`, detail)]),
      ]);
    }
    default: {
      const unknown: { method?: unknown } = m;
      throw new SoapError('ERR_UNKNOWN_RPC', `cannot encode unknown method '${String(unknown.method)}'`);
    }
  }
}

const ESCAPES = [
  { regex: /&/g, val: '&amp;' }, // must be first
  { regex: />/g, val: '&gt;' },
  { regex: /</g, val: '&lt;' },
  { regex: /'/g, val: '&apos;' },
  { regex: /"/g, val: '&quot;' },
  { regex: /\r/g, val: '&#13;' },
];

const builders = new Map<boolean, XMLBuilder>();
function builder(pretty: boolean): XMLBuilder {
  let b = builders.get(pretty);
  if (b === undefined) {
    b = new XMLBuilder({
      preserveOrder: true,
      ignoreAttributes: false,
      attributeNamePrefix: '',
      format: pretty,
      indentBy: '  ',
      suppressEmptyNode: true,
      processEntities: true,
      // The builder's escaping table (its defaults) plus CR as a character reference: a raw CR would be
      // read back as LF by every XML parser (XML 1.0 §2.11), so only &#13; carries it.
      entities: ESCAPES,
    } as ConstructorParameters<typeof XMLBuilder>[0]);
    builders.set(pretty, b);
  }
  return b;
}

/**
 * Encode `msg` as a SOAP 1.1 CWMP envelope. Throws SoapError('ERR_BAD_ARGUMENT') when a field cannot be
 * written as the schema wants it (wrong type, out of range, not XML-safe, bad dateTime, bad OUI …).
 */
export function encodeEnvelope(msg: CwmpMessage, opts: EncodeOptions): string {
  if (typeof msg !== 'object' || msg === null) throw new SoapError('ERR_BAD_ARGUMENT', 'message must be an object');
  const ns = opts.ns;
  if (!['1-0', '1-1', '1-2', '1-3', '1-4'].includes(ns)) throw new SoapError('ERR_BAD_ARGUMENT', `unknown CWMP namespace version '${String(ns)}'`);
  const header: Node[] = [];
  if (opts.id !== undefined) header.push(leaf(`${C}:ID`, str('Header/ID', opts.id), { [`${E}:mustUnderstand`]: '1' }));
  if (opts.holdRequests !== undefined) {
    header.push(leaf(`${C}:HoldRequests`, bool('Header/HoldRequests', opts.holdRequests), { [`${E}:mustUnderstand`]: '1' }));
  }
  const envelope: Node[] = [];
  if (header.length > 0) envelope.push(el(`${E}:Header`, header));
  envelope.push(el(`${E}:Body`, [body(msg, ns)]));
  const doc: Node[] = [
    { '?xml': [{ '#text': '' }], ':@': { version: '1.0', encoding: 'UTF-8' } },
    el(`${E}:Envelope`, envelope, {
      [`xmlns:${E}`]: SOAP_ENV_NS,
      [`xmlns:${PREFIX.enc}`]: SOAP_ENC_NS,
      [`xmlns:${PREFIX.xsd}`]: XSD_NS,
      [`xmlns:${PREFIX.xsi}`]: XSI_NS,
      [`xmlns:${C}`]: cwmpNsUri(ns),
    }),
  ];
  const out = builder(opts.pretty ?? true).build(doc) as string;
  return out.startsWith('\n') ? out.slice(1) : out;
}
