import { describe, expect, it } from 'vitest';
import { createLabStore, messagesOf } from '../store.ts';
import { openFiles, setCaptureOpener, sniff } from './open-files.ts';
import { loadFixture } from './testdata/load.ts';

const bytes = (...xs: number[]) => new Uint8Array(xs);
const text = (s: string) => new TextEncoder().encode(s);
const file = (name: string, content: string | Uint8Array) => Object.assign(new Blob([content as BlobPart]), { name });

describe('sniff', () => {
  it('pcapng and pcap (both byte orders, µs and ns) by magic number', () => {
    expect(sniff(bytes(0x0a, 0x0d, 0x0d, 0x0a, 0x1c, 0, 0, 0))).toBe('capture');
    expect(sniff(bytes(0xd4, 0xc3, 0xb2, 0xa1))).toBe('capture');
    expect(sniff(bytes(0xa1, 0xb2, 0xc3, 0xd4))).toBe('capture');
    expect(sniff(bytes(0x4d, 0x3c, 0xb2, 0xa1))).toBe('capture');
  });
  it('JSON (with BOM or leading space) is a transcript candidate; key logs by their labels; the rest unknown', () => {
    expect(sniff(text('{"format":"handshake-lab-transcript"'))).toBe('transcript');
    expect(sniff(bytes(0xef, 0xbb, 0xbf, 0x20, 0x0a, 0x7b))).toBe('transcript');
    expect(sniff(text('# SSL/TLS secrets log file\nCLIENT_RANDOM 00 11\n'))).toBe('keylog');
    expect(sniff(text('SERVER_HANDSHAKE_TRAFFIC_SECRET aa bb\n'))).toBe('keylog');
    expect(sniff(text('<html>'))).toBe('unknown');
    expect(sniff(bytes(0x50, 0x4b, 3, 4))).toBe('unknown');
    expect(sniff(bytes())).toBe('empty');
  });
});

describe('openFiles', () => {
  it('a file that is no transcript gets a specific message; nothing is added', async () => {
    const store = createLabStore();
    await openFiles([file('notes.json', '{"hello": 1}'), file('x.bin', bytes(1, 2, 3)), file('empty.json', ''), file('keys.log', 'CLIENT_RANDOM aa bb\n')], store);
    const n = store.getState().notices;
    expect(n.map((x) => [x.key, x.params?.name])).toEqual([
      ['files.unknown', 'x.bin'],
      ['files.empty', 'empty.json'],
      ['files.keylogAlone', 'keys.log'],
      ['files.badTranscript', 'notes.json'],
    ]);
    expect(n[3]!.params?.code).toBe('ERR_TRANSCRIPT_FORMAT');
    expect(store.getState().order).toEqual([]);
  });

  it('a damaged transcript says where it is damaged', async () => {
    const store = createLabStore();
    const events = loadFixture('paper');
    const doc = { format: 'handshake-lab-transcript', version: 1, createdAt: 'x', generator: 'test', events: [...events.slice(0, 3), { ...events[3], seq: 'three' }], keyLog: '', wire: { startEpochUs: 0, connections: [] } };
    await openFiles([file('broken.json', JSON.stringify(doc))], store);
    const n = store.getState().notices[0]!;
    expect(n.params?.code).toBe('ERR_TRANSCRIPT_SCHEMA');
    expect(n.detail).toContain('events.3');
  });

  it('a valid transcript becomes a replayed session with the file name as its label', async () => {
    const store = createLabStore();
    store.getState().setReducedMotion(true); // everything at once
    const events = loadFixture('paper');
    const doc = { format: 'handshake-lab-transcript', version: 1, createdAt: new Date().toISOString(), generator: 'test', events, keyLog: '', wire: { startEpochUs: 0, connections: [] } };
    await openFiles([file('paper.json', JSON.stringify(doc))], store);
    const st = store.getState();
    expect(st.notices).toEqual([]);
    const s = st.sessions[st.current!]!;
    expect(s).toMatchObject({ source: 'transcript', label: 'paper.json', status: 'ended', endReason: 'finished' });
    expect(messagesOf(s.events).map((m) => m.name)).toEqual(messagesOf(events).map((m) => m.name));
  });

  it('a capture goes to the importer with its key log (any order, any name) and the current pace', async () => {
    const store = createLabStore();
    store.getState().setSetup({ mode: 'step' });
    const calls: string[] = [];
    setCaptureOpener(async (_s, capture, keylog, mode) => {
      calls.push(`${capture.name}+${keylog?.name ?? '-'}:${mode}`);
    });
    try {
      await openFiles([file('secrets.txt', 'CLIENT_RANDOM aa bb\n'), file('home.cap', bytes(0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0))], store);
      await openFiles([file('a.pcapng', bytes(0x0a, 0x0d, 0x0d, 0x0a)), file('b.pcapng', bytes(0x0a, 0x0d, 0x0d, 0x0a))], store);
    } finally {
      setCaptureOpener(null);
    }
    expect(calls).toEqual(['home.cap+secrets.txt:step', 'a.pcapng+-:step']);
    expect(store.getState().notices.map((n) => n.key)).toEqual(['files.oneCapture']);
  });
});
