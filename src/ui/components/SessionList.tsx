import { useId } from 'react';
import { useT } from '../i18n/index.ts';
import { forget } from '../lib/actions.ts';
import { presetOf } from '../lib/setup.ts';
import { outcomeOf, useLab, type SessionView } from '../store.ts';

/** Recent sessions (live, replayed, imported), newest first: switch to one, compare it, or forget it. */
export function SessionList() {
  const t = useT();
  const order = useLab((s) => s.order);
  const headingId = useId();
  return (
    <section className="panel sessions" data-testid="sessions" aria-labelledby={headingId}>
      <h2 id={headingId}>{t('sessions.title')}</h2>
      {order.length === 0 ? (
        <p className="muted">{t('sessions.empty')}</p>
      ) : (
        <ol className="session-list" reversed>
          {[...order].reverse().map((id) => (
            <SessionRow key={id} id={id} />
          ))}
        </ol>
      )}
    </section>
  );
}

/** The words for a session in lists: its mode, its faults (titles in the current language) or its file. */
export function useSessionTitle(): (s: SessionView) => string {
  const t = useT();
  const lang = useLab((s) => s.lang);
  const catalog = useLab((s) => s.catalog);
  return (s) => {
    const unknown = new Set(s.unknown ?? []);
    const mode = s.config && !unknown.has('config.tls') ? t(`controls.preset.${presetOf(s.config)}`) : '';
    const faults = s.config?.faults ?? [];
    const what = unknown.has('config.faults') ? '' : faults.length ? faults.map((id) => catalog?.faults.find((f) => f.id === id)?.title[lang] ?? id).join(' + ') : t('sessions.noFault');
    const verifier = s.config && !unknown.has('config.verifier') ? t(`controls.verifier.${s.config.verifier}`) : '';
    const base = [mode, what, verifier].filter(Boolean).join(' · ');
    return s.source === 'live' ? base : `${s.label} — ${base}`;
  };
}

function SessionRow({ id }: { id: string }) {
  const t = useT();
  const s = useLab((st) => st.sessions[id]);
  const current = useLab((st) => st.current === id);
  const comparing = useLab((st) => st.compareWith === id);
  const setCurrent = useLab((st) => st.setCurrent);
  const setCompareWith = useLab((st) => st.setCompareWith);
  const setTab = useLab((st) => st.setTab);
  const title = useSessionTitle();
  if (!s) return null;
  const outcome = outcomeOf(s.events);
  const state = s.status === 'running' ? 'running' : outcome ? (outcome.ok ? 'ok' : 'failed') : 'stopped';
  return (
    <li className={`session-row ${current ? 'current' : ''}`} data-state={state} data-session={id}>
      <button type="button" className="session-pick" aria-current={current ? 'true' : undefined} onClick={() => setCurrent(id)}>
        <span className={`badge badge-${state}`}>{t(`sessions.state.${state}`)}</span>
        <span className="session-title">{title(s)}</span>
        <span className="muted small">{t(`sessions.source.${s.source}`)}</span>
      </button>
      <div className="row-actions">
        <button
          type="button"
          className="btn small ghost"
          aria-pressed={comparing}
          disabled={current}
          onClick={() => {
            setCompareWith(comparing ? null : id);
            if (!comparing) setTab('compare');
          }}
        >
          {t('sessions.compare')}
        </button>
        <button type="button" className="btn small ghost" onClick={() => forget(id)} aria-label={t('sessions.forgetNamed', { name: title(s) })}>
          {t('sessions.forget')}
        </button>
      </div>
    </li>
  );
}
