// @vitest-environment jsdom
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encodeEnvelope } from '../../cwmp/soap/index.ts';
import { SAMPLE_MESSAGES } from '../../cwmp/soap/samples.ts';
import { EVENT_SCHEMA_VERSION, LabEvent, type MessageEvent } from '../../protocol/events.ts';
import { TlsConnectionAnalyzer, type AnalyzedMessage, type Peer } from '../../protocol/tls/connection.ts';
import { fromHex, toHex, type Field } from '../../protocol/tls/fields.ts';
import { KeyLogStore, parseKeyLog } from '../../protocol/tls/keylog.ts';
import { nodeCrypto } from '../../server/crypto-node.ts';
import { initialState, labStore } from '../store.ts';
import { handleKey } from '../lib/keyboard.ts';
import { Inspector } from './Inspector.tsx';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

/** Message events exactly as the engine makes them, from a recorded live session (decrypted with its key log). */
function messagesOf(mode: string): MessageEvent[] {
  const f = JSON.parse(readFileSync(join(import.meta.dirname, '../../../test/fixtures', `wire-${mode}.json`), 'utf8')) as {
    keyLog: string;
    chunks: { from: Peer; t: number; hex: string }[];
  };
  const keys = new KeyLogStore();
  for (const e of parseKeyLog(f.keyLog).entries) keys.add(e);
  const out: AnalyzedMessage[] = [];
  const a = new TlsConnectionAnalyzer(nodeCrypto, keys, { message: (m) => out.push(m), error: () => {} });
  for (const c of f.chunks) a.feed(c.from, fromHex(c.hex), c.t);
  const party = (p: Peer) => (p === 'client' ? 'cpe' : 'acs');
  return out.map((m, i) =>
    LabEvent.parse({
      v: EVENT_SCHEMA_VERSION,
      seq: i + 1,
      t: m.t,
      kind: 'message',
      conn: 0,
      name: m.name,
      from: party(m.from),
      to: party(m.from === 'client' ? 'server' : 'client'),
      record: m.record,
      encrypted: m.encrypted,
      decrypted: m.decrypted,
      flight: 1,
      summary: m.summary,
      fields: m.fields,
      hex: toHex(m.bytes),
      ...(m.alert ? { alert: m.alert } : {}),
      ...(m.error ? { error: m.error } : {}),
    }) as MessageEvent,
  );
}

const tls13 = messagesOf('tls13-aes128gcm');

let root: Root;
let host: HTMLElement;

function show(events: LabEvent[], seq: number, lang: 'en' | 'zh' = 'en') {
  act(() => {
    labStore.setState({
      ...initialState(lang),
      sessions: { s: { id: 's', source: 'transcript', label: 's', config: null, mode: 'run', events, held: [], status: 'ended', endReason: 'finished' } },
      order: ['s'],
      current: 's',
      selected: seq,
    });
  });
}

beforeEach(() => {
  host = document.createElement('div');
  document.body.appendChild(host);
  root = createRoot(host);
  act(() => root.render(<Inspector />));
});
afterEach(() => {
  act(() => root.unmount());
  host.remove();
  act(() => labStore.setState(initialState()));
});

const q = <E extends Element = HTMLElement>(sel: string) => host.querySelector<E & HTMLElement>(sel);
const rows = () => [...host.querySelectorAll<HTMLElement>('[data-testid="field"]')];
const row = (name: string) => rows().find((r) => r.dataset.name === name);
const highlighted = () => [...host.querySelectorAll<HTMLElement>('[data-testid="hex"] .hex .hl')].map((s) => Number(s.dataset.offset));
const range = (start: number, n: number) => Array.from({ length: n }, (_, i) => start + i);
function find(fields: Field[], name: string): Field | undefined {
  for (const f of fields) {
    if (f.name === name) return f;
    const c = find(f.children ?? [], name);
    if (c) return c;
  }
  return undefined;
}

describe('Inspector', () => {
  it('enlarged, it is a modal dialog: the page behind is inert and takes no shortcuts; closing restores both and the focus', () => {
    const before = document.createElement('button');
    before.textContent = 'a control of the page';
    document.body.insertBefore(before, host);
    try {
      const ch = tls13.find((m) => m.name === 'ClientHello')!;
      show(tls13, ch.seq);
      const open = q<HTMLButtonElement>('[data-testid="inspector-expand"]')!;
      open.focus();
      act(() => open.click());
      expect(q('[data-testid="inspector"]')!.getAttribute('aria-modal')).toBe('true');
      expect(before.inert).toBe(true);
      expect(document.activeElement).toBe(q('[data-testid="inspector-close"]'));
      // Space would step the session: not while the dialog is open.
      const space = new KeyboardEvent('keydown', { key: ' ', bubbles: true, cancelable: true });
      expect(handleKey(space)).toBe(false);
      act(() => window.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape' })));
      expect(q('[data-testid="inspector"]')!.getAttribute('aria-modal')).toBeNull();
      expect(before.inert).toBe(false);
      expect(document.activeElement).toBe(q('[data-testid="inspector-expand"]'));
    } finally {
      before.remove();
    }
  });

  it('says what to do when nothing is selected', () => {
    expect(q('[data-testid="inspector"]')!.textContent).toMatch(/Click a message/);
    expect(q('[data-testid="hex"]')).toBeNull();
  });

  it('shows a TLS message: header, record, lock, field rows with their offsets, hex rows', () => {
    const ch = tls13.find((m) => m.name === 'ClientHello')!;
    show(tls13, ch.seq);
    expect(q('[data-testid="inspector-name"]')!.textContent).toBe('ClientHello');
    expect(q('[data-testid="inspector-lock"]')!.dataset.lock).toBe('plain');
    expect(q('.insp-record')!.textContent).toContain('handshake (22)');
    expect(q('.insp-record')!.textContent).toContain(ch.record.header.slice(0, 2));
    const random = find(ch.fields, 'random')!;
    const r = row('random')!;
    expect(Number(r.dataset.offset)).toBe(random.start);
    expect(Number(r.dataset.length)).toBe(32);
    expect(q('[role="tree"]')).not.toBeNull();
    expect(host.querySelectorAll('[data-testid="hex"] .hexrow').length).toBeGreaterThan(3);
    expect(host.querySelectorAll('[data-testid="hex"] .hex [data-offset]').length).toBeGreaterThan(64);
  });

  it('hovering a field highlights exactly its bytes (from the parser offsets) and explains it', () => {
    const ch = tls13.find((m) => m.name === 'ClientHello')!;
    show(tls13, ch.seq);
    const random = find(ch.fields, 'random')!;
    act(() => row('random')!.dispatchEvent(new MouseEvent('mouseover', { bubbles: true })));
    expect(highlighted()).toEqual(range(random.start, random.end - random.start));
    expect(labStore.getState().hover).toEqual({ start: random.start, end: random.end });
    expect(row('random')!.getAttribute('aria-selected')).toBe('true');
    const doc = q('[data-testid="field-doc"]')!.textContent!;
    expect(doc).toContain('32 fresh random bytes');
    expect(doc).toContain('RFC 8446 §4.1.2');
    act(() => q('[role="tree"]')!.dispatchEvent(new MouseEvent('mouseout', { bubbles: true, relatedTarget: document.body })));
  });

  it('hovering a byte finds the deepest field holding it and opens the tree to it', () => {
    const ch = tls13.find((m) => m.name === 'ClientHello')!;
    show(tls13, ch.seq);
    const sni = find(ch.fields, 'host_name')!;
    expect(row('host_name')).toBeUndefined(); // collapsed at first
    const byte = sni.end - 1;
    act(() => q(`[data-testid="hex"] .hex [data-offset="${byte}"]`)!.dispatchEvent(new MouseEvent('mouseover', { bubbles: true })));
    const r = row('host_name')!;
    expect(r).toBeDefined();
    expect(r.getAttribute('aria-selected')).toBe('true');
    expect(highlighted()).toEqual(range(sni.start, sni.end - sni.start));
    expect(row('server_name')!.getAttribute('aria-expanded')).toBe('true');
  });

  it('is keyboard navigable: arrows move between rows and highlight, Right opens, Left goes back', () => {
    const ch = tls13.find((m) => m.name === 'ClientHello')!;
    show(tls13, ch.seq);
    const tree = q('[role="tree"]')!;
    const first = rows()[0]!;
    expect(first.tabIndex).toBe(0);
    const key = (k: string) => act(() => tree.dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true })));
    key('ArrowDown');
    expect(labStore.getState().hover).toEqual({ start: ch.fields[1]!.start, end: ch.fields[1]!.end });
    key('End');
    const ext = ch.fields[ch.fields.length - 1]!;
    expect(ext.name).toBe('extensions');
    expect(labStore.getState().hover).toEqual({ start: ext.start, end: ext.end });
    key('ArrowRight');
    expect(row('extensions')!.getAttribute('aria-expanded')).toBe('true');
    key('ArrowRight');
    expect(labStore.getState().hover).toEqual({ start: ext.children![0]!.start, end: ext.children![0]!.end });
    key('ArrowLeft');
    expect(labStore.getState().hover).toEqual({ start: ext.start, end: ext.end });
    key('ArrowLeft');
    expect(row('extensions')!.getAttribute('aria-expanded')).toBe('false');
  });

  it('a several-KB decrypted Certificate renders only a window of hex rows', () => {
    const cert = tls13.filter((m) => m.name === 'Certificate').sort((a, b) => b.hex.length - a.hex.length)[0]!;
    expect(cert.hex.length / 2).toBeGreaterThan(1500);
    show(tls13, cert.seq);
    expect(q('[data-testid="inspector-lock"]')!.dataset.lock).toBe('decrypted');
    const total = Math.ceil(cert.hex.length / 2 / 16);
    expect(host.querySelectorAll('[data-testid="hex"] .hexrow').length).toBeLessThan(total);
    // Hovering the last certificate's node scrolls the hex view and paints its bytes.
    const entries = find(cert.fields, 'certificate_list')!.children!.filter((c) => c.name === 'CertificateEntry');
    const last = entries[entries.length - 1]!;
    act(() => labStore.getState().setHover({ start: last.start, end: last.end }));
    expect(highlighted()[0]).toBe(last.start);
  });

  it('the language switch translates the inspector', () => {
    const ch = tls13.find((m) => m.name === 'ClientHello')!;
    show(tls13, ch.seq, 'zh');
    expect(q('.insp-lock')!.textContent).toMatch(/明文/);
    act(() => row('random')!.dispatchEvent(new MouseEvent('mouseover', { bubbles: true })));
    expect(q('[data-testid="field-doc"]')!.textContent).toMatch(/随机数/);
  });

  it('CWMP: the pretty-printed envelope with colouring and the rpc summary', () => {
    const xml = encodeEnvelope(SAMPLE_MESSAGES[0]!, { ns: '1-2', id: 'lab-1' });
    const ev = LabEvent.parse({ v: 1, seq: 5, t: 12, kind: 'cwmp', conn: 0, from: 'cpe', to: 'acs', rpc: 'Inform', id: 'lab-1', ns: '1-2', summary: 'Inform 1 BOOT, M Reboot', xml });
    show([ev], 5);
    expect(q('[data-testid="inspector-name"]')!.textContent).toBe('CWMP Inform');
    expect(q('.insp-summary')!.textContent).toContain('1 BOOT');
    const lines = host.querySelectorAll('.xml-line');
    expect(lines.length).toBeGreaterThan(30);
    expect([...host.querySelectorAll('.x-tag')].map((s) => s.textContent)).toContain('cwmp:Inform');
    expect(q('[data-testid="cwmp-xml"]')!.textContent).toContain('1.2.3 &lt;beta&gt; &amp; "rc"');
  });

  it('CWMP that is not XML is shown as received, with why', () => {
    const ev = LabEvent.parse({ v: 1, seq: 5, t: 12, kind: 'cwmp', conn: 0, from: 'cpe', to: 'acs', rpc: 'Inform', id: null, ns: '1-2', summary: '', xml: '<a><b></a>' });
    show([ev], 5);
    expect(q('.insp-error')!.textContent).toMatch(/not well-formed/);
    expect(q('[data-testid="cwmp-xml"]')!.textContent).toBe('<a><b></a>');
  });

  it('HTTP: start line and headers; plain TCP is flagged', () => {
    const ev = LabEvent.parse({
      v: 1, seq: 3, t: 5, kind: 'http', conn: 1, from: 'acs', to: 'cpe', request: { method: 'GET', path: '/cr' },
      headers: [{ name: 'Host', value: '127.0.0.1:7547' }, { name: 'Authorization', value: 'Digest username="acs"' }], bodyLength: 0, plain: true,
    });
    show([ev], 3);
    expect(q('.insp-startline')!.textContent).toBe('GET /cr HTTP/1.1');
    expect([...host.querySelectorAll('.kv-table th')].map((th) => th.textContent)).toEqual(['Host', 'Authorization']);
    expect(q('.insp-lock')!.textContent).toMatch(/not protected/);
  });

  it('endpoint events show their facts, the verify error included', () => {
    const ev = LabEvent.parse({
      v: 1, seq: 9, t: 30, kind: 'endpoint', side: 'cpe', what: 'verify',
      verifyError: { name: 'X509_V_ERR_CERT_HAS_EXPIRED', code: 10, depth: 0, text: 'certificate has expired' },
    });
    show([ev], 9);
    expect(q('[data-testid="inspector"]')!.textContent).toContain('X509_V_ERR_CERT_HAS_EXPIRED (10)');
    expect(q('[data-testid="inspector"]')!.textContent).toContain('rejected the peer');
  });
});
