/** Malformed input never raises anything but SoapError; generated messages round-trip. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { message } from './arbitraries.ts';
import { SoapError, decodeEnvelope, encodeEnvelope, type CwmpNs } from './index.ts';
import { SAMPLE_MESSAGES } from './samples.ts';

/** Decode and report: 'ok', or the SoapError code. Anything else thrown fails the property. */
function outcome(input: string | Uint8Array): string {
  try {
    decodeEnvelope(input);
    return 'ok';
  } catch (e) {
    if (!(e instanceof SoapError)) throw new Error(`non-SoapError thrown: ${String(e)}`);
    expect(typeof e.code).toBe('string');
    return e.code;
  }
}

const envelopes = SAMPLE_MESSAGES.flatMap((m, i) => [
  encodeEnvelope(m, { ns: '1-0', id: String(i) }),
  encodeEnvelope(m, { ns: '1-2', id: String(i), pretty: false }),
]);

describe('fuzz', () => {
  it('random strings give SoapError or a message', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (s) => void outcome(s)), { numRuns: 2000 });
  });

  it('random bytes give SoapError or a message', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (b) => void outcome(b)), { numRuns: 2000 });
  });

  it('XML-ish random strings give SoapError or a message', () => {
    const token = fc.constantFrom('<', '>', '/', '=', '"', "'", '&', ';', '&amp;', '&#', 'x', ':', ' ', '<!--', '-->', '<![CDATA[', ']]>',
      '<?xml version="1.0"?>', '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/">', '</s:Envelope>', '<s:Body>',
      '</s:Body>', 'xmlns:c="urn:dslforum-org:cwmp-1-0"', '<c:Inform>', '</c:Inform>', '<c:Reboot>', '</c:Reboot>', '<CommandKey>',
      '</CommandKey>', '<s:Fault>', '</s:Fault>', '<detail>', '<!DOCTYPE', '__proto__', 'constructor', '<__proto__>', '</__proto__>');
    fc.assert(fc.property(fc.array(token, { maxLength: 60 }), (ts) => void outcome(ts.join(''))), { numRuns: 3000 });
  });

  it('every truncation of an envelope is a SoapError', () => {
    for (const xml of envelopes) {
      // Every proper prefix of an envelope is incomplete XML.
      for (let cut = 0; cut < xml.length - '</SOAP-ENV:Envelope>'.length; cut += 7) {
        const r = outcome(xml.slice(0, cut));
        expect(r, `cut at ${cut}`).not.toBe('ok');
      }
    }
  });

  it('random single-character mutations of real envelopes give SoapError or a message', () => {
    const arb = fc.record({
      i: fc.nat({ max: envelopes.length - 1 }),
      at: fc.nat(),
      del: fc.nat({ max: 5 }),
      ins: fc.string({ unit: 'binary', maxLength: 3 }),
    });
    fc.assert(fc.property(arb, ({ i, at, del, ins }) => {
      const xml = envelopes[i]!;
      const p = at % xml.length;
      void outcome(xml.slice(0, p) + ins + xml.slice(p + del));
    }), { numRuns: 3000 });
  });

  it('deep nesting is an error, not a crash', () => {
    const deep = '<a>'.repeat(5000) + '</a>'.repeat(5000);
    expect(outcome(deep)).toBe('ERR_NOT_XML');
  });
});

describe('generated messages round-trip', () => {
  for (const ns of ['1-0', '1-2'] as CwmpNs[]) {
    it(`in cwmp-${ns}`, () => {
      fc.assert(fc.property(message, fc.string({ maxLength: 10 }), (m, id) => {
        const d = decodeEnvelope(encodeEnvelope(m, { ns, id }));
        expect(d.rpc).toEqual(m);
        expect(d.id).toBe(id);
      }), { numRuns: 400 });
    });
  }
});
