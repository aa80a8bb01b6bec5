/**
 * TLS extensions (RFC 8446 §4.2, RFC 5246 §7.4.1.4 and the RFCs that define each one) decoded into
 * Field nodes. Every node carries the absolute byte range it came from; unknown extensions are kept
 * as hex with their number shown as `0x%04X`.
 */
import { enumDisplay, enumName, hexValue } from './enums.ts';
import type { NameTable } from './enums.ts';
import { TlsDecodeError } from './errors.ts';
import { bytesValue, field, toHex } from './fields.ts';
import type { Field } from './fields.ts';
import type { Reader } from './reader.ts';
import {
  CERTIFICATE_STATUS_TYPE,
  CERT_COMPRESSION_ALGORITHM,
  EC_POINT_FORMAT,
  EXTENSION_TYPE,
  MAX_FRAGMENT_LENGTH,
  NAMED_GROUP,
  PROTOCOL_VERSION,
  PSK_KEY_EXCHANGE_MODE,
  SERVER_NAME_TYPE,
  SIGNATURE_SCHEME,
  isGrease,
  versionName,
} from './registry.ts';
import { formatDistinguishedName } from './x509.ts';

// ---------------------------------------------------------------------------------------------
// Small field builders shared with handshake.ts. They only read through the Reader.

const utf8 = new TextDecoder('utf-8', { fatal: false });

/** Short rendering of a byte string: full hex up to 16 bytes, else a prefix and the length. */
export function bytesDisplay(b: Uint8Array): string {
  if (b.length === 0) return '(empty)';
  if (b.length <= 16) return toHex(b);
  return `${toHex(b.subarray(0, 12))}… (${b.length} bytes)`;
}

/** A fixed-width unsigned integer. */
export function numField(
  r: Reader,
  size: 1 | 2 | 3 | 4,
  name: string,
  ref?: string,
  display: (v: number) => string = String,
): { field: Field; value: number } {
  const start = r.offset;
  const value = size === 1 ? r.u8(name) : size === 2 ? r.u16(name) : size === 3 ? r.u24(name) : r.u32(name);
  return { field: field(name, start, r.offset, display(value), { value, ...(ref ? { ref } : {}) }), value };
}

/** A one- or two-byte value from an open enum (`name (0x0303)`, unknown values stay visible as hex). */
export function enumField(r: Reader, size: 1 | 2, name: string, table: NameTable, ref?: string): { field: Field; value: number } {
  return numField(r, size, name, ref, (v) => enumDisplay(table, v, size));
}

/** Fixed-size opaque bytes. */
export function fixedBytes(r: Reader, n: number, name: string, ref?: string): { field: Field; bytes: Uint8Array } {
  const start = r.offset;
  const bytes = r.bytes(n, name);
  return { field: field(name, start, r.offset, bytesDisplay(bytes), { ...bytesValue(bytes), ...(ref ? { ref } : {}) }), bytes };
}

/**
 * A length-prefixed opaque vector `opaque name<…>`: the node spans prefix and data, with the length
 * as its first child.
 */
export function opaqueVector(
  r: Reader,
  prefix: 1 | 2 | 3,
  name: string,
  ref?: string,
  display?: (b: Uint8Array) => string,
): { field: Field; bytes: Uint8Array } {
  const start = r.offset;
  const len = numField(r, prefix, `${name}_length`);
  const bytes = r.bytes(len.value, name);
  const f = field(name, start, r.offset, display ? display(bytes) : bytesDisplay(bytes), {
    ...bytesValue(bytes),
    ...(ref ? { ref } : {}),
    children: [len.field],
  });
  return { field: f, bytes };
}

/**
 * A length-prefixed vector of structures: `item` reads one element from the sub-reader and returns
 * its node. The list node spans prefix and items; its first child is the length.
 */
export function listVector<T>(
  r: Reader,
  prefix: 1 | 2 | 3,
  name: string,
  item: (sub: Reader) => { field: Field; value: T },
  opts: { ref?: string; itemSize?: number; display?: (values: T[]) => string } = {},
): { field: Field; values: T[] } {
  const start = r.offset;
  const len = numField(r, prefix, `${name}_length`);
  if (opts.itemSize && len.value % opts.itemSize !== 0) {
    throw new TlsDecodeError('ERR_BAD_LENGTH', `${name} length ${len.value} is not a multiple of ${opts.itemSize}`, start);
  }
  const sub = r.sub(len.value, name);
  const children: Field[] = [len.field];
  const values: T[] = [];
  while (!sub.done) {
    const it = item(sub);
    children.push(it.field);
    values.push(it.value);
  }
  const display = opts.display ? opts.display(values) : `${values.length} item${values.length === 1 ? '' : 's'}`;
  return { field: field(name, start, r.offset, display, { ...(opts.ref ? { ref: opts.ref } : {}), children }), values };
}

/**
 * `DistinguishedName authorities<3..2^16-1>` (RFC 8446 §4.2.4, RFC 5246 §7.4.4): each DN rendered
 * as text; one that does not parse keeps its bytes and says so, it is never dropped.
 */
export function distinguishedNames(r: Reader, name: string, ref?: string): { field: Field; names: string[] } {
  const names: string[] = [];
  const l = listVector(
    r,
    2,
    name,
    (s) => {
      const v = opaqueVector(s, 2, 'DistinguishedName');
      let text: string;
      try {
        text = formatDistinguishedName(v.bytes);
      } catch (e) {
        text = `<unparsable DN: ${e instanceof Error ? e.message : String(e)}>`;
      }
      names.push(text);
      v.field.display = text;
      return { field: v.field, value: text };
    },
    { ...(ref ? { ref } : {}), display: (vs) => `${vs.length} DN${vs.length === 1 ? '' : 's'}` },
  );
  return { field: l.field, names };
}

/** A vector of one-/two-byte enum values. */
export function enumList(
  r: Reader,
  prefix: 1 | 2,
  size: 1 | 2,
  name: string,
  itemName: string,
  table: NameTable,
  ref?: string,
): { field: Field; values: number[] } {
  return listVector(r, prefix, name, (s) => enumField(s, size, itemName, table), {
    itemSize: size,
    ...(ref ? { ref } : {}),
    display: (vs) => `${vs.length} ${vs.length === 1 ? 'entry' : 'entries'}: ${vs.map((v) => enumName(table, v, size)).join(', ')}`,
  });
}

/** The readable name of an extension type: IANA name, else `0xFAFA`-style hex. */
export function extensionTypeName(t: number): string {
  return enumName(EXTENSION_TYPE, t);
}

// ---------------------------------------------------------------------------------------------

/** The message an extensions block belongs to (RFC 8446 §4.2 table: which extension may appear where). */
export type ExtensionMessage =
  | 'client_hello'
  | 'server_hello'
  | 'hello_retry_request'
  | 'encrypted_extensions'
  | 'certificate'
  | 'certificate_request'
  | 'new_session_ticket';

export interface ExtensionContext {
  msg: ExtensionMessage;
}

/** The facts other code reads out of an extensions block. */
export interface ExtensionFacts {
  /** Extension types in wire order. */
  types: number[];
  serverName?: string;
  /** supported_versions list (ClientHello). */
  supportedVersions?: number[];
  /** supported_versions selected_version (ServerHello / HelloRetryRequest). */
  selectedVersion?: number;
  supportedGroups?: number[];
  /** key_share groups offered (ClientHello). */
  keyShareGroups?: number[];
  /** key_share group chosen (ServerHello server_share / HelloRetryRequest selected_group). */
  keyShareGroup?: number;
  signatureAlgorithms?: number[];
  signatureAlgorithmsCert?: number[];
  alpn?: string[];
  pskKeyExchangeModes?: number[];
  /** DNs of certificate_authorities (ClientHello / CertificateRequest). */
  certificateAuthorities?: string[];
  /** early_data max_early_data_size (NewSessionTicket). */
  maxEarlyDataSize?: number;
  /** pre_shared_key selected_identity (ServerHello). */
  selectedPskIdentity?: number;
  recordSizeLimit?: number;
}

export interface DecodedExtensions {
  /** The `extensions` node (length child first, then one node per extension). */
  field: Field;
  facts: ExtensionFacts;
}

const R8446 = 'RFC 8446 §4.2';

const EXT_REF: Readonly<Record<number, string>> = {
  0: 'RFC 6066 §3',
  1: 'RFC 6066 §4',
  5: 'RFC 6066 §8',
  10: 'RFC 8446 §4.2.7',
  11: 'RFC 8422 §5.1.2',
  13: 'RFC 8446 §4.2.3',
  16: 'RFC 7301 §3.1',
  18: 'RFC 6962 §3.3.1',
  21: 'RFC 7685 §3',
  22: 'RFC 7366 §2',
  23: 'RFC 7627 §5.1',
  27: 'RFC 8879 §3',
  28: 'RFC 8449 §4',
  35: 'RFC 5077 §3.2',
  41: 'RFC 8446 §4.2.11',
  42: 'RFC 8446 §4.2.10',
  43: 'RFC 8446 §4.2.1',
  44: 'RFC 8446 §4.2.2',
  45: 'RFC 8446 §4.2.9',
  47: 'RFC 8446 §4.2.4',
  48: 'RFC 8446 §4.2.5',
  49: 'RFC 8446 §4.2.6',
  50: 'RFC 8446 §4.2.3',
  51: 'RFC 8446 §4.2.8',
  0xfe0d: 'RFC 9849 §5',
  0xff01: 'RFC 5746 §3.2',
};

interface ExtBody {
  children: Field[];
  summary?: string;
}

function groupsSummary(vs: number[]): string {
  return vs.map((v) => enumName(NAMED_GROUP, v)).join(',');
}

/** Decodes `Extension extensions<0..2^16-1>` (the u16 length is the next thing in `r`). */
export function decodeExtensions(r: Reader, ctx: ExtensionContext): DecodedExtensions {
  const facts: ExtensionFacts = { types: [] };
  const start = r.offset;
  const len = numField(r, 2, 'extensions_length');
  const block = r.sub(len.value, 'extensions');
  const children: Field[] = [len.field];
  while (!block.done) {
    const extStart = block.offset;
    const type = enumField(block, 2, 'extension_type', EXTENSION_TYPE, 'RFC 8446 §4.2');
    const dataLen = numField(block, 2, 'extension_data_length');
    const d = block.sub(dataLen.value, `${extensionTypeName(type.value)} extension_data`);
    const body = decodeExtensionData(type.value, d, ctx, facts);
    d.expectEnd();
    const name = extensionTypeName(type.value);
    // Duplicates are a protocol violation (RFC 8446 §4.2) but stay visible rather than hiding the message.
    const note = (isGrease(type.value) ? ' (GREASE)' : '') + (facts.types.includes(type.value) ? ' [duplicate]' : '');
    const display = body.summary !== undefined ? `${name}${note}: ${body.summary}` : `${name}${note}`;
    facts.types.push(type.value);
    children.push(
      field(name, extStart, block.offset, display, {
        value: type.value,
        ref: EXT_REF[type.value] ?? R8446,
        children: [type.field, dataLen.field, ...body.children],
      }),
    );
  }
  const n = facts.types.length;
  return {
    field: field('extensions', start, r.offset, `${n} extension${n === 1 ? '' : 's'}`, { ref: R8446, children }),
    facts,
  };
}

function empty(d: Reader, what: string): ExtBody {
  if (!d.done) throw new TlsDecodeError('ERR_BAD_LENGTH', `${what} extension_data must be empty here`, d.offset);
  return { children: [], summary: '(empty)' };
}

function decodeExtensionData(type: number, d: Reader, ctx: ExtensionContext, facts: ExtensionFacts): ExtBody {
  const ref = EXT_REF[type];
  const fromClient = ctx.msg === 'client_hello';
  switch (type) {
    case 0: {
      // RFC 6066 §3: ServerNameList in ClientHello; empty in ServerHello/EncryptedExtensions.
      if (!fromClient && d.done) return empty(d, 'server_name');
      const names: string[] = [];
      const list = listVector(
        d,
        2,
        'server_name_list',
        (s) => {
          const st = s.offset;
          const nt = enumField(s, 1, 'name_type', SERVER_NAME_TYPE);
          const host = opaqueVector(s, 2, nt.value === 0 ? 'host_name' : 'name', undefined, (b) => utf8.decode(b));
          const text = nt.value === 0 ? utf8.decode(host.bytes) : toHex(host.bytes);
          if (nt.value === 0) names.push(text);
          return {
            field: field('server_name', st, s.offset, `${enumName(SERVER_NAME_TYPE, nt.value, 1)}: ${text}`, {
              children: [nt.field, host.field],
            }),
            value: text,
          };
        },
        { ref, display: (vs) => vs.join(', ') },
      );
      if (names[0] !== undefined) facts.serverName = names[0];
      return { children: [list.field], summary: names.join(', ') };
    }
    case 1: {
      const v = enumField(d, 1, 'max_fragment_length', MAX_FRAGMENT_LENGTH, ref);
      return { children: [v.field], summary: enumName(MAX_FRAGMENT_LENGTH, v.value, 1) };
    }
    case 5: {
      if (d.done) return empty(d, 'status_request');
      const st = enumField(d, 1, 'status_type', CERTIFICATE_STATUS_TYPE, ref);
      if (ctx.msg === 'certificate') {
        // RFC 8446 §4.4.2.1: CertificateStatus { status_type; OCSPResponse response<1..2^24-1> }.
        const resp = opaqueVector(d, 3, 'ocsp_response', 'RFC 6066 §8');
        return { children: [st.field, resp.field], summary: `OCSP response, ${resp.bytes.length} bytes` };
      }
      if (st.value !== 1) {
        const rest = fixedBytes(d, d.remaining, 'request');
        return { children: [st.field, rest.field], summary: enumName(CERTIFICATE_STATUS_TYPE, st.value, 1) };
      }
      const ids = listVector(d, 2, 'responder_id_list', (s) => {
        const v = opaqueVector(s, 2, 'responder_id');
        return { field: v.field, value: v.bytes };
      });
      const exts = opaqueVector(d, 2, 'request_extensions');
      return { children: [st.field, ids.field, exts.field], summary: 'ocsp' };
    }
    case 10: {
      const l = enumList(d, 2, 2, 'named_group_list', 'named_group', NAMED_GROUP, ref);
      facts.supportedGroups = l.values;
      return { children: [l.field], summary: groupsSummary(l.values) };
    }
    case 11: {
      const l = enumList(d, 1, 1, 'ec_point_format_list', 'ec_point_format', EC_POINT_FORMAT, ref);
      return { children: [l.field], summary: l.values.map((v) => enumName(EC_POINT_FORMAT, v, 1)).join(',') };
    }
    case 13:
    case 50: {
      const l = enumList(d, 2, 2, 'supported_signature_algorithms', 'signature_scheme', SIGNATURE_SCHEME, ref);
      if (type === 13) facts.signatureAlgorithms = l.values;
      else facts.signatureAlgorithmsCert = l.values;
      return { children: [l.field], summary: `${l.values.length} schemes` };
    }
    case 16: {
      const l = listVector(
        d,
        2,
        'protocol_name_list',
        (s) => {
          const v = opaqueVector(s, 1, 'protocol_name', undefined, (b) => utf8.decode(b));
          return { field: v.field, value: utf8.decode(v.bytes) };
        },
        { ref, display: (vs) => vs.join(',') },
      );
      facts.alpn = l.values;
      return { children: [l.field], summary: l.values.join(',') };
    }
    case 21: {
      const p = fixedBytes(d, d.remaining, 'padding', ref);
      return { children: [p.field], summary: `${p.bytes.length} bytes` };
    }
    case 22:
    case 23:
    case 49:
      return empty(d, extensionTypeName(type));
    case 27: {
      const l = enumList(d, 1, 2, 'algorithms', 'algorithm', CERT_COMPRESSION_ALGORITHM, ref);
      return { children: [l.field], summary: l.values.map((v) => enumName(CERT_COMPRESSION_ALGORITHM, v)).join(',') };
    }
    case 28: {
      const v = numField(d, 2, 'record_size_limit', ref);
      facts.recordSizeLimit = v.value;
      return { children: [v.field], summary: String(v.value) };
    }
    case 35: {
      if (d.done) return { children: [], summary: '(empty)' };
      const t = fixedBytes(d, d.remaining, 'ticket', ref);
      return { children: [t.field], summary: `${t.bytes.length}-byte ticket` };
    }
    case 41: {
      if (ctx.msg === 'server_hello') {
        const v = numField(d, 2, 'selected_identity', ref);
        facts.selectedPskIdentity = v.value;
        return { children: [v.field], summary: `selected_identity ${v.value}` };
      }
      const ids = listVector(
        d,
        2,
        'identities',
        (s) => {
          const st = s.offset;
          const id = opaqueVector(s, 2, 'identity');
          const age = numField(s, 4, 'obfuscated_ticket_age');
          return {
            field: field('PskIdentity', st, s.offset, `${id.bytes.length}-byte identity, age ${age.value}`, {
              children: [id.field, age.field],
            }),
            value: id.bytes,
          };
        },
        { ref },
      );
      const binders = listVector(
        d,
        2,
        'binders',
        (s) => {
          const b = opaqueVector(s, 1, 'PskBinderEntry');
          return { field: b.field, value: b.bytes };
        },
        { ref },
      );
      return { children: [ids.field, binders.field], summary: `${ids.values.length} identit${ids.values.length === 1 ? 'y' : 'ies'}` };
    }
    case 42: {
      if (ctx.msg === 'new_session_ticket') {
        const v = numField(d, 4, 'max_early_data_size', ref);
        facts.maxEarlyDataSize = v.value;
        return { children: [v.field], summary: `max_early_data_size ${v.value}` };
      }
      return empty(d, 'early_data');
    }
    case 43: {
      if (fromClient) {
        const l = listVector(d, 1, 'versions', (s) => numField(s, 2, 'version', undefined, (v) => `${versionName(v)} (${hexValue(v)})`), {
          ref,
          itemSize: 2,
          display: (vs) => vs.map(versionName).join(','),
        });
        facts.supportedVersions = l.values;
        return { children: [l.field], summary: l.values.map(versionName).join(',') };
      }
      const v = enumField(d, 2, 'selected_version', PROTOCOL_VERSION, ref);
      facts.selectedVersion = v.value;
      return { children: [v.field], summary: versionName(v.value) };
    }
    case 44: {
      const c = opaqueVector(d, 2, 'cookie', ref);
      return { children: [c.field], summary: `${c.bytes.length} bytes` };
    }
    case 45: {
      const l = enumList(d, 1, 1, 'ke_modes', 'ke_mode', PSK_KEY_EXCHANGE_MODE, ref);
      facts.pskKeyExchangeModes = l.values;
      return { children: [l.field], summary: l.values.map((v) => enumName(PSK_KEY_EXCHANGE_MODE, v, 1)).join(',') };
    }
    case 47: {
      const l = distinguishedNames(d, 'authorities', ref);
      facts.certificateAuthorities = l.names;
      return { children: [l.field], summary: l.names.join('; ') };
    }
    case 51:
      return keyShare(d, ctx, facts, ref);
    case 0xff01: {
      const v = opaqueVector(d, 1, 'renegotiated_connection', ref);
      return { children: [v.field], summary: v.bytes.length === 0 ? '(initial handshake)' : `${v.bytes.length} bytes` };
    }
    default: {
      if (d.done) return { children: [], summary: '(empty)' };
      const v = fixedBytes(d, d.remaining, 'extension_data');
      return { children: [v.field], summary: v.field.display };
    }
  }
}

/** RFC 8446 §4.2.8 key_share: KeyShareClientHello / KeyShareServerHello / KeyShareHelloRetryRequest. */
function keyShare(d: Reader, ctx: ExtensionContext, facts: ExtensionFacts, ref?: string): ExtBody {
  const entry = (s: Reader): { field: Field; value: number } => {
    const st = s.offset;
    const g = enumField(s, 2, 'group', NAMED_GROUP);
    const k = opaqueVector(s, 2, 'key_exchange');
    return {
      field: field('KeyShareEntry', st, s.offset, `${enumName(NAMED_GROUP, g.value)}, ${k.bytes.length}-byte key_exchange`, {
        children: [g.field, k.field],
      }),
      value: g.value,
    };
  };
  if (ctx.msg === 'hello_retry_request') {
    const g = enumField(d, 2, 'selected_group', NAMED_GROUP, ref);
    facts.keyShareGroup = g.value;
    return { children: [g.field], summary: `selected_group ${enumName(NAMED_GROUP, g.value)}` };
  }
  if (ctx.msg === 'server_hello') {
    const e = entry(d);
    e.field.name = 'server_share';
    facts.keyShareGroup = e.value;
    return { children: [e.field], summary: enumName(NAMED_GROUP, e.value) };
  }
  const l = listVector(d, 2, 'client_shares', entry, { ref, display: groupsSummary });
  facts.keyShareGroups = l.values;
  return { children: [l.field], summary: groupsSummary(l.values) };
}
