import { useT } from './i18n/index.ts';

/** The app shell (filled in by the UI work: controls, ladder, inspector, terminal, certificates, playground). */
export function App() {
  const t = useT();
  return (
    <main>
      <h1>{t('app.title')}</h1>
      <p>{t('app.tagline')}</p>
    </main>
  );
}
