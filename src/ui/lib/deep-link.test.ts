import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETUP, type Setup } from '../store.ts';
import { decodeSetup, encodeSetup, unknownFaults } from './deep-link.ts';
import { startConfig, suitesFor } from './setup.ts';

const faultId = fc.stringMatching(/^[a-z0-9]{1,8}(-[a-z0-9]{1,8}){0,3}$/);
const setupArb: fc.Arbitrary<Setup> = fc.record({
  preset: fc.constantFrom('tls13', 'tls12', 'paper') as fc.Arbitrary<Setup['preset']>,
  cipher: fc.option(fc.constantFrom('TLS_AES_128_GCM_SHA256', 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384', 'TLS_RSA_WITH_AES_128_GCM_SHA256'), { nil: null }),
  faults: fc.uniqueArray(faultId, { maxLength: 5 }),
  verifier: fc.constantFrom('node', 'openssl') as fc.Arbitrary<Setup['verifier']>,
  mode: fc.constantFrom('run', 'step') as fc.Arbitrary<Setup['mode']>,
});

describe('deep links', () => {
  it('the example from the issue', () => {
    const { setup, present, problems } = decodeSetup('#tls=1.3&faults=acs-expired&verifier=openssl&mode=run');
    expect(present).toBe(true);
    expect(problems).toEqual([]);
    expect(setup).toEqual({ preset: 'tls13', cipher: null, faults: ['acs-expired'], verifier: 'openssl', mode: 'run' });
    expect(encodeSetup(setup)).toBe('tls=1.3&faults=acs-expired&verifier=openssl&mode=run');
  });

  it('round trip: decode(encode(s)) = s for every setup, fault order kept', () => {
    fc.assert(
      fc.property(setupArb, (s) => {
        const back = decodeSetup(`#${encodeSetup(s)}`);
        expect(back.problems).toEqual([]);
        expect(back.setup).toEqual(s);
      }),
      { numRuns: 300 },
    );
  });

  it('an empty hash is no link: defaults, nothing to apply', () => {
    expect(decodeSetup('')).toEqual({ setup: DEFAULT_SETUP, present: false, problems: [] });
    expect(decodeSetup('#')).toMatchObject({ present: false });
  });

  it('paper mode: tls=paper, or the CLI-like tls=1.2&kx=rsa, or paper=1', () => {
    expect(decodeSetup('tls=paper').setup.preset).toBe('paper');
    expect(decodeSetup('tls=1.2&kx=rsa').setup.preset).toBe('paper');
    expect(decodeSetup('tls=1.2&paper=1').setup.preset).toBe('paper');
    expect(decodeSetup('tls=1.2&kx=ecdhe').setup.preset).toBe('tls12');
  });

  it('bad parts are reported one by one and ignored; the good parts still apply', () => {
    const { setup, problems } = decodeSetup('#tls=1.4&faults=acs-expired,BAD ID,,cpe-expired&verifier=gnutls&mode=run&colour=red&cipher=%E0%A4%A');
    expect(setup).toEqual({ preset: 'tls13', cipher: null, faults: ['acs-expired', 'cpe-expired'], verifier: 'node', mode: 'run' });
    expect(problems).toEqual([
      { key: 'link.badValue', params: { name: 'tls', value: '1.4' } },
      { key: 'link.badFault', params: { value: 'BAD ID' } },
      { key: 'link.badValue', params: { name: 'verifier', value: 'gnutls' } },
      { key: 'link.unknownPart', params: { name: 'colour' } },
      { key: 'link.badValue', params: { name: 'cipher', value: '%E0%A4%A' } },
    ]);
  });

  it('TLS 1.3 has no static RSA: kx=rsa with tls=1.3 is reported, not silently turned into paper mode', () => {
    const { setup, problems } = decodeSetup('tls=1.3&kx=rsa');
    expect(setup.preset).toBe('tls13');
    expect(problems).toEqual([{ key: 'link.badValue', params: { name: 'kx', value: 'rsa' } }]);
  });

  it('unknownFaults names the ids a catalog does not have', () => {
    expect(unknownFaults({ ...DEFAULT_SETUP, faults: ['acs-expired', 'nope'] }, ['acs-expired'])).toEqual(['nope']);
  });
});

describe('setup → start message', () => {
  const catalog = {
    faults: [],
    rpcScripts: [],
    verifiers: ['node', 'openssl'] as ('node' | 'openssl')[],
    suites: [
      { iana: 'TLS_AES_128_GCM_SHA256', openssl: 'TLS_AES_128_GCM_SHA256', tls: '1.3' as const, kx: 'ecdhe' as const },
      { iana: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', openssl: 'ECDHE-RSA-AES128-GCM-SHA256', tls: '1.2' as const, kx: 'ecdhe' as const },
      { iana: 'TLS_RSA_WITH_AES_128_GCM_SHA256', openssl: 'AES128-GCM-SHA256', tls: '1.2' as const, kx: 'rsa' as const },
    ],
  };
  it('presets map to tls/kx/paper; a cipher of another mode is not sent', () => {
    expect(startConfig({ ...DEFAULT_SETUP, preset: 'paper', faults: ['acs-expired'] }, catalog)).toEqual({ tls: '1.2', kx: 'rsa', paper: true, faults: ['acs-expired'], verifier: 'node', mode: 'run' });
    expect(startConfig({ ...DEFAULT_SETUP, preset: 'tls12', cipher: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256' }, catalog).cipher).toBe('TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256');
    expect(startConfig({ ...DEFAULT_SETUP, preset: 'tls13', cipher: 'TLS_RSA_WITH_AES_128_GCM_SHA256' }, catalog).cipher).toBeUndefined();
    expect(suitesFor(catalog, 'tls12').map((s) => s.iana)).toEqual(['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256']);
  });
});
