import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importCapture } from '../../capture/import.ts';
import type { LabEvent } from '../../protocol/events.ts';
import { writePcapng } from '../../protocol/pcapng.ts';
import { closeLabKeyPool, labMaterial } from '../../server/material.ts';
import { resolveConfig } from '../../server/modes.ts';
import { runSession, sessionPcapng, type SessionResult } from '../../server/session.ts';
import { closeSharedWireHost } from '../../server/wire/host.ts';
import { hasKey } from '../i18n/index.ts';
import { createLabStore, messagesOf } from '../store.ts';
import { CaptureImportError, errorKey, type openCaptureFile } from './capture-client.ts';
import { openCapture } from './capture-open.ts';

/**
 * A pcapng written from a real session, read by the capture importer (what the worker runs), then
 * opened by the page: the same messages as the live run, the capture's notices in words.
 */
let live: SessionResult;
beforeAll(async () => {
  live = await runSession(resolveConfig({ cwmp: false }), await labMaterial());
}, 60_000);
afterAll(async () => {
  await closeLabKeyPool();
  await closeSharedWireHost();
});

const file = (name: string, bytes: Uint8Array) => new File([bytes as Uint8Array<ArrayBuffer>], name);

/** Stands in for the worker round trip: the same importer, called directly. */
const viaImporter =
  (progress: number[] = []): typeof openCaptureFile =>
  async (f, _keylog, options) => {
    options?.onProgress?.({ bytes: 1, total: 2, packets: 1, fraction: 0.5 });
    progress.push(0.5);
    return importCapture(new Uint8Array(await f.arrayBuffer()), { name: f.name }).sessions;
  };

const names = (events: LabEvent[]) => messagesOf(events).map((m) => `${m.from}>${m.to}:${m.name}`);

describe('opening a capture', () => {
  it('a pcapng with its key log embedded: one session, the same messages as the live run, nothing unexplained', async () => {
    const store = createLabStore();
    store.getState().setReducedMotion(true);
    const seen: (string | null)[] = [];
    store.subscribe((s, p) => {
      if (s.importing !== p.importing) seen.push(s.importing ? `${s.importing.name}@${s.importing.fraction}` : null);
    });
    const sessions = await openCapture(store, file('lab.pcapng', sessionPcapng(live)), undefined, 'run', viaImporter());
    expect(sessions).toHaveLength(1);
    expect(seen).toEqual(['lab.pcapng@0', 'lab.pcapng@0.5', null]);
    const st = store.getState();
    const s = st.sessions[st.current!]!;
    expect(s).toMatchObject({ source: 'capture', label: 'lab.pcapng', status: 'ended' });
    expect(s.unknown).toContain('config.verifier');
    expect(names(s.events)).toEqual(names(live.events));
    expect(messagesOf(s.events).filter((m) => m.encrypted).every((m) => m.decrypted)).toBe(true);
    expect(st.notices.map((n) => n.key)).toEqual(['capture.imported']);
    expect(st.notices[0]!.params).toMatchObject({ name: 'lab.pcapng', sessions: 1 });
  }, 30_000);

  it('without keys: the handshake is shown, and the page says which records stay encrypted', async () => {
    const store = createLabStore();
    store.getState().setReducedMotion(true);
    const bare = writePcapng({ connections: live.wire.connections.map((c) => ({ client: { ip: c.client.address, port: c.client.port }, server: { ip: c.server.address, port: c.server.port }, events: c.events })) });
    await openCapture(store, file('nokeys.pcapng', bare), undefined, 'step', viaImporter());
    const st = store.getState();
    const noKeys = st.notices.filter((n) => n.key === 'capture.notice.NO_KEYS');
    expect(noKeys).toHaveLength(1);
    expect(hasKey(noKeys[0]!.key!)).toBe(true);
    expect(Number(noKeys[0]!.params?.records)).toBeGreaterThan(0);
    // Step mode: opened at the prelude, one record per step.
    const s = st.sessions[st.current!]!;
    expect(s.mode).toBe('step');
    expect(messagesOf(s.events)).toHaveLength(0);
  }, 30_000);

  it('a file it cannot read: the importer’s reason, in words, naming the file', async () => {
    const store = createLabStore();
    const refuse: typeof openCaptureFile = async () => {
      throw new CaptureImportError('ERR_TRUNCATED_CAPTURE', errorKey('ERR_TRUNCATED_CAPTURE', { unit: 'packet', index: 7 }), { unit: 'packet', index: 7 }, 'packet 7 is cut short');
    };
    expect(await openCapture(store, file('cut.pcap', new Uint8Array([0xd4, 0xc3, 0xb2, 0xa1])), undefined, 'run', refuse)).toEqual([]);
    const n = store.getState().notices[0]!;
    expect(n).toMatchObject({ type: 'error', key: 'capture.error.ERR_TRUNCATED_CAPTURE.packet', detail: 'packet 7 is cut short' });
    expect(n.params).toMatchObject({ name: 'cut.pcap', index: 7 });
    expect(hasKey(n.key!)).toBe(true);
    expect(store.getState().importing).toBeNull();
    expect(store.getState().order).toEqual([]);
  });
});
