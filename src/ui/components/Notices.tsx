import { useEffect } from 'react';
import { useT } from '../i18n/index.ts';
import { useLab, type UiMessage } from '../store.ts';

/** Errors and notices in words: errors stay until dismissed, notices fade after a few seconds. */
export function Notices() {
  const notices = useLab((s) => s.notices);
  const errors = notices.filter((n) => n.type === 'error');
  const infos = notices.filter((n) => n.type === 'info');
  return (
    <div className="notices">
      <div role="alert" aria-live="assertive" className="notice-stack">
        {errors.map((n) => (
          <Notice key={n.at} n={n} />
        ))}
      </div>
      <div role="status" aria-live="polite" className="notice-stack">
        {infos.map((n) => (
          <Notice key={n.at} n={n} />
        ))}
      </div>
    </div>
  );
}

function Notice({ n }: { n: UiMessage }) {
  const t = useT();
  const dismiss = useLab((s) => s.dismissNotice);
  useEffect(() => {
    if (n.type !== 'info') return;
    const h = setTimeout(() => dismiss(n.at), 6000);
    return () => clearTimeout(h);
  }, [n, dismiss]);
  const head = n.key ? t(n.key, n.params) : n.text;
  return (
    <div className={`notice notice-${n.type}`} data-testid={n.type === 'error' ? 'error-notice' : 'info-notice'}>
      <div className="notice-text">
        <strong>{head}</strong>
        {n.key && n.detail && n.detail !== head ? <p className="notice-detail">{n.detail}</p> : null}
      </div>
      <button type="button" className="btn icon" onClick={() => dismiss(n.at)} aria-label={t('app.dismiss')}>
        ×
      </button>
    </div>
  );
}
