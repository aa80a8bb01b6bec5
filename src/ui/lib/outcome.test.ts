import { describe, expect, it } from 'vitest';
import type { OutcomeEvent } from '../../protocol/events.ts';
import { messagesOf, outcomeOf } from '../store.ts';
import { translate } from '../i18n/index.ts';
import { narrate } from './narration.ts';
import { abortFacts, actualAlert, firstDivergence, outcomeSentence, verdict } from './outcome.ts';
import { loadFixture } from './testdata/load.ts';

/** Real outcomes: OpenSSL's CPE rejects an expired ACS certificate with an alert; Node's closes without one. */
const expired = loadFixture('acs-expired-openssl');
const mismatch = loadFixture('acs-hostname-mismatch');
const paper = loadFixture('paper');
const oExpired = outcomeOf(expired)!;
const oMismatch = outcomeOf(mismatch)!;
const oPaper = outcomeOf(paper)!;

describe('outcome facts', () => {
  it('OpenSSL verifier, expired ACS certificate: the CPE aborts with certificate_expired (45)', () => {
    expect(oExpired.ok).toBe(false);
    const f = abortFacts(oExpired);
    expect(f.who).toBe('cpe');
    expect(f.how).toMatchObject({ kind: 'alert', from: 'cpe', alert: { description: 'certificate_expired', code: 45 } });
    expect(actualAlert(oExpired)).toBe('certificate_expired');
  });

  it('Node verifier, wrong name: the CPE closes without an alert', () => {
    expect(abortFacts(oMismatch)).toMatchObject({ who: 'cpe', how: { kind: 'close', from: 'cpe' } });
    expect(actualAlert(oMismatch)).toBe('none');
  });

  it('a good session: nobody aborted', () => {
    expect(abortFacts(oPaper)).toEqual({ who: 'none', how: null });
    expect(actualAlert(oPaper)).toBeNull();
  });
});

describe('prediction verdict', () => {
  it('right on both counts, wrong party, wrong alert, not sure of the alert', () => {
    expect(verdict({ aborts: 'cpe', alert: 'certificate_expired' }, oExpired)).toEqual({ who: true, alert: true, right: true });
    expect(verdict({ aborts: 'acs', alert: 'certificate_expired' }, oExpired)).toEqual({ who: false, alert: true, right: false });
    expect(verdict({ aborts: 'cpe', alert: 'bad_certificate' }, oExpired)).toEqual({ who: true, alert: false, right: false });
    expect(verdict({ aborts: 'cpe', alert: null }, oExpired)).toEqual({ who: true, alert: null, right: true });
  });
  it('closed without an alert is its own answer', () => {
    expect(verdict({ aborts: 'cpe', alert: 'none' }, oMismatch).right).toBe(true);
    expect(verdict({ aborts: 'cpe', alert: 'bad_certificate' }, oMismatch).alert).toBe(false);
  });
  it('predicting success', () => {
    expect(verdict({ aborts: 'none', alert: null }, oPaper)).toEqual({ who: true, alert: null, right: true });
    expect(verdict({ aborts: 'none', alert: null }, oExpired).right).toBe(false);
    expect(verdict({ aborts: 'cpe', alert: 'unknown_ca' }, oPaper)).toEqual({ who: false, alert: false, right: false });
  });
  it('a stopped session is its own kind of end', () => {
    const stopped: OutcomeEvent = { ...oPaper, ok: false, abortedBy: null, abort: { kind: 'stopped', reason: 'user' } };
    expect(actualAlert(stopped)).toBe('stopped');
  });
});

describe('first divergence', () => {
  const good = messagesOf(loadFixture('tls13-connection-request'));
  const bad = messagesOf(expired);
  it('a good TLS 1.3 run and the expired-certificate run part where the CPE answers with an alert instead of its certificate', () => {
    const i = firstDivergence(good, bad)!;
    expect(i).toBeGreaterThan(0);
    expect(good.slice(0, i).map((m) => m.name)).toEqual(bad.slice(0, i).map((m) => m.name));
    expect(bad[i]).toMatchObject({ name: 'Alert', from: 'cpe' });
    expect(good[i]!.name).not.toBe('Alert');
  });
  it('identical sequences: null; one a prefix of the other: where the shorter ends', () => {
    expect(firstDivergence(bad, [...bad])).toBeNull();
    expect(firstDivergence(bad, bad.slice(0, 3))).toBe(3);
    expect(firstDivergence([], [])).toBeNull();
  });
});

describe('narration', () => {
  const en = (k: string, p?: Record<string, string | number>) => translate('en', k, p);
  const zh = (k: string, p?: Record<string, string | number>) => translate('zh', k, p);
  it('one line per message, with its summary; the alert and the outcome in words', () => {
    const hello = expired.find((e) => e.kind === 'message' && e.name === 'ClientHello')!;
    expect(narrate(hello, en)).toMatch(/^CPE → ACS: ClientHello \(.+\)$/);
    const alert = expired.find((e) => e.kind === 'message' && e.name === 'Alert')!;
    expect(narrate(alert, en)).toContain('certificate_expired (45)');
    expect(narrate(oExpired, en)).toBe('Outcome: the CPE aborted with alert certificate_expired (45).');
    expect(narrate(oExpired, zh)).toBe('结果：CPE 以告警 certificate_expired（45）中止。');
    expect(narrate(oMismatch, en)).toBe('Outcome: the CPE closed the connection without an alert.');
    expect(narrate(oPaper, en)).toBe('Outcome: the handshake succeeded.');
  });
  it('secrets and endpoint reports are left to the views', () => {
    for (const e of expired) if (e.kind === 'secret' || e.kind === 'endpoint') expect(narrate(e, en)).toBeNull();
  });
});

describe('the outcome in one sentence', () => {
  const en = (k: string, p?: Record<string, string | number>) => translate('en', k, p);
  const zh = (k: string, p?: Record<string, string | number>) => translate('zh', k, p);

  it('live sessions: who aborted and how, or that both sides verified each other', () => {
    expect(outcomeSentence(oExpired, en)).toBe('The CPE aborted with a fatal alert: certificate_expired (45).');
    expect(outcomeSentence(oMismatch, en)).toBe('The CPE closed the connection without an alert.');
    expect(outcomeSentence(oPaper, en)).toMatch(/^Both sides verified each other/);
    expect(outcomeSentence(oExpired, zh)).toContain('告警并中止');
  });

  it('captures: never claims what is not on the wire, and says why a capture did not succeed', () => {
    const capture = (over: Partial<OutcomeEvent>): OutcomeEvent => ({ ...oPaper, ok: false, abort: null, abortedBy: null, applicationData: false, ...over });
    // succeeded: no claim about verification
    expect(outcomeSentence(capture({ ok: true, applicationData: true, captureVerdict: 'ok-http' }), en)).toMatch(/^The handshake completed and the HTTP exchange was answered\. Whether each side verified/);
    expect(outcomeSentence(capture({ ok: true, captureVerdict: 'ok-not-http' }), en)).toMatch(/it is not HTTP/);
    // an old capture transcript without the verdict, known as a capture by its caller
    expect(outcomeSentence(capture({ ok: true, applicationData: true }), en, true)).toMatch(/^The handshake completed/);
    // did not succeed, no abort: the reason, in both languages
    expect(outcomeSentence(capture({ captureVerdict: 'no-keys' }), en)).toBe('The TLS 1.2 handshake completed; the application data cannot be read without its keys (add the key log).');
    expect(outcomeSentence(capture({ captureVerdict: 'no-keys' }), zh)).toBe('TLS 1.2 握手已完成；没有密钥无法读取应用数据（请加入密钥日志）。');
    for (const v of ['plain-http', 'no-http-response', 'tls13-no-keys', 'incomplete'] as const) {
      const sentence = outcomeSentence(capture({ captureVerdict: v }), en);
      expect(sentence, v).not.toBe('The session did not complete.');
      expect(sentence, v).not.toMatch(/verified each other/);
      expect(outcomeSentence(capture({ captureVerdict: v }), zh), v).not.toMatch(/[a-z]{4,} [a-z]{4,}/); // Chinese, not English words
    }
  });
});
