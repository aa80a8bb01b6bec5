import { LANGS, useT, type Lang } from '../i18n/index.ts';
import { copyLink } from '../lib/clipboard.ts';
import { useLab } from '../store.ts';

/** Title, connection status, and the display switches (playground panel, projector, language). */
export function Header() {
  const t = useT();
  return (
    <header className="app-header">
      <div className="brand">
        <h1>{t('app.title')}</h1>
        <p className="tagline">{t('app.tagline')}</p>
      </div>
      <div className="header-tools">
        <ConnectionStatus />
        <CopyLinkButton />
        <SidePanelToggle />
        <ProjectorToggle />
        <LanguageSwitch />
      </div>
    </header>
  );
}

function ConnectionStatus() {
  const t = useT();
  const connection = useLab((s) => s.connection);
  return (
    <span className={`conn conn-${connection}`} data-testid="connection" data-state={connection}>
      <span className="dot" aria-hidden="true" />
      {t(`conn.${connection}`)}
    </span>
  );
}

function CopyLinkButton() {
  const t = useT();
  return (
    <button type="button" className="btn ghost" onClick={() => void copyLink()} title={t('link.copyHint')}>
      {t('link.copy')}
    </button>
  );
}

function SidePanelToggle() {
  const t = useT();
  const on = useLab((s) => s.sidePanel);
  const set = useLab((s) => s.setSidePanel);
  return (
    <button type="button" className="btn ghost" aria-pressed={on} aria-controls="side-panel" onClick={() => set(!on)}>
      {t('app.sidePanel')}
    </button>
  );
}

function ProjectorToggle() {
  const t = useT();
  const on = useLab((s) => s.projector);
  const set = useLab((s) => s.setProjector);
  return (
    <button type="button" className="btn ghost" aria-pressed={on} data-testid="projector" onClick={() => set(!on)} title={t('app.projectorHint')}>
      {t('app.projector')}
    </button>
  );
}

function LanguageSwitch() {
  const t = useT();
  const lang = useLab((s) => s.lang);
  const setLang = useLab((s) => s.setLang);
  return (
    <label className="lang">
      <span className="sr-only">{t('app.language')}</span>
      <select data-testid="lang" value={lang} onChange={(e) => setLang(e.target.value as Lang)}>
        {LANGS.map((l) => (
          <option key={l} value={l} lang={l === 'zh' ? 'zh-CN' : 'en'}>
            {t(`app.lang.${l}`)}
          </option>
        ))}
      </select>
    </label>
  );
}
