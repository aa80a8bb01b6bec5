/**
 * Parameter types and the ONE place where values are validated.
 *
 * On the wire (TR-069 §A.2.1 / TR-106 §3.2) every value is a string tagged with an
 * xsi:type (xsd:string, xsd:unsignedInt, ...). TR-181 adds facets: string length
 * (maxLength/minLength), numeric ranges, enumerations, patterns and comma-separated lists.
 */

export type ParamType =
  | 'string'
  | 'unsignedInt'
  | 'int'
  | 'unsignedLong'
  | 'long'
  | 'boolean'
  | 'dateTime'
  | 'base64'
  | 'hexBinary';

export const PARAM_TYPES: readonly ParamType[] = [
  'string', 'unsignedInt', 'int', 'unsignedLong', 'long', 'boolean', 'dateTime', 'base64', 'hexBinary',
];

/** TR-106 "notification" facet of a parameter (activeNotify attribute in the DM schema). */
export type ActiveNotify =
  /** ACS may set any notification (default). */
  | 'normal'
  /** CPE may reject Active notification (9009), e.g. frequently changing values like UpTime. */
  | 'canDeny'
  /** Active notification is on by default (ACS may turn it off). */
  | 'forceDefaultEnabled'
  /** Active notification is always on; SetParameterAttributes cannot change it. */
  | 'forceEnabled';

/** Read-only view of sibling values, used by cross-parameter checks. */
export type SiblingReader = (relativeName: string) => string | undefined;

export interface ParamDef {
  type: ParamType;
  writable: boolean;
  /** Default value (wire form). A function receives the instance numbers of the enclosing tables. */
  default: string | ((ctx: DefaultContext) => string);
  /** string: max characters; base64/hexBinary: max bytes (TR-106 size facet). For lists: whole-string max. */
  maxLength?: number;
  minLength?: number;
  /** Numeric range (inclusive), as bigint-compatible numbers. */
  range?: { min?: number | bigint; max?: number | bigint };
  /** Allowed values (string) or allowed list items (list strings). */
  enum?: readonly string[];
  /** Whole-value regular expression (anchored by the validator). For lists, applies to each item. */
  pattern?: RegExp;
  /** Comma-separated list of items (TR-106 list facet). */
  list?: boolean;
  /** Reads back as empty string (TR-069: passwords, keys — "hidden" / write-only). */
  hidden?: boolean;
  /** Derived by the model on read (UpTime, *NumberOfEntries, CurrentLocalTime...). */
  derived?: boolean;
  activeNotify?: ActiveNotify;
  /** Always included in the Inform ParameterList (TR-181 forcedInform). */
  forcedInform?: boolean;
  /** Extra check with access to sibling values in the same object instance. Returns a reason or null. */
  check?: (value: string, sibling: SiblingReader) => string | null;
}

/** The identity the CPE reports in Inform DeviceId (TR-069 Table 39 DeviceIdStruct). */
export interface DeviceIdentity {
  manufacturer: string;
  /** 6 upper-case hex digits (IEEE OUI). */
  oui: string;
  productClass: string;
  serialNumber: string;
}

export interface DefaultContext {
  /** Instance numbers of the enclosing multi-instance objects, outermost first. */
  instance: readonly number[];
  identity: DeviceIdentity;
}

export type ValidationResult =
  | { ok: true; value: string }
  | { ok: false; code: 9006 | 9007; reason: string };

const UINT32_MAX = 4294967295n;
const INT32_MIN = -2147483648n;
const INT32_MAX = 2147483647n;
const UINT64_MAX = 18446744073709551615n;
const INT64_MIN = -9223372036854775808n;
const INT64_MAX = 9223372036854775807n;

/**
 * Parse an xsi:type as sent by the ACS ("xsd:unsignedInt", "unsignedInt", "xs:string",
 * "{http://www.w3.org/2001/XMLSchema}int"). Returns undefined for unknown types.
 */
export function parseXsdType(t: string): ParamType | undefined {
  const local = t.trim().replace(/^\{[^}]*\}/, '').replace(/^[A-Za-z_][\w.-]*:/, '');
  return (PARAM_TYPES as readonly string[]).includes(local) ? (local as ParamType) : undefined;
}

/** Wire name of a type, as put in xsi:type of a ParameterValueStruct. */
export function xsdTypeName(t: ParamType): string {
  return `xsd:${t}`;
}

function bad(reason: string): ValidationResult {
  return { ok: false, code: 9007, reason };
}

function checkRange(n: bigint, def: ParamDef, lo: bigint, hi: bigint): string | null {
  if (n < lo || n > hi) return `${n} outside the ${def.type} value space`;
  const min = def.range?.min;
  const max = def.range?.max;
  if (min !== undefined && n < BigInt(min)) return `${n} below minimum ${min}`;
  if (max !== undefined && n > BigInt(max)) return `${n} above maximum ${max}`;
  return null;
}

const DATE_TIME_RE =
  /^(-?\d{4,})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-](\d{2}):(\d{2}))?$/;

function validDateTime(v: string): boolean {
  const m = DATE_TIME_RE.exec(v);
  if (!m) return false;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const h = Number(m[4]);
  const mi = Number(m[5]);
  const s = Number(m[6]);
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const dim = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
  if (day > dim) return false;
  if (h > 24 || mi > 59 || s > 59) return false;
  if (h === 24 && (mi !== 0 || s !== 0)) return false;
  if (m[9] !== undefined && (Number(m[9]) > 14 || Number(m[10]) > 59)) return false;
  return true;
}

function checkString(v: string, def: ParamDef): string | null {
  const len = [...v].length;
  if (def.maxLength !== undefined && len > def.maxLength) return `length ${len} exceeds maximum ${def.maxLength}`;
  if (def.list) {
    const items = v === '' ? [] : v.split(',').map((x) => x.trim());
    for (const item of items) {
      if (def.enum && !def.enum.includes(item)) return `list item '${item}' not one of ${def.enum.join(', ')}`;
      if (def.pattern && !new RegExp(`^(?:${def.pattern.source})$`).test(item)) return `list item '${item}' has wrong format`;
    }
    return null;
  }
  if (def.minLength !== undefined && len < def.minLength) return `length ${len} below minimum ${def.minLength}`;
  if (def.enum && !def.enum.includes(v)) return `'${v}' not one of ${def.enum.join(', ')}`;
  if (def.pattern && !new RegExp(`^(?:${def.pattern.source})$`).test(v)) return `'${v}' has wrong format`;
  return null;
}

/**
 * Validate (and canonicalize) a wire value against a parameter definition.
 * `declaredType` is the xsi:type the ACS sent, if any: a mismatch is fault 9006
 * (Invalid parameter type); a bad value for the right type is 9007 (Invalid parameter value).
 */
export function validateValue(def: ParamDef, value: unknown, declaredType?: string): ValidationResult {
  if (declaredType !== undefined && declaredType !== '') {
    const t = parseXsdType(declaredType);
    if (t !== def.type) {
      return { ok: false, code: 9006, reason: `expected ${xsdTypeName(def.type)}, got ${declaredType}` };
    }
  }
  if (typeof value !== 'string') return bad('value is not a string');
  const v = value;
  switch (def.type) {
    case 'string': {
      const r = checkString(v, def);
      return r ? bad(r) : { ok: true, value: v };
    }
    case 'boolean': {
      const t = v.trim();
      if (t === 'true' || t === '1') return { ok: true, value: 'true' };
      if (t === 'false' || t === '0') return { ok: true, value: 'false' };
      return bad(`'${v}' is not a boolean`);
    }
    case 'unsignedInt':
    case 'unsignedLong':
    case 'int':
    case 'long': {
      const t = v.trim();
      const signed = def.type === 'int' || def.type === 'long';
      if (!(signed ? /^[+-]?\d+$/ : /^\+?\d+$/).test(t)) return bad(`'${v}' is not an ${def.type}`);
      const n = BigInt(t);
      const [lo, hi] =
        def.type === 'unsignedInt' ? [0n, UINT32_MAX]
        : def.type === 'unsignedLong' ? [0n, UINT64_MAX]
        : def.type === 'int' ? [INT32_MIN, INT32_MAX]
        : [INT64_MIN, INT64_MAX];
      const r = checkRange(n, def, lo, hi);
      return r ? bad(r) : { ok: true, value: n.toString() };
    }
    case 'dateTime': {
      const t = v.trim();
      return validDateTime(t) ? { ok: true, value: t } : bad(`'${v}' is not an xsd:dateTime`);
    }
    case 'base64': {
      const t = v.replace(/\s+/g, '');
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(t) || t.length % 4 !== 0) return bad('not valid base64');
      const bytes = (t.length / 4) * 3 - (t.endsWith('==') ? 2 : t.endsWith('=') ? 1 : 0);
      if (def.maxLength !== undefined && bytes > def.maxLength) return bad(`${bytes} bytes exceeds maximum ${def.maxLength}`);
      if (def.minLength !== undefined && bytes < def.minLength) return bad(`${bytes} bytes below minimum ${def.minLength}`);
      return { ok: true, value: t };
    }
    case 'hexBinary': {
      const t = v.trim();
      if (!/^(?:[0-9A-Fa-f]{2})*$/.test(t)) return bad('not valid hexBinary');
      const bytes = t.length / 2;
      if (def.maxLength !== undefined && bytes > def.maxLength) return bad(`${bytes} bytes exceeds maximum ${def.maxLength}`);
      if (def.minLength !== undefined && bytes < def.minLength) return bad(`${bytes} bytes below minimum ${def.minLength}`);
      return { ok: true, value: t.toLowerCase() };
    }
  }
}
