import { lazy, Suspense, useEffect, useState, type KeyboardEvent } from 'react';
import { CompareView } from './components/CompareView.tsx';
import { ConnectionBanner } from './components/ConnectionBanner.tsx';
import { Controls } from './components/Controls.tsx';
import { DropZone } from './components/DropZone.tsx';
import { FaultPlayground } from './components/FaultPlayground.tsx';
import { Header } from './components/Header.tsx';
import { Ladder } from './components/Ladder.tsx';
import { Narration } from './components/Narration.tsx';
import { Notices } from './components/Notices.tsx';
import { OutcomeCard } from './components/OutcomeCard.tsx';
import { SessionList } from './components/SessionList.tsx';
import { ViewBoundary } from './components/ViewBoundary.tsx';
import { useT } from './i18n/index.ts';
import { useLab, type CenterTab } from './store.ts';

/** The certificate view (d3 tree + node-forge) is the heaviest part: loaded when its tab first opens. */
const Certificates = lazy(() => import('./components/Certificates.tsx'));
/**
 * The terminal (xterm) and the inspector (field explanations, hex view, XML printer) load right
 * after the first paint, in parallel with the service's hello: the page shows at once, they follow.
 */
const CaptureTerminal = lazy(() => import('./components/CaptureTerminal.tsx'));
const Inspector = lazy(() => import('./components/Inspector.tsx'));

const TABS: CenterTab[] = ['ladder', 'certificates', 'compare'];

/**
 * The app shell: header, controls, and the workspace — the playground side panel (outcome, faults,
 * prediction, sessions), the central view (ladder, certificates, compare), the inspector on the
 * right and the capture terminal at the bottom.
 */
export function App() {
  const t = useT();
  const sidePanel = useLab((s) => s.sidePanel);
  return (
    <div className="app">
      <a className="skip-link" href="#center">
        {t('app.skip')}
      </a>
      <Header />
      <ConnectionBanner />
      <Controls />
      <div className={`workspace ${sidePanel ? 'with-side' : 'no-side'}`}>
        {sidePanel ? (
          <aside id="side-panel" className="side" aria-label={t('app.sideLabel')}>
            <ViewBoundary name="side">
              <OutcomeCard />
              <FaultPlayground />
              <SessionList />
            </ViewBoundary>
          </aside>
        ) : null}
        <CenterViews />
        <aside className="pane inspector-pane" aria-label={t('app.inspectorLabel')}>
          <ViewBoundary name="inspector">
            <Suspense fallback={<Loading />}>
              <Inspector />
            </Suspense>
          </ViewBoundary>
        </aside>
        <section className="pane terminal-pane" aria-label={t('app.terminalLabel')}>
          <ViewBoundary name="terminal">
            <Suspense fallback={<Loading />}>
              <CaptureTerminal />
            </Suspense>
          </ViewBoundary>
        </section>
      </div>
      <Notices />
      <Narration />
      <DropZone />
    </div>
  );
}

function CenterViews() {
  const t = useT();
  const tab = useLab((s) => s.tab);
  const setTab = useLab((s) => s.setTab);
  // Mounted once opened, then kept (hidden) so d3 controllers are not rebuilt on every switch.
  const [opened, setOpened] = useState<Set<CenterTab>>(() => new Set([tab]));
  useEffect(() => {
    setOpened((o) => (o.has(tab) ? o : new Set([...o, tab])));
  }, [tab]);
  const onKey = (e: KeyboardEvent<HTMLDivElement>) => {
    const i = TABS.indexOf(tab);
    let next: number | null = null;
    if (e.key === 'ArrowRight') next = (i + 1) % TABS.length;
    else if (e.key === 'ArrowLeft') next = (i + TABS.length - 1) % TABS.length;
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = TABS.length - 1;
    if (next === null) return;
    e.preventDefault();
    e.stopPropagation();
    setTab(TABS[next]!);
    document.getElementById(`tab-${TABS[next]}`)?.focus();
  };
  return (
    <main id="center" className="pane center" tabIndex={-1}>
      <div className="tabs" role="tablist" aria-label={t('app.views')} onKeyDown={onKey}>
        {TABS.map((id) => (
          <button
            key={id}
            id={`tab-${id}`}
            type="button"
            role="tab"
            aria-selected={tab === id}
            aria-controls={`panel-${id}`}
            tabIndex={tab === id ? 0 : -1}
            data-testid={`tab-${id}`}
            onClick={() => setTab(id)}
          >
            {t(`app.tab.${id}`)}
          </button>
        ))}
      </div>
      {TABS.map((id) => (
        <div key={id} id={`panel-${id}`} role="tabpanel" aria-labelledby={`tab-${id}`} className="tab-panel" hidden={tab !== id}>
          {opened.has(id) ? (
            <ViewBoundary name={id}>
              <TabContent id={id} />
            </ViewBoundary>
          ) : null}
        </div>
      ))}
    </main>
  );
}

function TabContent({ id }: { id: CenterTab }) {
  if (id === 'ladder') return <Ladder />;
  if (id === 'compare') return <CompareView />;
  return (
    <Suspense fallback={<Loading />}>
      <Certificates />
    </Suspense>
  );
}

function Loading() {
  const t = useT();
  return <p className="muted loading">{t('app.loading')}</p>;
}
