/**
 * Open enums: a number plus a name table. Unknown values are never dropped: they render as
 * `0x%04X` (or `0x%02X` for one-byte values).
 */
export type NameTable = Readonly<Record<number, string>>;

export function hexValue(v: number, width: 1 | 2 = 2): string {
  return '0x' + v.toString(16).toUpperCase().padStart(width * 2, '0');
}

/** The name of a value, or its hex form when unknown. */
export function enumName(table: NameTable, v: number, width: 1 | 2 = 2): string {
  return table[v] ?? hexValue(v, width);
}

/** `name (0x0303)`, or `0x1234` alone when unknown. */
export function enumDisplay(table: NameTable, v: number, width: 1 | 2 = 2): string {
  const n = table[v];
  return n ? `${n} (${hexValue(v, width)})` : `unknown (${hexValue(v, width)})`;
}
