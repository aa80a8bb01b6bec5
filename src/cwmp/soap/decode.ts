/** Decode a SOAP 1.1 CWMP envelope into a typed message. Malformed input only ever raises SoapError. */
import { SoapError } from './errors.ts';
import { SOAP12_ENV_NS, SOAP_ENC_NS, SOAP_ENV_NS, XSD_NS, XSI_NS, cwmpNsFromUri, type CwmpNs } from './namespaces.ts';
import type {
  CwmpMessage, EventStruct, Fault, ParameterInfoStruct, ParameterValueStruct, SetParameterValuesFault, Status, ValueType,
} from './types.ts';
import { CWMP_METHODS, UNSUPPORTED_CWMP_METHODS } from './types.ts';
import { isBoolean, isDateTime, isInt, isUnsignedInt, isValidValue } from './values.ts';
import { parseXml, type XElement } from './xml-tree.ts';

export interface DecodedEnvelope {
  /** CWMP namespace version of the RPC element (cwmp-1-3/1-4 only when the envelope says so literally). */
  ns: CwmpNs;
  /** The namespace URI as written. */
  nsUri: string;
  /** cwmp:ID header value, if present. */
  id: string | undefined;
  /** cwmp:HoldRequests header, if present. */
  holdRequests: boolean | undefined;
  rpc: CwmpMessage;
  /** The envelope text that was decoded. */
  raw: string;
  /** Tolerated oddities (undeclared well-known prefixes, arrayType count mismatch, value not matching its xsi:type …). */
  warnings: string[];
}

/** True when an HTTP body is empty (or whitespace only): the CPE's empty POST, or the ACS's 204 — not an envelope. */
export function isEmptyHttpBody(body: string | Uint8Array | null | undefined): boolean {
  if (body === null || body === undefined) return true;
  if (typeof body === 'string') return body.trim() === '';
  return body.every((b) => b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d);
}

// ---- element helpers --------------------------------------------------------------------------------

function badArg(path: string, what: string): never {
  throw new SoapError('ERR_BAD_ARGUMENT', what, path);
}

/** Children are unqualified in the CWMP schemas; some CPEs qualify them anyway, so match on local name. */
function child(e: XElement, name: string, path: string): XElement {
  const c = e.elements.find((x) => x.local === name);
  if (c === undefined) badArg(path, `missing <${name}>`);
  return c;
}
function optChild(e: XElement, name: string): XElement | undefined {
  return e.elements.find((x) => x.local === name);
}
function str(e: XElement, name: string, path: string): string {
  const c = child(e, name, path);
  if (c.elements.length > 0) badArg(`${path}/${name}`, `expected text, found element <${c.elements[0]!.qname}>`);
  return c.text;
}
function optStr(e: XElement, name: string, path: string): string | undefined {
  return optChild(e, name) === undefined ? undefined : str(e, name, path);
}
/** Non-string XSD types collapse whitespace. */
function token(e: XElement, name: string, path: string): string {
  return str(e, name, path).trim();
}
function uint(e: XElement, name: string, path: string): number {
  const s = token(e, name, path);
  if (!isUnsignedInt(s)) badArg(`${path}/${name}`, `expected an unsignedInt, got '${s}'`);
  return Number(s);
}
function int(e: XElement, name: string, path: string): number {
  const s = token(e, name, path);
  if (!isInt(s)) badArg(`${path}/${name}`, `expected an int, got '${s}'`);
  return Number(s);
}
function bool(e: XElement, name: string, path: string): boolean {
  const s = token(e, name, path);
  if (!isBoolean(s)) badArg(`${path}/${name}`, `expected a boolean (true/false/1/0), got '${s}'`);
  return s === 'true' || s === '1';
}
function status(e: XElement, name: string, path: string): Status {
  const n = int(e, name, path);
  if (n !== 0 && n !== 1) badArg(`${path}/${name}`, `expected Status 0 or 1, got ${n}`);
  return n;
}
function dateTime(e: XElement, name: string, path: string): string {
  const s = token(e, name, path);
  if (!isDateTime(s)) badArg(`${path}/${name}`, `expected an xsd:dateTime, got '${s}'`);
  return s;
}

/** Items of a SOAP-encoded array; checks the arrayType count when there is one. */
function arrayItems(e: XElement, name: string, path: string, warnings: string[]): XElement[] {
  const arr = child(e, name, path);
  const at = arr.attrs.find((a) => a.local === 'arrayType' && a.ns === SOAP_ENC_NS);
  if (at !== undefined) {
    const m = /\[(\d+)\]\s*$/.exec(at.value);
    if (m !== null && Number(m[1]) !== arr.elements.length) {
      warnings.push(`${path}/${name}: arrayType says ${m[1]} items, found ${arr.elements.length}`);
    }
  }
  return arr.elements;
}

function resolveQName(e: XElement, qname: string): [string | undefined, string] {
  const i = qname.indexOf(':');
  if (i < 0) return [e.scope.get('') || undefined, qname];
  const prefix = qname.slice(0, i);
  const known: Record<string, string> = { xsd: XSD_NS, xs: XSD_NS, 'SOAP-ENC': SOAP_ENC_NS, soapenc: SOAP_ENC_NS };
  return [e.scope.get(prefix) ?? known[prefix], qname.slice(i + 1)];
}

const XSD_LOCAL: Readonly<Record<string, ValueType>> = {
  string: 'xsd:string', int: 'xsd:int', unsignedInt: 'xsd:unsignedInt', long: 'xsd:long', unsignedLong: 'xsd:unsignedLong',
  boolean: 'xsd:boolean', dateTime: 'xsd:dateTime', base64: 'xsd:base64', base64Binary: 'xsd:base64', hexBinary: 'xsd:hexBinary',
};

function parameterValues(e: XElement, name: string, path: string, warnings: string[]): ParameterValueStruct[] {
  return arrayItems(e, name, path, warnings).map((item, i) => {
    const at = `${path}/${name}[${i}]`;
    const valueEl = child(item, 'Value', at);
    if (valueEl.elements.length > 0) badArg(`${at}/Value`, `expected text, found element <${valueEl.elements[0]!.qname}>`);
    const pname = str(item, 'Name', at);
    let type: ValueType = 'xsd:string';
    const xt = valueEl.attrs.find((a) => a.local === 'type' && a.ns === XSI_NS);
    if (xt !== undefined) {
      const [tns, local] = resolveQName(valueEl, xt.value.trim());
      const known = tns === XSD_NS || tns === SOAP_ENC_NS ? XSD_LOCAL[local] : undefined;
      if (known === undefined) badArg(`${at}/Value`, `unsupported xsi:type '${xt.value}' for ${pname}`);
      type = known;
    }
    let value = valueEl.text;
    if (type !== 'xsd:string') {
      value = value.trim();
      if (!isValidValue(type, value)) warnings.push(`${at}: value '${value}' of ${pname} is not a valid ${type}`);
    }
    return { Name: pname, Value: value, Type: type };
  });
}

function stringItems(e: XElement, name: string, path: string, warnings: string[]): string[] {
  return arrayItems(e, name, path, warnings).map((s, i) => {
    if (s.elements.length > 0) badArg(`${path}/${name}[${i}]`, 'expected text');
    return s.text;
  });
}

// ---- RPC bodies -------------------------------------------------------------------------------------

type BodyDecoder = (e: XElement, w: string[]) => CwmpMessage;

const DECODERS: Readonly<Record<Exclude<CwmpMessage['method'], 'Fault'>, BodyDecoder>> = {
  Inform: (e, w) => {
    const p = 'Inform';
    const d = child(e, 'DeviceId', p);
    const oui = token(d, 'OUI', `${p}/DeviceId`);
    if (!/^[0-9A-Fa-f]{6}$/.test(oui)) badArg(`${p}/DeviceId/OUI`, `expected six hex digits, got '${oui}'`);
    const events: EventStruct[] = arrayItems(e, 'Event', p, w).map((ev, i) => ({
      EventCode: str(ev, 'EventCode', `${p}/Event[${i}]`),
      CommandKey: str(ev, 'CommandKey', `${p}/Event[${i}]`),
    }));
    return {
      method: 'Inform',
      DeviceId: {
        Manufacturer: str(d, 'Manufacturer', `${p}/DeviceId`),
        OUI: oui,
        ProductClass: str(d, 'ProductClass', `${p}/DeviceId`),
        SerialNumber: str(d, 'SerialNumber', `${p}/DeviceId`),
      },
      Event: events,
      MaxEnvelopes: uint(e, 'MaxEnvelopes', p),
      CurrentTime: dateTime(e, 'CurrentTime', p),
      RetryCount: uint(e, 'RetryCount', p),
      ParameterList: parameterValues(e, 'ParameterList', p, w),
    };
  },
  InformResponse: (e) => ({ method: 'InformResponse', MaxEnvelopes: uint(e, 'MaxEnvelopes', 'InformResponse') }),
  TransferComplete: (e) => {
    const p = 'TransferComplete';
    const f = child(e, 'FaultStruct', p);
    return {
      method: 'TransferComplete',
      CommandKey: str(e, 'CommandKey', p),
      FaultStruct: { FaultCode: uint(f, 'FaultCode', `${p}/FaultStruct`), FaultString: optStr(f, 'FaultString', `${p}/FaultStruct`) ?? '' },
      StartTime: dateTime(e, 'StartTime', p),
      CompleteTime: dateTime(e, 'CompleteTime', p),
    };
  },
  TransferCompleteResponse: () => ({ method: 'TransferCompleteResponse' }),
  GetRPCMethods: () => ({ method: 'GetRPCMethods' }),
  GetRPCMethodsResponse: (e, w) => ({
    method: 'GetRPCMethodsResponse',
    MethodList: stringItems(e, 'MethodList', 'GetRPCMethodsResponse', w),
  }),
  GetParameterNames: (e) => ({
    method: 'GetParameterNames',
    ParameterPath: str(e, 'ParameterPath', 'GetParameterNames'),
    NextLevel: bool(e, 'NextLevel', 'GetParameterNames'),
  }),
  GetParameterNamesResponse: (e, w) => ({
    method: 'GetParameterNamesResponse',
    ParameterList: arrayItems(e, 'ParameterList', 'GetParameterNamesResponse', w).map((it, i): ParameterInfoStruct => ({
      Name: str(it, 'Name', `GetParameterNamesResponse/ParameterList[${i}]`),
      Writable: bool(it, 'Writable', `GetParameterNamesResponse/ParameterList[${i}]`),
    })),
  }),
  GetParameterValues: (e, w) => ({
    method: 'GetParameterValues',
    ParameterNames: stringItems(e, 'ParameterNames', 'GetParameterValues', w),
  }),
  GetParameterValuesResponse: (e, w) => ({
    method: 'GetParameterValuesResponse',
    ParameterList: parameterValues(e, 'ParameterList', 'GetParameterValuesResponse', w),
  }),
  SetParameterValues: (e, w) => ({
    method: 'SetParameterValues',
    ParameterList: parameterValues(e, 'ParameterList', 'SetParameterValues', w),
    ParameterKey: str(e, 'ParameterKey', 'SetParameterValues'),
  }),
  SetParameterValuesResponse: (e) => ({ method: 'SetParameterValuesResponse', Status: status(e, 'Status', 'SetParameterValuesResponse') }),
  AddObject: (e) => ({ method: 'AddObject', ObjectName: str(e, 'ObjectName', 'AddObject'), ParameterKey: str(e, 'ParameterKey', 'AddObject') }),
  AddObjectResponse: (e) => ({
    method: 'AddObjectResponse',
    InstanceNumber: uint(e, 'InstanceNumber', 'AddObjectResponse'),
    Status: status(e, 'Status', 'AddObjectResponse'),
  }),
  DeleteObject: (e) => ({ method: 'DeleteObject', ObjectName: str(e, 'ObjectName', 'DeleteObject'), ParameterKey: str(e, 'ParameterKey', 'DeleteObject') }),
  DeleteObjectResponse: (e) => ({ method: 'DeleteObjectResponse', Status: status(e, 'Status', 'DeleteObjectResponse') }),
  Reboot: (e) => ({ method: 'Reboot', CommandKey: str(e, 'CommandKey', 'Reboot') }),
  RebootResponse: () => ({ method: 'RebootResponse' }),
  Download: (e) => {
    const p = 'Download';
    return {
      method: 'Download',
      CommandKey: str(e, 'CommandKey', p),
      FileType: str(e, 'FileType', p),
      URL: str(e, 'URL', p),
      Username: str(e, 'Username', p),
      Password: str(e, 'Password', p),
      FileSize: uint(e, 'FileSize', p),
      TargetFileName: str(e, 'TargetFileName', p),
      DelaySeconds: uint(e, 'DelaySeconds', p),
      SuccessURL: str(e, 'SuccessURL', p),
      FailureURL: str(e, 'FailureURL', p),
    };
  },
  DownloadResponse: (e) => ({
    method: 'DownloadResponse',
    Status: status(e, 'Status', 'DownloadResponse'),
    StartTime: dateTime(e, 'StartTime', 'DownloadResponse'),
    CompleteTime: dateTime(e, 'CompleteTime', 'DownloadResponse'),
  }),
  FactoryReset: () => ({ method: 'FactoryReset' }),
  FactoryResetResponse: () => ({ method: 'FactoryResetResponse' }),
};

function decodeFault(soapFault: XElement): { rpc: Fault; cwmpFault: XElement } {
  const p = 'Fault';
  const faultcode = optStr(soapFault, 'faultcode', p)?.trim() ?? '';
  const faultstring = optStr(soapFault, 'faultstring', p) ?? '';
  const detail = optChild(soapFault, 'detail');
  const cwmpFault = detail?.elements.find((x) => x.local === 'Fault' && cwmpNsFromUri(x.ns) !== undefined);
  if (cwmpFault === undefined) {
    throw new SoapError('ERR_BAD_ARGUMENT', `SOAP Fault (${faultcode} ${faultstring}) carries no cwmp:Fault in its detail`, p);
  }
  const at = 'Fault/detail/Fault';
  const spvf: SetParameterValuesFault[] = cwmpFault.elements
    .filter((x) => x.local === 'SetParameterValuesFault')
    .map((x, i) => {
      const f: SetParameterValuesFault = {
        ParameterName: str(x, 'ParameterName', `${at}/SetParameterValuesFault[${i}]`),
        FaultCode: uint(x, 'FaultCode', `${at}/SetParameterValuesFault[${i}]`),
      };
      const s = optStr(x, 'FaultString', `${at}/SetParameterValuesFault[${i}]`);
      if (s !== undefined) f.FaultString = s;
      return f;
    });
  const rpc: Fault = {
    method: 'Fault',
    faultcode,
    faultstring,
    FaultCode: uint(cwmpFault, 'FaultCode', at),
    SetParameterValuesFault: spvf,
  };
  const fs = optStr(cwmpFault, 'FaultString', at);
  if (fs !== undefined) rpc.FaultString = fs;
  return { rpc, cwmpFault };
}

// ---- envelope ---------------------------------------------------------------------------------------

function toText(input: unknown): string {
  if (typeof input === 'string') return input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  if (input instanceof Uint8Array) {
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(input);
    } catch {
      throw new SoapError('ERR_NOT_XML', 'the bytes are not valid UTF-8');
    }
  }
  throw new SoapError('ERR_NOT_XML', `expected a string or bytes, got ${input === null ? 'null' : typeof input}`);
}

function decodeInner(input: string | Uint8Array): DecodedEnvelope {
  const raw = toText(input);
  if (raw.trim() === '') {
    throw new SoapError('ERR_EMPTY', 'empty input: an empty HTTP body is not an envelope (see isEmptyHttpBody)');
  }
  const warnings: string[] = [];
  const root = parseXml(raw, warnings);
  if (root.local !== 'Envelope' || root.ns !== SOAP_ENV_NS) {
    if (root.local === 'Envelope' && root.ns === SOAP12_ENV_NS) {
      throw new SoapError('ERR_NOT_SOAP', 'this is a SOAP 1.2 envelope; CWMP uses SOAP 1.1 (http://schemas.xmlsoap.org/soap/envelope/)');
    }
    throw new SoapError('ERR_NOT_SOAP', `root element is <${root.qname}>${root.ns === undefined ? '' : ` in ${root.ns}`}, not a SOAP 1.1 Envelope`);
  }
  const header = root.elements.find((e) => e.local === 'Header' && e.ns === SOAP_ENV_NS);
  const body = root.elements.find((e) => e.local === 'Body' && e.ns === SOAP_ENV_NS);
  if (body === undefined) throw new SoapError('ERR_NO_BODY', 'the Envelope has no SOAP Body');
  if (body.elements.length === 0) throw new SoapError('ERR_NO_BODY', 'the SOAP Body is empty (no RPC element)');
  if (body.elements.length > 1) {
    throw new SoapError('ERR_MULTIPLE_RPCS', `the SOAP Body holds ${body.elements.length} elements (${body.elements.map((e) => e.qname).join(', ')}); CWMP sends one`);
  }
  const first = body.elements[0]!;

  let id: string | undefined;
  let holdRequests: boolean | undefined;
  let headerNs: string | undefined;
  for (const h of header?.elements ?? []) {
    const cw = cwmpNsFromUri(h.ns);
    const mu = h.attrs.find((a) => a.local === 'mustUnderstand' && a.ns === SOAP_ENV_NS)?.value.trim();
    if (cw !== undefined && h.local === 'ID') {
      id = h.text;
      headerNs = h.ns;
      if (mu !== '1') warnings.push('Header/ID lacks SOAP-ENV:mustUnderstand="1"');
    } else if (cw !== undefined && h.local === 'HoldRequests') {
      const s = h.text.trim();
      if (!isBoolean(s)) throw new SoapError('ERR_BAD_HEADER', `expected a boolean, got '${s}'`, 'Header/HoldRequests');
      holdRequests = s === 'true' || s === '1';
    } else if (cw !== undefined && h.local === 'NoMoreRequests') {
      warnings.push('Header/NoMoreRequests is deprecated (CWMP 1.0 only) and ignored');
    } else if (mu === '1' || mu === 'true') {
      warnings.push(`Header/${h.qname} has mustUnderstand="1" but is not a CWMP header`);
    }
  }

  let rpc: CwmpMessage;
  let rpcEl: XElement;
  if (first.local === 'Fault' && first.ns === SOAP_ENV_NS) {
    const f = decodeFault(first);
    rpc = f.rpc;
    rpcEl = f.cwmpFault;
  } else {
    rpcEl = first;
    const known = (CWMP_METHODS as readonly string[]).includes(first.local) || UNSUPPORTED_CWMP_METHODS.includes(first.local);
    if (cwmpNsFromUri(first.ns) === undefined) {
      const where = first.ns === undefined ? 'in no namespace' : `in namespace ${first.ns}`;
      if (known) throw new SoapError('ERR_UNKNOWN_NS', `<${first.qname}> is ${where}, not urn:dslforum-org:cwmp-1-0 … cwmp-1-4`, 'Body');
      throw new SoapError('ERR_UNKNOWN_RPC', `<${first.qname}> (${where}) is not a CWMP method`, 'Body');
    }
    if (UNSUPPORTED_CWMP_METHODS.includes(first.local)) {
      throw new SoapError('ERR_UNSUPPORTED_RPC', `${first.local} is a CWMP method this codec does not decode`, 'Body');
    }
    const dec = Object.hasOwn(DECODERS, first.local) ? DECODERS[first.local as keyof typeof DECODERS] : undefined;
    if (dec === undefined) throw new SoapError('ERR_UNKNOWN_RPC', `<${first.qname}> is not a CWMP method`, 'Body');
    rpc = dec(first, warnings);
  }
  const nsUri = rpcEl.ns!;
  if (headerNs !== undefined && headerNs !== nsUri) warnings.push(`Header/ID is in ${headerNs} but the RPC is in ${nsUri}`);
  return { ns: cwmpNsFromUri(nsUri)!, nsUri, id, holdRequests, rpc, raw, warnings };
}

/**
 * Decode a CWMP envelope (text or UTF-8 bytes). Any namespace prefixes are accepted; the CWMP namespace may
 * be cwmp-1-0 … cwmp-1-4; the Header is optional. Throws SoapError — and nothing else — on bad input.
 */
export function decodeEnvelope(xml: string | Uint8Array): DecodedEnvelope {
  try {
    return decodeInner(xml);
  } catch (e) {
    if (e instanceof SoapError) throw e;
    // A bug or a parser corner case: still report it as the codec's error type.
    throw new SoapError('ERR_NOT_XML', `could not decode: ${e instanceof Error ? e.message : String(e)}`);
  }
}
