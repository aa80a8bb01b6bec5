import { afterAll, describe, expect, it } from 'vitest';
import { parseTranscript } from '../../protocol/transcript.ts';
import { closeLabKeyPool, labMaterial } from '../../server/material.ts';
import { resolveConfig } from '../../server/modes.ts';
import { runSession, sessionPcapng } from '../../server/session.ts';
import { sessionTranscript } from '../../server/transcript.ts';
import { closeSharedWireHost } from '../../server/wire/host.ts';
import { certificatesPem, exportFile, fileStem, sessionEventOf } from './downloads.ts';
import { transcriptPcapng } from './transcript-pcapng.ts';

afterAll(async () => {
  await closeLabKeyPool();
  await closeSharedWireHost();
});

describe('downloads from a real session', () => {
  it('a transcript file replayed with no service exports the same pcapng bytes the service writes, and both chains as PEM', async () => {
    const r = await runSession(resolveConfig({ cwmp: false }), await labMaterial());
    expect(r.outcome.ok).toBe(true);
    // What the user saves and opens again: JSON text through the same parser the page uses.
    const t = parseTranscript(JSON.stringify(sessionTranscript(r)));
    const mine = transcriptPcapng(t);
    expect(Buffer.from(mine).equals(Buffer.from(sessionPcapng(r)))).toBe(true);

    const ev = sessionEventOf(t.events)!;
    const pem = certificatesPem(ev);
    const blocks = pem.match(/-----BEGIN CERTIFICATE-----/g) ?? [];
    const expected = ev.certificates.acs.chain.length + ev.certificates.acs.trust.length + ev.certificates.cpe.chain.length + ev.certificates.cpe.trust.length;
    expect(blocks.length).toBe(expected);
    expect(expected).toBeGreaterThanOrEqual(4);
    expect(pem).toContain('# ACS chain [0] (leaf)');
    expect(pem).toContain('# CPE trust anchor [0]');
    expect(pem).not.toContain('ATTACKER');
    // With a man in the middle, the bundle also holds what the attacker showed the CPE.
    const withAttacker = { ...ev, certificates: { ...ev.certificates, attacker: { chain: [ev.certificates.acs.chain[0]!], trust: [], expectsPeerName: null } } };
    expect(certificatesPem(withAttacker)).toContain('# ATTACKER chain [0] (leaf)');
    expect((certificatesPem(withAttacker).match(/-----BEGIN CERTIFICATE-----/g) ?? []).length).toBe(expected + 1);
  }, 60_000);

  it('export messages become files: base64 pcapng decoded, key log and transcript as text', () => {
    const p = exportFile({ type: 'export', session: 's', format: 'pcapng', filename: 'a.pcapng', base64: 'Cg0NCg==' });
    expect(p.name).toBe('a.pcapng');
    expect([...(p.data as Uint8Array)]).toEqual([0x0a, 0x0d, 0x0d, 0x0a]);
    expect(exportFile({ type: 'export', session: 's', format: 'keylog', filename: 'k.keys', text: 'CLIENT_RANDOM a b\n' }).data).toBe('CLIENT_RANDOM a b\n');
    expect(fileStem('ab/c d:e')).toBe('handshake-lab-ab_c_d_e');
  });
});
