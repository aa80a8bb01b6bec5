import { describe, expect, it } from 'vitest';
import type { LabEvent, OutcomeEvent, SessionEventT } from '../../protocol/events.ts';
import { buildScenario } from '../../pki/faults/index.ts';
import { translate } from '../i18n/index.ts';
import { defaultSelection, errorDepth, findNode, realVerdict, sideModels, treeData } from './cert-view.ts';
import { loadFixture, type Fixture } from './testdata/load.ts';

/**
 * Real sessions (src/ui/lib/testdata: the engine's events, PEMs trimmed) with the certificates of
 * the same fault scenario put back into the session event, as a live session carries them.
 */
async function session(fixture: Fixture, faults: string[]): Promise<{ s: SessionEventT; events: LabEvent[]; outcome: OutcomeEvent | null }> {
  const events = loadFixture(fixture);
  const sc = await buildScenario(faults);
  const first = events[0]!;
  if (first.kind !== 'session') throw new Error('no session event');
  const s: SessionEventT = {
    ...first,
    startedAt: new Date().toISOString(),
    certificates: {
      cpe: { chain: [...sc.cpe.chain], trust: [...sc.cpe.trust], expectsPeerName: sc.acsHostname },
      acs: { chain: [...sc.acs.chain], trust: [...sc.acs.trust], expectsPeerName: null },
      ...(sc.attacker ? { attacker: { chain: [...sc.attacker.chain], trust: [], expectsPeerName: null } } : {}),
    },
  };
  const all = [s, ...events.slice(1)];
  const last = all[all.length - 1]!;
  return { s, events: all, outcome: last.kind === 'outcome' ? last : null };
}

const t = (key: string, params?: Record<string, string | number>) => translate('en', key, params);

describe('certificate view model', () => {
  it('acs-expired with OpenSSL: the CPE’s real verdict (10 at depth 0) sits on the ACS leaf, next to the browser’s validity ✕', async () => {
    const { s, events, outcome } = await session('acs-expired-openssl', ['acs-expired']);
    const models = sideModels(s, events, outcome, false);
    expect(models.map((m) => m.owner)).toEqual(['cpe', 'acs']);
    const acs = models.find((m) => m.owner === 'acs')!;
    expect(acs.verifier).toBe('cpe');
    expect(acs.real).toMatchObject({ state: 'fail', error: { name: 'X509_V_ERR_CERT_HAS_EXPIRED', code: 10, depth: 0 } });
    expect(acs.realDepth).toBe(0);
    expect(acs.report.path[0]!.checks.find((c) => c.id === 'validity')?.status).toBe('fail');
    // The ACS never verified the CPE: the CPE aborted first.
    const cpe = models.find((m) => m.owner === 'cpe')!;
    expect(cpe.real.state).toBe('notReached');
    expect(defaultSelection(models)).toBe('acs:0');

    const data = treeData(models, t, 'acs:0', 'OpenSSL');
    const acsSide = data.sides.find((x) => x.id === 'acs')!;
    expect(acsSide.root).toMatchObject({ role: 'root', anchor: true, status: 'pass' });
    expect(acsSide.root!.children[0]).toMatchObject({ id: 'acs:0', role: 'leaf', status: 'fail', realMark: 'OpenSSL: ✕ here' });
    expect(acsSide.title).toBe('ACS chain — verified by the CPE');
    expect(findNode(models, 'acs:1')?.node.role).toBe('root');
    expect(findNode(models, 'acs:7')).toBeNull();
  });

  it('Node’s hostname mismatch has no depth: it is pinned on the leaf', async () => {
    const { s, events, outcome } = await session('acs-hostname-mismatch', ['acs-hostname-mismatch']);
    const acs = sideModels(s, events, outcome, false).find((m) => m.owner === 'acs')!;
    expect(acs.real).toMatchObject({ state: 'fail', error: { name: 'X509_V_ERR_HOSTNAME_MISMATCH', depth: null } });
    expect(acs.realDepth).toBe(0);
    expect(acs.report.path[0]!.checks.find((c) => c.id === 'hostname')?.status).toBe('fail');
  });

  it('a man in the middle with verification off: the CPE’s verdict is about the attacker, and it was ignored', async () => {
    const { s, events, outcome } = await session('mitm-verify-off', ['mitm-verify-off']);
    const acs = sideModels(s, events, outcome, false).find((m) => m.owner === 'acs')!;
    expect(acs.aboutAttacker).toBe(true);
    expect(acs.real.state).toBe('ignored');
    expect(acs.realDepth).toBeNull();
  });

  it('a man in the middle with its own CA: the attacker’s chain sits between CPE and ACS, with the CPE’s real verdict on it', async () => {
    const { s, events, outcome } = await session('mitm-openssl', ['mitm']);
    const models = sideModels(s, events, outcome, false);
    expect(models.map((m) => `${m.owner}<${m.verifier}`)).toEqual(['cpe<acs', 'attacker<cpe', 'acs<cpe']);
    const attacker = models.find((m) => m.owner === 'attacker')!;
    // What OpenSSL's CPE said (unable to get the local issuer, depth 0) is about this chain, and the browser agrees.
    expect(attacker.real).toMatchObject({ state: 'fail', error: { name: 'X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY', depth: 0 } });
    expect(attacker.realDepth).toBe(0);
    expect(attacker.aboutAttacker).toBe(false);
    expect(attacker.report.ok).toBe(false);
    // The real ACS chain is fine; the CPE never saw it.
    const acs = models.find((m) => m.owner === 'acs')!;
    expect(acs.aboutAttacker).toBe(true);
    expect(acs.realDepth).toBeNull();
    expect(acs.report.ok).toBe(true);
    expect(defaultSelection(models)).toBe('attacker:0');
    const data = treeData(models, t, 'attacker:0', 'OpenSSL');
    expect(data.sides.map((x) => x.id)).toEqual(['cpe', 'attacker', 'acs']);
    expect(data.sides[1]!.title).toBe('Attacker’s chain — shown to the CPE as the ACS');
    expect(findNode(models, 'attacker:0')?.model.owner).toBe('attacker');
  });

  it('while running: the endpoint’s verify event is the verdict; before it, pending', async () => {
    const { events } = await session('acs-expired-openssl', ['acs-expired']);
    const upTo = (seq: number) => events.filter((e) => e.seq <= seq);
    const verifySeq = events.find((e) => e.kind === 'endpoint' && e.what === 'verify')!.seq;
    expect(realVerdict('cpe', upTo(verifySeq - 1), null, true)).toEqual({ state: 'pending' });
    expect(realVerdict('cpe', upTo(verifySeq), null, true)).toMatchObject({ state: 'fail', error: { code: 10 } });
    expect(realVerdict('cpe', [], null, false)).toEqual({ state: 'none' });
    expect(errorDepth({ state: 'ok' })).toBeNull();
  });

  it('the correct session: both chains pass, and every string used exists in English and Chinese', async () => {
    const { s, events } = await session('acs-hostname-mismatch', []);
    const models = sideModels(s, events, null, false);
    for (const m of models) expect(m.report.ok).toBe(true);
    const keys = new Set<string>();
    const spy = (key: string, params?: Record<string, string | number>) => {
      keys.add(key);
      return t(key, params);
    };
    treeData(models, spy, null, 'Node.js');
    for (const m of models) for (const n of m.report.path) for (const c of n.checks) keys.add(c.reason);
    for (const k of keys) {
      expect(translate('en', k), k).not.toMatch(/⟦/);
      expect(translate('zh', k), k).not.toMatch(/⟦/);
    }
  });
});
