/** The catalogue as data: ids, texts, rules; lookup errors; patch merging, conflicts and the cache. */
import { afterAll, describe, expect, it } from 'vitest';
import { KeyPool } from '../keys.ts';
import { buildScenario, mergePatches } from './build.ts';
import { FAULTS, FaultError, getFault, listFaults } from './catalog.ts';

const REQUIRED_IDS = [
  'acs-expired', 'cpe-expired', 'acs-not-yet-valid', 'cpe-not-yet-valid', 'root-expired',
  'acs-self-signed', 'cpe-self-signed', 'acs-unknown-ca', 'cpe-unknown-ca', 'acs-incomplete-chain',
  'cpe-trusts-intermediate-only', 'acs-impostor-ca', 'acs-hostname-mismatch', 'acs-san-wrong-cn-right',
  'acs-cn-only', 'acs-ip-url', 'cpe-identity-mismatch', 'cpe-wrong-eku', 'acs-wrong-eku',
  'acs-ku-no-digital-signature', 'intermediate-not-ca', 'intermediate-no-keycertsign', 'pathlen-exceeded',
  'acs-unknown-critical-extension', 'name-constraints-violation', 'acs-bad-signature', 'acs-sha1-signature',
  'acs-md5-signature', 'acs-rsa-1024', 'acs-rsa-512', 'cpe-revoked', 'crl-expired', 'crl-missing',
  'cpe-no-certificate', 'cpe-key-mismatch', 'tls-version-mismatch', 'no-common-cipher', 'mitm', 'mitm-verify-off',
];

const HAN = /[\u4e00-\u9fff]/;

describe('fault catalogue', () => {
  it('has every required id, unique and kebab-case', () => {
    const ids = FAULTS.map((f) => f.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    expect([...ids].sort()).toEqual([...REQUIRED_IDS].sort());
    expect(listFaults()).toBe(FAULTS);
  });

  it.each(FAULTS.map((f) => [f.id, f] as const))('%s has en + zh title/explanation/fix, a rule and a patch', (_id, f) => {
    for (const t of [f.title, f.explanation, f.fix]) {
      expect(t.en.trim().length).toBeGreaterThan(5);
      expect(t.zh.trim().length).toBeGreaterThan(3);
      expect(t.zh).toMatch(HAN);
      expect(t.zh).not.toBe(t.en);
    }
    expect(f.explanation.en.length).toBeGreaterThan(80);
    expect(f.rule).toMatch(/RFC \d+|TR-069 Amendment 6 §3\.(3|4\.4)|NIST|CA\/Browser/);
    expect(Object.keys(f.patch).length).toBeGreaterThan(0);
    expect(['validity', 'trust', 'identity', 'purpose', 'signature', 'revocation', 'handshake', 'attacker']).toContain(f.group);
    expect(Object.isFrozen(f.patch)).toBe(true);
  });

  it('getFault finds ids and rejects unknown ones with the closest suggestions', () => {
    expect(getFault('acs-expired').group).toBe('validity');
    let err: unknown;
    try {
      getFault('acs-expird');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(FaultError);
    expect((err as FaultError).code).toBe('ERR_UNKNOWN_FAULT');
    expect((err as FaultError).message).toContain('"acs-expird"');
    expect((err as FaultError).message).toContain('acs-expired');
  });

  it('merges compatible patches and rejects contradictory ones naming both faults', () => {
    const merged = mergePatches([getFault('acs-expired'), getFault('acs-wrong-eku')]);
    expect(merged.acsLeaf).toEqual({ notBeforeDays: -366, notAfterDays: -1, extKeyUsage: ['clientAuth'] });
    expect(mergePatches([getFault('mitm'), getFault('mitm-verify-off')])).toEqual({ attacker: true, tls: { cpe: { verifyPeer: false } } });
    for (const [a, b] of [['acs-self-signed', 'acs-unknown-ca'], ['acs-expired', 'acs-not-yet-valid'], ['acs-cn-only', 'acs-hostname-mismatch']] as const) {
      expect(() => mergePatches([getFault(a), getFault(b)])).toThrow(FaultError);
      try {
        mergePatches([getFault(a), getFault(b)]);
      } catch (e) {
        expect((e as FaultError).code).toBe('ERR_FAULT_CONFLICT');
        expect((e as FaultError).message).toContain(a);
        expect((e as FaultError).message).toContain(b);
        expect((e as FaultError).faultIds).toEqual([a, b]);
      }
    }
  });
});

describe('buildScenario errors and cache', () => {
  /** Counts keys taken, to prove nothing is generated for a rejected combination. */
  class CountingPool extends KeyPool {
    taken = 0;
    override take(bits?: number) {
      this.taken++;
      return super.take(bits);
    }
  }
  const pool = new CountingPool({ size: 2 });
  afterAll(() => pool.close());

  it('unknown ids and conflicts reject with typed errors, generating nothing', async () => {
    await expect(buildScenario(['nope'], { pool })).rejects.toMatchObject({ code: 'ERR_UNKNOWN_FAULT' });
    const now = new Date('2030-01-01T00:00:00Z'); // a clock nobody else uses: nothing cached
    await expect(buildScenario(['acs-self-signed', 'acs-unknown-ca'], { pool, now })).rejects.toMatchObject({
      code: 'ERR_FAULT_CONFLICT',
      message: expect.stringMatching(/acs-self-signed.*acs-unknown-ca/),
    });
    expect(pool.taken).toBe(0);
  });

  it('serves a repeated fault set from the cache (< 5 ms), whatever the order', async () => {
    const first = await buildScenario(['acs-expired', 'acs-wrong-eku'], { pool });
    expect(pool.taken).toBeGreaterThan(0);
    const taken = pool.taken;
    const t0 = performance.now();
    const again = await buildScenario(['acs-wrong-eku', 'acs-expired'], { pool });
    const ms = performance.now() - t0;
    expect(ms).toBeLessThan(5);
    expect(pool.taken).toBe(taken);
    expect(again.acs.chain).toBe(first.acs.chain);
    expect(again.faults).toEqual(['acs-wrong-eku', 'acs-expired']);
    expect(first.faults).toEqual(['acs-expired', 'acs-wrong-eku']);
  });

  it('the correct scenario: lab root, both leaves, root-only trust, no overrides', async () => {
    const s = await buildScenario([], { pool });
    expect(s.acsHostname).toBe('acs.lab.test');
    expect(s.expectedCpeId).toBe('00D09E-HL0001');
    expect(s.tls).toEqual({ acs: {}, cpe: {} });
    expect(s.attacker).toBeNull();
    expect(s.acs.chain).toHaveLength(1);
    expect(s.cpe.chain).toHaveLength(1);
    expect(s.acs.trust).toEqual(s.cpe.trust);
    expect(s.acs.crls).toBeUndefined();
    // unchanged certificates are shared with faulted scenarios
    const f = await buildScenario(['acs-expired'], { pool });
    expect(f.cpe.chain[0]).toBe(s.cpe.chain[0]);
    expect(f.acs.chain[0]).not.toBe(s.acs.chain[0]);
    expect(f.cpe.trust).toEqual(s.cpe.trust);
  });

  it('builds every fault once, then the whole catalogue again from the cache', async () => {
    const now = new Date(Date.UTC(2031, 0, 1)); // a fresh clock: nothing cached yet
    const t0 = performance.now();
    await Promise.all(FAULTS.map((f) => buildScenario([f.id], { pool, now })));
    const cold = performance.now() - t0;
    expect(cold).toBeLessThan(30_000);
    const t1 = performance.now();
    for (let round = 0; round < 4; round++) for (const f of FAULTS) await buildScenario([f.id], { pool, now });
    expect(performance.now() - t1).toBeLessThan(100);
  });
});
