import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import type { LabEvent } from '../../protocol/events.ts';
import { translate, type Lang } from '../i18n/index.ts';
import { arrowText, captureLines, connections, displayWidth, endpointMessage, heldView, ladderModel, markText, messageKind, plainText, spacedName, type LadderArrow, type LadderMark } from './frames.ts';
import { loadFixture, type Fixture } from './testdata/load.ts';

// Fixtures are real sessions recorded by `npx tsx src/ui/lib/testdata/regen.ts` (see that file).
const FIXTURES: Fixture[] = ['tls13-connection-request', 'paper', 'acs-expired-openssl', 'acs-hostname-mismatch', 'mitm-verify-off'];
const en = (k: string, p?: Record<string, string | number>) => translate('en', k, p);
const tr = (lang: Lang) => (k: string, p?: Record<string, string | number>) => translate(lang, k, p);

const arrows = (events: LabEvent[]) => ladderModel(events).rows.filter((r): r is LadderArrow => r.type === 'arrow');
const marks = (events: LabEvent[]) => ladderModel(events).rows.filter((r): r is LadderMark => r.type === 'mark');
/** The Info column of frame lines (after the Len column). */
const infos = (events: LabEvent[]) => captureLines(events, en).filter((l) => l.frame !== null).map((l) => l.segs.slice(5).map((s) => s.text).join(''));

describe('names and kinds', () => {
  test('spaced like Wireshark', () => {
    expect(spacedName('ServerHelloDone')).toBe('Server Hello Done');
    expect(spacedName('ChangeCipherSpec')).toBe('Change Cipher Spec');
    expect(spacedName('EncryptedHandshakeMessage')).toBe('Encrypted Handshake Message');
  });
  test('kinds', () => {
    expect(messageKind('HelloRetryRequest')).toBe('hello');
    expect(messageKind('CertificateVerify')).toBe('certificate');
    expect(messageKind('NewSessionTicket')).toBe('keyExchange');
    expect(messageKind('ServerHelloDone')).toBe('keyExchange');
    expect(messageKind('EncryptedAlert')).toBe('alert');
    expect(messageKind('EncryptedHandshakeMessage')).toBe('other');
  });
  test('CJK takes two cells', () => {
    expect(displayWidth('序号')).toBe(4);
    expect(displayWidth('No. →')).toBe(5);
  });
  test('OpenSSL error strings shortened to their reason', () => {
    expect(endpointMessage('C0A63B09C87F0000:error:0A0000C7:SSL routines:tls_process_client_certificate:peer did not return a certificate:../deps/openssl/ssl/statem/statem_srvr.c:3517:')).toBe('peer did not return a certificate');
    expect(endpointMessage('socket hang up\nmore')).toBe('socket hang up');
  });
});

describe('capture lines (real sessions)', () => {
  test("paper mode: frames group each sender's segment like the seed paper's capture", () => {
    const ev = loadFixture('paper');
    const info = infos(ev);
    expect(info).toContain('Server Hello, Certificate, Certificate Request, Server Hello Done');
    expect(info).toContain('Certificate, Client Key Exchange, Certificate Verify, Change Cipher Spec, Finished');
    expect(info).toContain('Change Cipher Spec, Finished');
    expect(info[0]).toMatch(/^\[SYN\] \[SYN, ACK\] \[ACK\]/);
    const lines = captureLines(ev, en);
    const serverFlight = lines.find((l) => l.text.includes('Server Hello, Certificate'))!;
    // Length = the four records on the wire, header included.
    const recs = ev.filter((e) => e.kind === 'message' && e.flight === 2 && e.conn === 0);
    const len = recs.reduce((n, e) => n + (e.kind === 'message' ? e.record.length + 5 : 0), 0);
    expect(serverFlight.text).toMatch(new RegExp(`ACS:\\d+ → CPE\\s+TLSv1\\.2\\s+${len}\\s`));
    // Decrypted application data is shown as the HTTP it carried, CWMP named.
    expect(info).toContain('POST / HTTP/1.1 (CWMP Inform)');
    expect(info).toContain('HTTP/1.1 200 OK (CWMP InformResponse)');
    expect(lines.at(-1)!.text).toMatch(/^✔ OK {2}/);
  });

  test('application data that is not HTTP is a note in words, not an error; other pipeline errors stay errors', () => {
    const base = loadFixture('paper').filter((e) => e.kind !== 'outcome');
    const next = base.length;
    const t = base.at(-1)!.t;
    const ev: LabEvent[] = [
      ...base,
      { v: 1, seq: next, t: t + 1, kind: 'error', from: 'cpe', code: 'ERR_NOT_HTTP', message: 'the application data is not HTTP/1.1 (it begins "ping")' },
      { v: 1, seq: next + 1, t: t + 2, kind: 'error', from: 'acs', code: 'ERR_HTTP_BAD_HEADER', message: 'bad header' },
    ];
    const lines = captureLines(ev, en).slice(-2);
    expect(lines[0]!.text).toMatch(/^ +\d+\.\d{6} {2}ⓘ the CPE’s application data is not HTTP\/1\.1: shown as TLS records only$/);
    expect(lines[0]!.segs.map((g) => g.style)).not.toContain('error');
    expect(lines[1]!.text).toMatch(/ {2}! ERR_HTTP_BAD_HEADER: bad header$/);
    expect(captureLines(ev, (k, p) => translate('zh', k, p)).at(-2)!.text).toMatch(/ⓘ CPE 的应用数据不是 HTTP\/1\.1：只按 TLS 记录显示$/);
  });

  test('frame numbers run 1..n; times start at 0 and never go back', () => {
    for (const f of FIXTURES) {
      const frames = captureLines(loadFixture(f), en).filter((l) => l.frame !== null);
      expect(frames.map((l) => l.frame)).toEqual(frames.map((_, i) => i + 1));
      const times = frames.map((l) => Number(l.segs[1]!.text));
      expect(times[0]).toBe(0);
      for (let i = 1; i < times.length; i++) expect(times[i]!).toBeGreaterThanOrEqual(times[i - 1]!);
    }
  });

  test('alerts red, the verifier note, the failed outcome', () => {
    const lines = captureLines(loadFixture('acs-expired-openssl'), en);
    const alert = lines.find((l) => l.text.includes('Alert ('))!;
    expect(alert.text).toContain('CPE → ACS');
    expect(alert.text).toContain('Alert (Level: Fatal, Description: Certificate Expired)');
    expect(alert.segs.find((s) => s.text.startsWith('Alert'))!.style).toBe('alert');
    expect(lines.some((l) => l.frame === null && l.segs.some((s) => s.style === 'warn' && s.text.includes('X509_V_ERR_CERT_HAS_EXPIRED (10)')))).toBe(true);
    expect(lines.at(-1)!.segs[0]).toEqual({ text: '✘ FAILED  ', style: 'fail' });
    // The outcome in words, in the user's language, with the verifier's own error name
    expect(lines.at(-1)!.text).toMatch(/^✘ FAILED {2}The CPE aborted with a fatal alert: certificate_expired \(45\)\. \(X509_V_ERR_CERT_HAS_EXPIRED: certificate has expired\)$/);
    const zh = captureLines(loadFixture('acs-expired-openssl'), (k, p) => translate('zh', k, p)).at(-1)!.text;
    expect(zh).toContain('告警并中止：certificate_expired（45）');
    expect(zh).toContain('(X509_V_ERR_CERT_HAS_EXPIRED: certificate has expired)');
    expect(zh).not.toMatch(/aborted|closed the connection/);
    // a success names what was negotiated
    expect(captureLines(loadFixture('tls13-connection-request'), en).at(-1)!.text).toMatch(/^✔ OK {2}Both sides verified each other; .* TLS 1\.3 · TLS_AES_128_GCM_SHA256$/);
  });

  test('the Connection Request: plain HTTP lines from the ACS, its TCP connections', () => {
    const lines = captureLines(loadFixture('tls13-connection-request'), en);
    const syn = lines.filter((l) => l.text.includes('[SYN]'));
    expect(syn).toHaveLength(4);
    expect(syn.filter((l) => /ACS → CPE\s/.test(l.text))).toHaveLength(2);
    const gets = lines.filter((l) => /\bGET \/cr\//.test(l.text));
    expect(gets).toHaveLength(2);
    for (const g of gets) expect(g.text).toMatch(/ACS → CPE\s+HTTP\s/);
    expect(lines.some((l) => /CPE → ACS\s+HTTP\s+HTTP\/1\.1 401 Unauthorized/.test(l.text))).toBe(true);
    expect(lines.filter((l) => l.text.includes('[FIN, ACK]')).length).toBe(8);
  });

  test('attacker: frames between the CPE and the MITM, then the MITM and the ACS', () => {
    const text = plainText(captureLines(loadFixture('mitm-verify-off'), en));
    expect(text).toMatch(/CPE → MITM\s+TLSv1\.3\s+\d+\s+Client Hello/);
    expect(text).toMatch(/MITM → ACS:\d+\s+TLSv1\.3\s+\d+\s+Client Hello/);
    expect(text).toMatch(/ACS:\d+ → MITM\s+TLSv1\.3\s+\d+\s+Alert \(Level: Fatal, Description: Certificate Required\)/);
  });

  test('the last frame is open while it may still grow, and grows when its HTTP arrives', () => {
    const ev = loadFixture('paper');
    const i = ev.findIndex((e) => e.kind === 'message' && e.name === 'ApplicationData');
    const before = captureLines(ev.slice(0, i + 1), en);
    expect(before.at(-1)!.open).toBe(true);
    expect(before.at(-1)!.text).toMatch(/Application Data$/);
    const after = captureLines(ev.slice(0, i + 3), en);
    expect(after.length).toBe(before.length);
    expect(after.at(-1)!.text).toMatch(/POST \/ HTTP\/1\.1 \(CWMP Inform\)$/);
    // Earlier lines never change as events arrive.
    expect(after.slice(0, -1).map((l) => l.text)).toEqual(before.slice(0, -1).map((l) => l.text));
    expect(captureLines(ev, en).filter((l) => l.open)).toHaveLength(0);
  });

  test('both languages: every string translated, the columns line up in 中文 too', () => {
    for (const lang of ['en', 'zh'] as const) {
      for (const f of FIXTURES) {
        const text = plainText(captureLines(loadFixture(f), tr(lang)));
        expect(text).not.toContain('⟦');
      }
      const lines = captureLines(loadFixture('paper'), tr(lang));
      const header = lines[2]!.text;
      const frame = lines.find((l) => l.text.includes('Client Hello'))!.text;
      const infoCol = (s: string, word: string) => displayWidth(s.slice(0, s.indexOf(word)));
      expect(infoCol(header, translate(lang, 'terminal.col.info'))).toBe(infoCol(frame, 'Client Hello'));
    }
    expect(plainText(captureLines(loadFixture('paper'), tr('zh')))).toContain('连接 #0 已建立');
  });

  test('plain text is one line per entry', () => {
    const lines = captureLines(loadFixture('acs-hostname-mismatch'), en);
    expect(plainText(lines).split('\n')).toHaveLength(lines.length + 1);
    expect(plainText([])).toBe('');
  });
});

describe('ladder model (real sessions)', () => {
  test('paper mode: the TLS arrows are the golden sequence, per side', () => {
    const golden = JSON.parse(readFileSync(new URL('../../../test/golden/paper.json', import.meta.url), 'utf8')) as { cpe: string[]; acs: string[] };
    const tls = arrows(loadFixture('paper')).filter((a) => a.layer === 'tls');
    const named = (a: LadderArrow) => (a.text.alert ? `${a.name}(${a.text.alert.description})` : a.name);
    expect(tls.filter((a) => a.from === 'cpe').map(named)).toEqual(golden.cpe);
    expect(tls.filter((a) => a.from === 'acs').map(named)).toEqual(golden.acs);
    for (const a of tls) expect(a.to).toBe(a.from === 'cpe' ? 'acs' : 'cpe');
  });

  test('locks: plaintext, decrypted', () => {
    const tls = arrows(loadFixture('tls13-connection-request')).filter((a) => a.layer === 'tls');
    expect(tls.find((a) => a.name === 'ClientHello')!.lock).toBe('none');
    expect(tls.find((a) => a.name === 'EncryptedExtensions')!.lock).toBe('open');
    expect(tls.find((a) => a.name === 'ChangeCipherSpec')!.lock).toBe('none');
  });

  test('flights grouped per connection', () => {
    const m = ladderModel(loadFixture('paper'));
    const f2 = m.flights.find((f) => f.conn === 0 && f.flight === 2)!;
    expect(f2.from).toBe('acs');
    expect(f2.count).toBe(4);
    expect(m.rows[f2.first]!.type === 'arrow' && (m.rows[f2.first] as LadderArrow).name).toBe('ServerHello');
    expect((m.rows[f2.last] as LadderArrow).name).toBe('ServerHelloDone');
  });

  test('HTTP and CWMP arrows with their labels; the Connection Request on its own lane', () => {
    const ev = loadFixture('tls13-connection-request');
    const m = ladderModel(ev);
    expect(m.crLane).toBe(true);
    expect(m.parties).toEqual(['cpe', 'acs']);
    const a = arrows(ev);
    const post = a.find((x) => x.name === 'HTTP POST')!;
    expect(arrowText(post, en).label).toBe('POST / (Inform)');
    expect(arrowText(a.find((x) => x.name === 'HTTP 200')!, en).label).toBe('HTTP 200 OK (InformResponse)');
    expect(a.filter((x) => x.name === 'HTTP POST').map((x) => arrowText(x, en).label)).toContain('POST / (empty)');
    expect(a.find((x) => x.name === 'Inform')!.layer).toBe('cwmp');
    const cr = m.rows.filter((r) => r.lane === 'cr');
    expect(cr.length).toBeGreaterThan(0);
    for (const r of cr) expect([1, 2]).toContain(r.conn);
    const crArrows = cr.filter((r): r is LadderArrow => r.type === 'arrow');
    expect(crArrows.map((r) => r.name)).toEqual(['HTTP GET', 'HTTP 401', 'HTTP GET', 'HTTP 200']);
    expect(crArrows[0]!.from).toBe('acs');
    expect(arrowText(crArrows[1]!, en).detail).toBe('WWW-Authenticate: Digest');
    expect(arrowText(crArrows[1]!, en).aria).toContain('plain HTTP, no TLS');
    // TLS connections (0 and 3) stay on the main lane, TCP marks included.
    for (const r of m.rows) if (r.conn === 0 || r.conn === 3) expect(r.lane).toBe('main');
    expect(marks(ev).filter((k) => k.mark === 'open').map((k) => `${k.conn}:${k.party}:${k.lane}`)).toEqual(['0:cpe:main', '1:acs:cr', '2:acs:cr', '3:cpe:main']);
  });

  test('an alert abort puts the ✕ on the alert from the side that aborted', () => {
    const a = arrows(loadFixture('acs-expired-openssl'));
    const alert = a.find((x) => x.name === 'Alert')!;
    expect(alert.from).toBe('cpe');
    expect(alert.kind).toBe('alert');
    expect(alert.aborted).toBe(true);
    expect(arrowText(alert, en).label).toBe('Alert: certificate_expired');
    expect(arrowText(alert, en).aria).toContain('aborted the session');
    expect(a.filter((x) => x.aborted)).toHaveLength(1);
  });

  test('a close without alert marks the FIN of the side that closed', () => {
    const ev = loadFixture('acs-hostname-mismatch');
    const ms = marks(ev);
    const hit = ms.filter((k) => k.aborted);
    expect(hit).toHaveLength(1);
    expect(hit[0]!.party).toBe('cpe');
    expect(hit[0]!.mark).toBe('half-close');
    expect(markText(hit[0]!, en)).toBe('✕ closed without alert');
    expect(arrows(ev).some((x) => x.kind === 'alert')).toBe(false);
  });

  test('the attacker gets the middle lifeline', () => {
    const ev = loadFixture('mitm-verify-off');
    const m = ladderModel(ev);
    expect(m.parties).toEqual(['cpe', 'attacker', 'acs']);
    const ch = arrows(ev).filter((x) => x.name === 'ClientHello');
    expect(ch.map((x) => `${x.from}>${x.to}`)).toEqual(['cpe>attacker', 'attacker>acs']);
    const c = connections(ev);
    expect(c.get(0)).toMatchObject({ client: 'cpe', server: 'attacker', lane: 'main' });
    expect(c.get(1)).toMatchObject({ client: 'attacker', server: 'acs', lane: 'main' });
  });

  test('held records: TLS roles mapped to the parties of their connection', () => {
    const ev = loadFixture('mitm-verify-off');
    const h = heldView(ev, [
      { conn: 1, from: 'server', records: 2, bytes: 300 },
      { conn: 0, from: 'client', records: 1, bytes: 20 },
      { conn: 0, from: 'server', records: 0, bytes: 0 },
    ]);
    expect(h).toEqual([
      { conn: 1, lane: 'main', from: 'acs', to: 'attacker', records: 2, bytes: 300 },
      { conn: 0, lane: 'main', from: 'cpe', to: 'attacker', records: 1, bytes: 20 },
    ]);
    // Before any message: the usual roles.
    const first = loadFixture('paper').slice(0, 2);
    expect(heldView(first, [{ conn: 0, from: 'client', records: 1, bytes: 95 }])[0]).toMatchObject({ from: 'cpe', to: 'acs' });
  });

  test('every arrow and mark has words in both languages', () => {
    for (const lang of ['en', 'zh'] as const) {
      for (const f of FIXTURES) {
        for (const r of ladderModel(loadFixture(f)).rows) {
          const words = r.type === 'arrow' ? Object.values(arrowText(r, tr(lang))).join(' ') : markText(r, tr(lang));
          expect(words).not.toContain('⟦');
        }
      }
    }
  });

  test('rows keep their keys as events arrive (append-only)', () => {
    const ev = loadFixture('tls13-connection-request');
    const half = ladderModel(ev.slice(0, 50)).rows.map((r) => r.key);
    const all = ladderModel(ev).rows.map((r) => r.key);
    expect(all.slice(0, half.length)).toEqual(half);
    expect(new Set(all).size).toBe(all.length);
  });
});

describe('ends that are not on the wire', () => {
  test('a session stopped from outside gets a mark of its own at the end', () => {
    const ev = loadFixture('paper');
    const out = ev.at(-1)!;
    if (out.kind !== 'outcome') throw new Error('fixture must end with its outcome');
    const stopped = [...ev.slice(0, -1), { ...out, ok: false, abort: { kind: 'stopped' as const, reason: 'idle' as const } }];
    const last = ladderModel(stopped).rows.at(-1)!;
    expect(last).toMatchObject({ type: 'mark', mark: 'stopped', aborted: true, key: String(out.seq) });
    expect(markText(last as LadderMark, en)).toBe('■ stopped: nobody stepped it for too long');
    const timeout = [...ev.slice(0, -1), { ...out, ok: false, abort: { kind: 'timeout' as const, afterMs: 10000 } }];
    expect(markText(ladderModel(timeout).rows.at(-1) as LadderMark, en)).toBe('deadline: stopped after 10000 ms');
  });
});
