/**
 * The decoded field tree. Every node keeps the byte range it was decoded from, as offsets into
 * the message bytes the event carries (`hex`), so views highlight from the original bytes and never
 * from a re-encoding.
 */
export interface Field {
  /** Stable machine name, RFC spelling where there is one (e.g. `legacy_version`, `cipher_suites`). */
  name: string;
  /** Short human rendering of the value, e.g. `TLS 1.2 (0x0303)` or `32 bytes`. */
  display: string;
  /**
   * The decoded value when it is a scalar (numbers stay numbers). Byte strings up to
   * MAX_VALUE_BYTES are given as hex; longer ones are not copied: read them from the message bytes
   * at [start, end).
   */
  value?: string | number | boolean;
  /** Byte range [start, end) in the message bytes. */
  start: number;
  end: number;
  /** Where the field is defined, e.g. `RFC 8446 §4.1.2`. */
  ref?: string;
  children?: Field[];
}

const HEX_BYTE = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
/** Each byte's two hex digits as one little-endian 16-bit word of ASCII codes. */
const HEX_PAIR = Uint16Array.from(HEX_BYTE, (h) => h.charCodeAt(0) | (h.charCodeAt(1) << 8));
const ascii = new TextDecoder('latin1');
const LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

export function toHex(b: Uint8Array): string {
  if (b.length < 64 || !LITTLE_ENDIAN) {
    let s = '';
    for (let i = 0; i < b.length; i++) s += HEX_BYTE[b[i]!]!;
    return s;
  }
  // Long inputs (application data records): one buffer of ASCII digits decoded at once, instead of
  // one intermediate string per byte.
  const out = new Uint16Array(b.length);
  for (let i = 0; i < b.length; i++) out[i] = HEX_PAIR[b[i]!]!;
  return ascii.decode(out);
}

/** Longest byte string copied into a Field's `value`. */
export const MAX_VALUE_BYTES = 64;

/** `{ value: hex }` for short byte strings, `{}` for long ones (their bytes are in the message at the field's range). */
export function bytesValue(b: Uint8Array): { value?: string } {
  return b.length <= MAX_VALUE_BYTES ? { value: toHex(b) } : {};
}

export function fromHex(h: string): Uint8Array {
  if (h.length % 2 !== 0 || /[^0-9a-fA-F]/.test(h)) throw new Error(`not a hex string: ${h.slice(0, 16)}…`);
  const out = new Uint8Array(h.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(h.slice(2 * i, 2 * i + 2), 16);
  return out;
}

export function field(
  name: string,
  start: number,
  end: number,
  display: string,
  extra: { value?: string | number | boolean; ref?: string; children?: Field[] } = {},
): Field {
  const f: Field = { name, display, start, end };
  if (extra.value !== undefined) f.value = extra.value;
  if (extra.ref !== undefined) f.ref = extra.ref;
  if (extra.children !== undefined) f.children = extra.children;
  return f;
}

/** Shift every offset of a tree (used when a message decoded alone is placed inside a larger buffer). */
export function shiftFields(fields: Field[], by: number): Field[] {
  return fields.map((f) => ({
    ...f,
    start: f.start + by,
    end: f.end + by,
    ...(f.children ? { children: shiftFields(f.children, by) } : {}),
  }));
}
