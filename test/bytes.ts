/** Byte helpers shared by the parser tests. */
export { concat } from '../src/protocol/tls/keyschedule.ts';

/** Splits `bytes` at the given cut points (taken modulo length + 1, deduplicated, sorted). */
export function chunk(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let prev = 0;
  for (const p of [...points, bytes.length]) {
    out.push(bytes.subarray(prev, p));
    prev = p;
  }
  return out;
}
