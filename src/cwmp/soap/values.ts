/** Lexical checks for the XML Schema types CWMP uses (these check values, they do not touch XML). */
import type { ValueType } from './types.ts';

const DATE_TIME = /^-?\d{4,}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d+)?(Z|[+-](0\d|1[0-3]):[0-5]\d|[+-]14:00)?$/;
const INTEGER = /^[+-]?\d+$/;
const UNSIGNED = /^\+?\d+$/;
const BASE64 = /^([A-Za-z0-9+/] ?){0,}=? ?=?$/;
const HEX = /^([0-9A-Fa-f]{2})*$/;

function inRange(s: string, min: bigint, max: bigint): boolean {
  const n = BigInt(s.startsWith('+') ? s.slice(1) : s);
  return n >= min && n <= max;
}

export function isDateTime(s: string): boolean {
  return DATE_TIME.test(s);
}
export function isUnsignedInt(s: string): boolean {
  return UNSIGNED.test(s) && inRange(s, 0n, 4294967295n);
}
export function isInt(s: string): boolean {
  return INTEGER.test(s) && inRange(s, -2147483648n, 2147483647n);
}
export function isBoolean(s: string): boolean {
  return s === 'true' || s === 'false' || s === '1' || s === '0';
}

function isBase64(s: string): boolean {
  const compact = s.replace(/\s+/g, '');
  return compact.length % 4 === 0 && BASE64.test(compact);
}

/** Whether `value` is a valid lexical form of `type` (whitespace already collapsed for non-strings). */
export function isValidValue(type: ValueType, value: string): boolean {
  switch (type) {
    case 'xsd:string': return true;
    case 'xsd:int': return isInt(value);
    case 'xsd:unsignedInt': return isUnsignedInt(value);
    case 'xsd:long': return INTEGER.test(value) && inRange(value, -(2n ** 63n), 2n ** 63n - 1n);
    case 'xsd:unsignedLong': return UNSIGNED.test(value) && inRange(value, 0n, 2n ** 64n - 1n);
    case 'xsd:boolean': return isBoolean(value);
    case 'xsd:dateTime': return isDateTime(value);
    case 'xsd:base64': return isBase64(value);
    case 'xsd:hexBinary': return HEX.test(value);
  }
}

/**
 * Whether a string can be written as XML 1.0 character data: no C0 controls other than tab, LF, CR, no
 * U+FFFE/U+FFFF and no lone surrogates. (CR is written but an XML processor reads it back as LF.)
 */
export function isXmlText(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20) {
      if (c !== 0x09 && c !== 0x0a && c !== 0x0d) return false;
    } else if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (!(d >= 0xdc00 && d <= 0xdfff)) return false;
      i++;
    } else if ((c >= 0xdc00 && c <= 0xdfff) || c === 0xfffe || c === 0xffff) {
      return false;
    }
  }
  return true;
}
