import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CwmpFault, DataModel, validateValue, type SetParameterValueInput } from './index.ts';

const ID = { manufacturer: 'Handshake Lab', oui: '00259E', productClass: 'HL-AX3000', serialNumber: 'HL0001' };
const fresh = () => new DataModel(ID, { now: () => 1_700_000_000_000 });
const NAMES = fresh().parameterNames();

const nameArb = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...NAMES) },
  { weight: 1, arbitrary: fc.constantFrom('Device.', 'Device.WiFi.SSID.1.', 'Device.WiFi.SSID.99.SSID', 'Device.Nope', '', 'Device.WiFi.SSID.{i}.SSID') },
  { weight: 1, arbitrary: fc.string() },
);
const valueArb = fc.oneof(
  fc.constantFrom('', 'true', 'false', '0', '1', '6', '36', '-1', '65536', '4294967296', 'WPA2-Personal', 'None',
    'HandshakeLab', 'g,n', 'a,b,zz', '2025-01-01T00:00:00Z', '192.168.1.9', '00112233445566778899aabbccddeeff', 'x'.repeat(300)),
  fc.string({ maxLength: 40 }),
  fc.integer({ min: -10, max: 70000 }).map(String),
);
const typeArb = fc.option(
  fc.constantFrom('xsd:string', 'xsd:unsignedInt', 'xsd:int', 'xsd:boolean', 'xsd:dateTime', 'xsd:hexBinary', 'xsd:base64', 'bogus'),
  { nil: undefined },
);
const entryArb: fc.Arbitrary<SetParameterValueInput> = fc
  .record({ name: nameArb, value: valueArb, type: typeArb })
  .map(({ name, value, type }) => (type === undefined ? { name, value } : { name, value, type }));

describe('SetParameterValues properties', () => {
  it('only CwmpFault escapes, and a failed call changes nothing; a successful one applies every value', () => {
    const m = fresh();
    const outcomes = { ok: 0, fault: 0 };
    fc.assert(
      fc.property(fc.array(entryArb, { maxLength: 6 }), fc.string({ maxLength: 40 }), (list, key) => {
        const before = m.snapshot();
        let ok = false;
        try {
          const r = m.setParameterValues(list, key);
          expect(r.status).toBe(0);
          ok = true;
        } catch (e) {
          expect(e).toBeInstanceOf(CwmpFault);
          const f = e as CwmpFault;
          expect(f.code).toBe(9003);
          for (const d of f.details ?? []) expect([9005, 9006, 9007, 9008]).toContain(d.code);
          expect(m.snapshot()).toEqual(before);
        }
        outcomes[ok ? 'ok' : 'fault']++;
        if (ok) {
          const after = m.snapshot();
          expect(after.values['Device.ManagementServer.ParameterKey']).toBe(key);
          for (const e of list) {
            const def = m.definition(e.name)!;
            const v = validateValue(def, e.value);
            expect(v.ok).toBe(true);
            if (v.ok) expect(after.values[e.name]).toBe(v.value);
          }
          // Only the listed names (and ParameterKey) changed.
          const touched = new Set([...list.map((e) => e.name), 'Device.ManagementServer.ParameterKey']);
          for (const [k, v] of Object.entries(before.values)) if (!touched.has(k)) expect(after.values[k]).toBe(v);
          expect(after.instances).toEqual(before.instances);
        }
      }),
      { numRuns: 500 },
    );
    // Both branches must actually be exercised.
    expect(outcomes.ok).toBeGreaterThan(10);
    expect(outcomes.fault).toBeGreaterThan(10);
  });

  it('writable parameters accept their own current value back (GPV → SPV round trip)', () => {
    const m = fresh();
    const writable = m.getParameterNames('', false).filter((i) => i.writable && !i.name.endsWith('.')).map((i) => i.name);
    const visible = m.getParameterValues(writable).filter((p) => !m.definition(p.name)!.hidden);
    fc.assert(
      fc.property(fc.subarray(visible, { minLength: 1, maxLength: 10 }), (sub) => {
        const before = m.snapshot();
        m.setParameterValues(sub.map((p) => ({ name: p.name, value: p.value, type: `xsd:${p.type}` })), 'rt');
        expect(m.snapshot().values).toEqual({ ...before.values, 'Device.ManagementServer.ParameterKey': 'rt' });
      }),
      { numRuns: 200 },
    );
  });

  it('random Add/Delete sequences keep every NumberOfEntries equal to the instance count', () => {
    const tables = ['Device.WiFi.SSID.', 'Device.WiFi.AccessPoint.', 'Device.IP.Interface.', 'Device.ManagementServer.InformParameter.'];
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), fc.constantFrom(...tables), fc.nat(12)), { maxLength: 30 }), (ops) => {
        const m = fresh();
        for (const [add, t, n] of ops) {
          try {
            if (add) m.addObject(t, 'k');
            else m.deleteObject(`${t}${n}.`, 'k');
          } catch (e) {
            expect(e).toBeInstanceOf(CwmpFault);
            expect([9004, 9005]).toContain((e as CwmpFault).code);
          }
        }
        const counts = m.getParameterValues(['Device.']).filter((p) => p.name.endsWith('NumberOfEntries'));
        for (const c of counts) {
          const table = c.name.replace(/NumberOfEntries$/, '.');
          expect(m.getParameterNames(table, true), c.name).toHaveLength(Number(c.value));
        }
      }),
      { numRuns: 200 },
    );
  });
});
