import { useEffect, useId, useRef } from 'react';
import type { MessageEvent } from '../../protocol/events.ts';
import { useT } from '../i18n/index.ts';
import { firstDivergence } from '../lib/outcome.ts';
import { messagesOf, outcomeOf, useLab, type SessionView } from '../store.ts';
import { useSessionTitle } from './SessionList.tsx';

/**
 * Two sessions side by side (typically a good run and a faulty one): their messages in order, with
 * the first place where the sequences differ (name, sender, receiver) highlighted in both.
 */
export function CompareView() {
  const t = useT();
  const order = useLab((s) => s.order);
  const sessions = useLab((s) => s.sessions);
  const currentId = useLab((s) => s.current);
  const compareId = useLab((s) => s.compareWith);
  const setCurrent = useLab((s) => s.setCurrent);
  const setCompareWith = useLab((s) => s.setCompareWith);
  const title = useSessionTitle();
  const a = currentId ? sessions[currentId] : undefined;
  const b = compareId ? sessions[compareId] : undefined;
  const am = a ? messagesOf(a.events) : [];
  const bm = b ? messagesOf(b.events) : [];
  const at = a && b ? firstDivergence(am, bm) : null;
  const idA = useId();
  const idB = useId();
  const root = useRef<HTMLElement>(null);
  const reduce = useLab((s) => s.reducedMotion);
  // Bring the first difference into view when it changes (no smooth scrolling with reduced motion).
  useEffect(() => {
    if (at === null) return;
    root.current?.querySelector('.msg.diverge')?.scrollIntoView({ block: 'center', behavior: reduce ? 'auto' : 'smooth' });
  }, [at, currentId, compareId, reduce]);
  const pick = (value: string, setter: (id: string | null) => void) => setter(value || null);
  return (
    <section ref={root} className="compare" data-testid="compare" aria-label={t('compare.title')}>
      <div className="compare-pickers">
        <label className="field" htmlFor={idA}>
          <span>{t('compare.a')}</span>
          <select id={idA} value={currentId ?? ''} onChange={(e) => pick(e.target.value, setCurrent)}>
            <option value="">{t('compare.choose')}</option>
            {order.map((id) => (
              <option key={id} value={id}>
                {title(sessions[id]!)}
              </option>
            ))}
          </select>
        </label>
        <label className="field" htmlFor={idB}>
          <span>{t('compare.b')}</span>
          <select id={idB} data-testid="compare-b" value={compareId ?? ''} onChange={(e) => pick(e.target.value, setCompareWith)}>
            <option value="">{t('compare.choose')}</option>
            {order
              .filter((id) => id !== currentId)
              .map((id) => (
                <option key={id} value={id}>
                  {title(sessions[id]!)}
                </option>
              ))}
          </select>
        </label>
      </div>
      {!a || !b ? (
        <p className="muted">{t('compare.hint')}</p>
      ) : (
        <>
          <p className="compare-summary" data-testid="divergence" data-index={at ?? ''} aria-live="polite">
            {at === null ? t('compare.same', { n: am.length }) : divergenceText(t, at, am[at], bm[at])}
          </p>
          <div className="compare-cols">
            <MessageColumn label={title(a)} session={a} messages={am} diverge={at} />
            <MessageColumn label={title(b)} session={b} messages={bm} diverge={at} />
          </div>
        </>
      )}
    </section>
  );
}

function divergenceText(t: ReturnType<typeof useT>, i: number, x: MessageEvent | undefined, y: MessageEvent | undefined): string {
  const d = (m: MessageEvent | undefined) => (m ? `${t(`app.party.${m.from}`)} → ${t(`app.party.${m.to}`)} ${m.name}` : t('compare.nothing'));
  return t('compare.differs', { n: i + 1, a: d(x), b: d(y) });
}

function MessageColumn({ label, session, messages, diverge }: { label: string; session: SessionView; messages: MessageEvent[]; diverge: number | null }) {
  const t = useT();
  const outcome = outcomeOf(session.events);
  return (
    <div className="compare-col">
      <h3 title={label}>{label}</h3>
      <p className="muted small">{outcome ? (outcome.ok ? t('outcome.ok') : t('outcome.failed')) : t(`sessions.state.${session.status === 'running' ? 'running' : 'stopped'}`)}</p>
      <ol className="msg-list">
        {messages.map((m, i) => (
          <li
            key={m.seq}
            className={`msg ${i === diverge ? 'diverge' : ''} ${diverge !== null && i > diverge ? 'after' : ''} ${m.alert ? 'alert' : ''}`}
            data-name={m.name}
            data-from={m.from}
            data-to={m.to}
            aria-current={i === diverge ? 'true' : undefined}
          >
            <span className="msg-n">{i + 1}</span>
            <span className="msg-dir">
              {t(`app.party.${m.from}`)} → {t(`app.party.${m.to}`)}
            </span>
            <span className="msg-name">
              {m.name}
              {m.alert ? <span className="msg-alert"> {m.alert.description}</span> : null}
            </span>
          </li>
        ))}
        {diverge !== null && diverge >= messages.length ? (
          <li className="msg diverge ended" aria-current="true">
            <span className="msg-n">{diverge + 1}</span>
            <span className="msg-name">{t('compare.nothing')}</span>
          </li>
        ) : null}
      </ol>
    </div>
  );
}
