/** Every encoded envelope must validate against the Broadband Forum schemas (../shared/cwmp-xsd/validate). */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { message } from './arbitraries.ts';
import { encodeEnvelope, type CwmpNs } from './index.ts';
import { SAMPLE_MESSAGES } from './samples.ts';
import { haveXmllint, validateEnvelopes } from '../../../test/cwmp-xsd.ts';

const xmllint = haveXmllint('CWMP schema validation tests');

const dir = mkdtempSync(join(tmpdir(), 'cwmp-soap-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
function write(xml: string, name = 'env'): string {
  const f = join(dir, `${name}-${n++}.xml`);
  writeFileSync(f, xml);
  return f;
}
const validate = validateEnvelopes;

describe.skipIf(!xmllint)('schema validation (xmllint)', () => {
  for (const ns of ['1-0', '1-1', '1-2', '1-3', '1-4'] as CwmpNs[]) {
    it(`every sample message validates in cwmp-${ns}`, () => {
      const files = SAMPLE_MESSAGES.map((m, i) => write(encodeEnvelope(m, { ns, id: `v${i}`, holdRequests: i % 2 === 0 }), m.method));
      const r = validate(files);
      expect(r.out).not.toContain('fails to validate');
      expect(r.status).toBe(0);
    });
  }

  it('a misspelt RPC element fails (the validator really checks the Body)', () => {
    for (const ns of ['1-0', '1-2'] as CwmpNs[]) {
      const good = encodeEnvelope({ method: 'GetParameterValues', ParameterNames: ['Device.'] }, { ns, id: '1' });
      expect(validate([write(good)]).status).toBe(0);
      const bad = good.replaceAll('cwmp:GetParameterValues', 'cwmp:GetParameterValuez');
      const r = validate([write(bad, 'misspelt')]);
      expect(r.status).not.toBe(0);
      expect(r.out).toContain('GetParameterValuez');
    }
  });

  it('a misspelt argument and a bad OUI fail too', () => {
    const spv = encodeEnvelope(SAMPLE_MESSAGES.find((m) => m.method === 'SetParameterValues')!, { ns: '1-2', id: '1' });
    expect(validate([write(spv.replaceAll('ParameterKey>', 'ParamaterKey>'))]).status).not.toBe(0);
    const inform = encodeEnvelope(SAMPLE_MESSAGES[0]!, { ns: '1-0', id: '1' });
    expect(validate([write(inform.replace('<OUI>00D09E</OUI>', '<OUI>00d09e</OUI>'))]).status).not.toBe(0);
    // ...and xsd:base64 (no such XML Schema type) is why the encoder writes SOAP-ENC:base64
    expect(validate([write(inform.replace('xsi:type="SOAP-ENC:base64"', 'xsi:type="xsd:base64"'))]).status).not.toBe(0);
  });

  it('random messages validate in cwmp-1-0 and cwmp-1-2', () => {
    const msgs = fc.sample(message, { numRuns: 120, seed: 20240501 });
    const files = msgs.flatMap((m, i) => [
      write(encodeEnvelope(m, { ns: '1-0', id: `r${i}` }), 'rand10'),
      write(encodeEnvelope(m, { ns: '1-2', id: `r${i}` }), 'rand12'),
    ]);
    const r = validate(files);
    expect(r.out).toBe(files.map((f) => `${f} validates\n`).join(''));
    expect(r.status).toBe(0);
  });
});
