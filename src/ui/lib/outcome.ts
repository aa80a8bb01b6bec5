import type { MessageEvent, OutcomeEvent, Party } from '../../protocol/events.ts';
import type { Translate } from '../i18n/index.ts';
import type { Prediction } from '../store.ts';

/**
 * What the outcome card and the prediction check need from an outcome event, and the comparison of
 * two sessions' message sequences. Pure functions over engine events.
 */

/** Alerts a student can predict (RFC 8446 §6.2 / RFC 5246 §7.2.2 names), the common certificate ones first. */
export const ALERT_CHOICES = [
  'bad_certificate',
  'certificate_expired',
  'unknown_ca',
  'certificate_unknown',
  'unsupported_certificate',
  'certificate_revoked',
  'decrypt_error',
  'handshake_failure',
  'protocol_version',
  'illegal_parameter',
  'access_denied',
  'internal_error',
  'certificate_required',
  'insufficient_security',
  'decode_error',
] as const;

/** What a prediction's alert is compared with: an alert description, 'none' (closed without alert), 'timeout', 'stopped', or null (no abort). */
export type AbortHow = string | null;

export interface AbortFacts {
  /** Who aborted, or 'none' when the session succeeded. */
  who: Party | 'none';
  how: OutcomeEvent['abort'];
}

export function abortFacts(o: OutcomeEvent): AbortFacts {
  const who: AbortFacts['who'] = o.abortedBy ?? (o.abort?.kind === 'alert' || o.abort?.kind === 'close' ? o.abort.from : 'none');
  return { who, how: o.abort };
}

/**
 * The outcome in one sentence, in the user's language: who aborted and how, or that it succeeded.
 * `fromCapture`: the session was read from a capture, where who verified whom is not on the wire.
 */
export function outcomeSentence(o: OutcomeEvent, t: Translate, fromCapture = false): string {
  // Capture outcomes carry their verdict; older capture transcripts are known by the caller.
  const capture = fromCapture || o.captureVerdict !== undefined;
  const party = (p: string) => t(`app.party.${p}`);
  const f = abortFacts(o);
  if (f.how?.kind === 'alert') return t('outcome.howAlert', { who: party(f.how.from), name: f.how.alert.description, code: f.how.alert.code, level: f.how.alert.levelName });
  if (f.how?.kind === 'close') return t('outcome.howClose', { who: party(f.how.from) });
  if (f.how?.kind === 'timeout') return t('outcome.howTimeout', { ms: Math.round(f.how.afterMs) });
  if (f.how?.kind === 'stopped') return t(`outcome.howStopped.${f.how.reason}`);
  if (o.ok && capture) return o.applicationData ? t('outcome.howCaptureOkData') : t('outcome.howCaptureOk');
  if (o.ok) return o.applicationData ? t('outcome.howOkData') : t('outcome.howOk');
  // A capture that did not succeed and shows no abort: what the wire alone allows to say.
  const v = o.captureVerdict;
  if (v === 'plain-http' || v === 'no-keys' || v === 'no-http-response' || v === 'tls13-no-keys' || v === 'incomplete') return t(`outcome.capture.${v}`, { version: o.negotiated.version ?? 'TLS' });
  return f.who === 'none' ? t('outcome.howUnknown') : t('outcome.howBy', { who: party(f.who) });
}

/** The first verifier error of the outcome, as OpenSSL names it (`X509_V_ERR_…: text`), or null. */
export function firstVerifyError(o: OutcomeEvent): string | null {
  for (const side of [o.cpe, o.acs, o.attacker]) if (side?.verifyError) return `${side.verifyError.name}: ${side.verifyError.text}`;
  return null;
}

/** The prediction's alert value that matches an outcome: the alert name, 'none' for a close without alert. */
export function actualAlert(o: OutcomeEvent): AbortHow {
  if (!o.abort) return null;
  if (o.abort.kind === 'alert') return o.abort.alert.description;
  if (o.abort.kind === 'close') return 'none';
  return o.abort.kind; // 'timeout' | 'stopped'
}

export interface Verdict {
  /** Who aborts: right or wrong. */
  who: boolean;
  /** Which alert: right or wrong; null when not judged (nobody aborted as predicted, or the user was not sure). */
  alert: boolean | null;
  /** Both right. */
  right: boolean;
}

export function verdict(p: Prediction, o: OutcomeEvent): Verdict {
  const facts = abortFacts(o);
  const who = p.aborts === facts.who;
  const real = actualAlert(o);
  let alert: boolean | null;
  if (p.aborts === 'none' && facts.who === 'none') alert = null;
  else if (p.alert === null) alert = null; // "not sure": only who aborts is judged
  else alert = p.alert === real;
  return { who, alert, right: who && alert !== false };
}

/** Message sequence key for the compare view: what was sent, by whom, to whom. */
export const messageKey = (m: Pick<MessageEvent, 'name' | 'from' | 'to'>): string => `${m.name}|${m.from}|${m.to}`;

/** Index of the first message where two sessions differ (one ending early counts), or null when identical. */
export function firstDivergence(a: readonly Pick<MessageEvent, 'name' | 'from' | 'to'>[], b: readonly Pick<MessageEvent, 'name' | 'from' | 'to'>[]): number | null {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (messageKey(a[i]!) !== messageKey(b[i]!)) return i;
  return a.length === b.length ? null : n;
}
