import { useId } from 'react';
import type { OutcomeEvent, VerifyError } from '../../protocol/events.ts';
import { useT } from '../i18n/index.ts';
import { abortFacts, actualAlert, outcomeSentence, verdict } from '../lib/outcome.ts';
import { outcomeOf, selectCurrent, useLab, type SessionView } from '../store.ts';

/**
 * The outcome of the current session: succeeded or failed, who aborted and how (the alert on the
 * wire, a close without alert, the deadline), each side's verify error, what was negotiated, the
 * explanation and fix of each fault, and how the user's prediction compares.
 */
export function OutcomeCard() {
  const cur = useLab(selectCurrent);
  if (!cur) return null;
  const outcome = outcomeOf(cur.events);
  if (!outcome && cur.status !== 'ended') return null;
  return <OutcomeBody session={cur} outcome={outcome} />;
}

function OutcomeBody({ session, outcome }: { session: SessionView; outcome: OutcomeEvent | null }) {
  const t = useT();
  const headingId = useId();
  const ok = outcome?.ok ?? false;
  const state = outcome ? (ok ? 'ok' : 'failed') : 'stopped';
  return (
    <section className={`panel outcome outcome-${state}`} data-testid="outcome" data-ok={String(ok)} data-state={state} aria-labelledby={headingId}>
      <h2 id={headingId}>
        <span aria-hidden="true" className="outcome-mark">
          {state === 'ok' ? '✓' : '✕'}
        </span>{' '}
        {state === 'ok' ? t('outcome.ok') : state === 'failed' ? t('outcome.failed') : t(`outcome.stopped.${session.endReason ?? 'aborted'}`)}
      </h2>
      {outcome ? <OutcomeFacts outcome={outcome} unknown={session.unknown ?? []} /> : null}
      {outcome && session.prediction && outcome.abort?.kind !== 'stopped' ? <PredictionVerdict session={session} outcome={outcome} /> : null}
      {/* A capture cannot know which faults (if any) made it so. */}
      {session.unknown?.includes('config.faults') ? null : <FaultExplanations faults={session.config?.faults ?? []} />}
    </section>
  );
}

function OutcomeFacts({ outcome, unknown }: { outcome: OutcomeEvent; unknown: string[] }) {
  const t = useT();
  const party = (p: string) => t(`app.party.${p}`);
  const f = abortFacts(outcome);
  // From a capture, who verified whom is not on the wire: the sentence says what the wire showed.
  const how = outcomeSentence(outcome, t, unknown.includes('outcome.cpe.verifiedPeer'));
  const n = outcome.negotiated;
  const sides = (['cpe', 'acs', 'attacker'] as const).filter((s) => s !== 'attacker' || outcome.attacker !== null);
  return (
    <>
      <p className={`outcome-how ${f.how?.kind === 'alert' ? 'is-alert' : ''}`} data-testid="outcome-how" data-aborted-by={f.who} data-alert={actualAlert(outcome) ?? ''}>
        {how}
      </p>
      {outcome.compromised ? (
        <p className="outcome-compromised" role="note">
          {t('outcome.compromised')}
        </p>
      ) : null}
      <dl className="facts">
        {sides.map((s) => {
          const side = s === 'attacker' ? outcome.attacker! : outcome[s];
          return (
            <div key={s} className="fact">
              <dt>{t('outcome.verifyBy', { who: party(s) })}</dt>
              <dd>
                {!side.verifyError && unknown.includes(`outcome.${s}.verifiedPeer`)
                  ? t('capture.unknownValue')
                  : verifyText(side.verifyError, side.verifiedPeer, side.authorizationError, t)}
              </dd>
            </div>
          );
        })}
        <div className="fact">
          <dt>{t('outcome.negotiated')}</dt>
          <dd>{n.version || n.cipherSuite ? [n.version, n.cipherSuite, n.group].filter(Boolean).join(' · ') : t('outcome.nothingNegotiated')}</dd>
        </div>
        {n.serverSignature || n.clientSignature ? (
          <div className="fact">
            <dt>{t('outcome.signatures')}</dt>
            <dd>
              {t('outcome.sigServer', { s: n.serverSignature ?? '—' })}; {t('outcome.sigClient', { s: n.clientSignature ?? '—' })}
            </dd>
          </div>
        ) : null}
        <div className="fact">
          <dt>{t('outcome.duration')}</dt>
          <dd>{t('outcome.ms', { ms: outcome.durationMs.toFixed(1) })}</dd>
        </div>
      </dl>
    </>
  );
}

function verifyText(v: VerifyError | null, verified: boolean | null, authError: string | null, t: ReturnType<typeof useT>): string {
  if (v) return `${v.name} (${v.code})${v.depth !== null ? `, ${t('outcome.depth', { d: v.depth })}` : ''}: ${v.text}`;
  if (authError) return authError;
  if (verified === true) return t('outcome.verifiedOk');
  if (verified === false) return t('outcome.verifiedNo');
  return t('outcome.verifiedNever');
}

function PredictionVerdict({ session, outcome }: { session: SessionView; outcome: OutcomeEvent }) {
  const t = useT();
  const p = session.prediction!;
  const v = verdict(p, outcome);
  const f = abortFacts(outcome);
  const real = actualAlert(outcome);
  const whoText = (w: string) => (w === 'none' ? t('predict.nobody') : t(`app.party.${w}`));
  const alertText = (a: string | null) => (a === null ? '—' : a === 'none' ? t('predict.alertNone') : a === 'timeout' || a === 'stopped' ? t(`outcome.abortKind.${a}`) : a);
  return (
    <div className={`verdict ${v.right ? 'right' : 'wrong'}`} data-testid="verdict" data-right={String(v.right)}>
      <h3>{v.right ? t('verdict.right') : t('verdict.wrong')}</h3>
      <ul>
        <li>
          <span aria-hidden="true">{v.who ? '✓ ' : '✕ '}</span>
          {t('verdict.who', { said: whoText(p.aborts), was: whoText(f.who) })}
        </li>
        {v.alert !== null ? (
          <li>
            <span aria-hidden="true">{v.alert ? '✓ ' : '✕ '}</span>
            {t('verdict.alert', { said: alertText(p.alert), was: alertText(real) })}
          </li>
        ) : null}
      </ul>
    </div>
  );
}

function FaultExplanations({ faults }: { faults: string[] }) {
  const t = useT();
  const lang = useLab((s) => s.lang);
  const catalog = useLab((s) => s.catalog);
  if (faults.length === 0) return <p className="muted small">{t('outcome.noFaults')}</p>;
  return (
    <div className="explanations">
      {faults.map((id) => {
        const f = catalog?.faults.find((x) => x.id === id);
        if (!f)
          return (
            <p key={id} className="muted">
              <code>{id}</code>
            </p>
          );
        return (
          <article key={id} className="explanation" data-fault={id}>
            <h3>{f.title[lang]}</h3>
            <p>{f.explanation[lang]}</p>
            <p>
              <strong>{t('outcome.fix')}</strong> {f.fix[lang]}
            </p>
            <p className="muted small">
              {t('outcome.rule')} {f.rule}
            </p>
          </article>
        );
      })}
    </div>
  );
}
