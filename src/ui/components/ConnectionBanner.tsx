import { useEffect, useState } from 'react';
import { useT } from '../i18n/index.ts';
import { getAppSocket } from '../lib/ws-client.ts';
import { useLab } from '../store.ts';

/** Shown while the service is unreachable: what it means, when the next attempt is, and a retry button. */
export function ConnectionBanner() {
  const t = useT();
  const connection = useLab((s) => s.connection);
  const reconnectAt = useLab((s) => s.reconnectAt);
  const [now, setNow] = useState(() => Date.now());
  const lost = connection === 'closed' || (connection === 'connecting' && reconnectAt !== null);
  useEffect(() => {
    if (!lost) return;
    const h = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(h);
  }, [lost]);
  return (
    <div className="banner-slot" role="status" aria-live="polite">
      {lost ? (
        <div className="banner banner-warn" data-testid="connection-banner">
          <strong>{t('conn.lost')}</strong>{' '}
          <span>
            {connection === 'connecting' || reconnectAt === null
              ? t('conn.retrying')
              : t('conn.retryIn', { s: Math.max(0, Math.ceil((reconnectAt - now) / 1000)) })}
          </span>{' '}
          <span className="muted">{t('conn.offlineHint')}</span>{' '}
          <button type="button" className="btn small" onClick={() => getAppSocket()?.reconnectNow()} disabled={connection === 'connecting'}>
            {t('conn.reconnectNow')}
          </button>
        </div>
      ) : null}
    </div>
  );
}
