import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listFaults } from '../../pki/faults/index.ts';
import { BLOCK_SHB } from '../../protocol/pcapng.ts';
import { fromBase64, parseTranscript, TranscriptSchema } from '../../protocol/transcript.ts';
import { requireTool } from '../../../test/tools.ts';
import { LAB_SUITES } from '../modes.ts';
import { transcriptKeyLog, transcriptPcapng, transcriptResult } from '../transcript.ts';
import { LabClient, ServerError } from './client.ts';
import { RPC_SCRIPTS } from './catalog.ts';
import { startGateway, type Gateway } from './server.ts';
import { shutdown } from './test-helpers.ts';

let gw: Gateway;
let c: LabClient;
beforeAll(async () => {
  gw = await startGateway({ port: 0, limits: { startsPerMinute: 1000 } });
  c = await LabClient.connect(gw.wsUrl);
});
afterAll(async () => {
  await c?.close();
  await shutdown(gw);
});

describe('exports of a finished session', () => {
  it('TLS 1.3: pcapng (SHB magic), key log with the 1.3 secrets, a transcript that validates and rebuilds the same pcapng', async () => {
    const r = await c.run({ tls: '1.3' });
    expect(r.endReason).toBe('finished');

    const p = await c.export(r.session, 'pcapng');
    expect(p.filename).toBe(`handshake-lab-${r.session}.pcapng`);
    const pcap = fromBase64(p.base64);
    expect(new DataView(pcap.buffer, pcap.byteOffset).getUint32(0, true)).toBe(BLOCK_SHB); // 0x0A0D0D0A
    expect(new DataView(pcap.buffer, pcap.byteOffset).getUint32(8, true)).toBe(0x1a2b3c4d); // byte-order magic

    const k = await c.export(r.session, 'keylog');
    for (const label of ['CLIENT_HANDSHAKE_TRAFFIC_SECRET', 'SERVER_HANDSHAKE_TRAFFIC_SECRET', 'CLIENT_TRAFFIC_SECRET_0', 'SERVER_TRAFFIC_SECRET_0']) {
      expect(k.text).toMatch(new RegExp(`^${label} [0-9a-f]{64} [0-9a-f]{64,96}$`, 'm'));
    }

    const t = await c.export(r.session, 'transcript');
    expect(t.filename).toBe(`handshake-lab-${r.session}.transcript.json`);
    expect(TranscriptSchema.safeParse(t.transcript).success).toBe(true);
    const text = JSON.stringify(t.transcript);
    const back = parseTranscript(text); // what the UI does with a transcript file
    expect(back.events).toEqual(r.events); // exactly the events the client saw live
    expect(back.keyLog).toBe(k.text);
    expect(back.events[0]).toMatchObject({ kind: 'session' });
    expect(transcriptResult(back).outcome.ok).toBe(true);
    // pcapng and key log from the transcript are the same as the server's exports
    expect(Buffer.from(transcriptPcapng(back)).equals(Buffer.from(pcap))).toBe(true);
    expect(transcriptKeyLog(back)).toBe(k.text);
  });

  it('TLS 1.2 (paper mode): CLIENT_RANDOM key log; tshark decrypts the pcapng', async () => {
    const r = await c.run({ paper: true, cwmp: false });
    const k = await c.export(r.session, 'keylog');
    expect(k.text).toMatch(/^CLIENT_RANDOM [0-9a-f]{64} [0-9a-f]{96}$/m);
    const p = await c.export(r.session, 'pcapng');
    if (!requireTool('tshark', 'tshark', 'tshark reading the exported pcapng', ['-v'])) return;
    const dir = mkdtempSync(path.join(tmpdir(), 'hl-export-'));
    try {
      const file = path.join(dir, 's.pcapng');
      writeFileSync(file, fromBase64(p.base64));
      const out = execFileSync('tshark', ['-r', file, '-Y', 'http', '-T', 'fields', '-e', 'http.request.method', '-e', 'http.response.code'], { encoding: 'utf8' });
      expect(out).toMatch(/POST/); // only visible decrypted: the key log travels in the file
      expect(out).toMatch(/200/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('export of a session this connection does not have: unknown_session; not kept forever: only the last 16', async () => {
    const other = await LabClient.connect(gw.wsUrl);
    const r = await c.run({ tls: '1.3', cwmp: false });
    await expect(other.export(r.session, 'keylog')).rejects.toMatchObject({ reply: { code: 'unknown_session', field: 'session', session: r.session } });
    await other.close();
    const runs = [];
    for (let i = 0; i < 17; i++) runs.push(await c.run({ tls: '1.3', cwmp: false }));
    await expect(c.export(runs[0]!.session, 'keylog')).rejects.toBeInstanceOf(ServerError);
    expect((await c.export(runs[1]!.session, 'keylog')).text).toContain('CLIENT_HANDSHAKE_TRAFFIC_SECRET');
  });
});

describe('catalog and configurations', () => {
  it('lists every fault in both languages, the suites, the RPC scripts and the verifiers', async () => {
    const cat = await c.catalog();
    expect(cat.faults.map((f) => f.id)).toEqual(listFaults().map((f) => f.id));
    const f = cat.faults.find((x) => x.id === 'acs-expired')!;
    expect(f.title.zh.length).toBeGreaterThan(0);
    expect(f.rule).toContain('RFC 5280');
    expect(cat.suites.map((s) => s.iana)).toEqual(LAB_SUITES.map((s) => s.iana));
    expect(cat.rpcScripts.map((s) => s.id)).toContain('default');
    expect(cat.verifiers).toContain('node');
  });

  it('every offered RPC script runs a real CWMP session to its end', async () => {
    for (const s of RPC_SCRIPTS) {
      const r = await c.run({ rpcs: s.rpcs });
      expect(r.events.at(-1), s.id).toMatchObject({ kind: 'outcome', ok: true });
      expect(r.events.some((e) => e.kind === 'cwmp'), s.id).toBe(true);
    }
  });

  it('a started session reports the resolved configuration and mode; events stream in order', async () => {
    const r = await c.run({ tls: '1.2', kx: 'ecdhe', cipher: 'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256', cwmp: false, faults: ['acs-expired'] });
    expect(r.started.mode).toBe('run');
    expect(r.started.config).toMatchObject({ tls: '1.2', kx: 'ecdhe', cipher: 'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256', faults: ['acs-expired'], verifier: 'node', cwmp: false });
    expect(r.events.map((e) => e.seq)).toEqual(r.events.map((_, i) => i));
    expect(r.events[0]).toMatchObject({ kind: 'session', config: r.started.config });
    expect(r.events.at(-1)).toMatchObject({ kind: 'outcome', ok: false });
    expect(r.endReason).toBe('finished');
  });

  it('bad configurations name the field: cipher, kx, cwmp with openssl', async () => {
    await expect(c.start({ cipher: 'TLS_NOPE' })).rejects.toMatchObject({ reply: { code: 'bad_config', field: 'config.cipher' } });
    await expect(c.start({ tls: '1.3', cipher: 'TLS_RSA_WITH_AES_128_GCM_SHA256' })).rejects.toMatchObject({ reply: { code: 'bad_config', field: 'config.cipher' } });
    await expect(c.start({ verifier: 'openssl', cwmp: true })).rejects.toMatchObject({ reply: { code: 'bad_config', field: 'config.cwmp' } });
    await expect(c.start({ faults: ['cpe-expired', 'cpe-not-yet-valid'] })).rejects.toMatchObject({ reply: { code: 'fault_conflict', field: 'config.faults[1]' } });
    // the message is written for a web client: no CLI flag spelling
    await expect(c.start({ tls: '1.3', kx: 'rsa' })).rejects.toSatisfy((e: ServerError) => !e.reply.message.includes('--'));
  });
});
