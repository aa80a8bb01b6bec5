import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from './fields.ts';

describe('toHex', () => {
  it('is lower-case two digits per byte, for short and long inputs, and fromHex inverts it', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 3000 }), (b) => {
        const h = toHex(b);
        expect(h).toBe([...b].map((x) => x.toString(16).padStart(2, '0')).join(''));
        expect(fromHex(h)).toEqual(b);
      }),
      { numRuns: 300 },
    );
    expect(toHex(Uint8Array.from({ length: 256 }, (_, i) => i))).toMatch(/^000102.*fdfeff$/);
  });
});
