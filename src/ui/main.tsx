// d3's package.json says "sideEffects": false, so a production bundle that imports only `select`
// from 'd3' drops d3-transition's patch of selection.prototype.transition/interrupt, which the
// views' animations use. Importing the module itself keeps the patch (d3-transition comes with d3).
import 'd3-transition';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { initialLang, rememberLang, translate } from './i18n/index.ts';
import { decodeSetup, encodeSetup, unknownFaults } from './lib/deep-link.ts';
import { download, exportFile } from './lib/downloads.ts';
import { installKeyboard } from './lib/keyboard.ts';
import { installPlayback } from './lib/playback.ts';
import { initialProjector, rememberProjector, watchReducedMotion } from './lib/prefs.ts';
import { LabSocket, setAppSocket, wsUrl } from './lib/ws-client.ts';
import { labStore } from './store.ts';
import './styles.css';

const store = labStore;
const html = document.documentElement;

// ---- preferences: language, projector mode, reduced motion (applied to <html>) ----
store.setState({ lang: initialLang(), projector: initialProjector() });
const applyLang = (lang: 'en' | 'zh') => {
  html.lang = lang === 'zh' ? 'zh-CN' : 'en';
  document.title = `${translate(lang, 'app.title')} — ${translate(lang, 'app.titleSuffix')}`;
};
applyLang(store.getState().lang);
html.classList.toggle('projector', store.getState().projector);
watchReducedMotion((reduce) => store.getState().setReducedMotion(reduce));
html.classList.toggle('reduce-motion', store.getState().reducedMotion);

// ---- deep link: the scenario in the hash ----
const applyHash = () => {
  const { setup, present, problems } = decodeSetup(location.hash);
  const st = store.getState();
  if (present && encodeSetup(setup) !== encodeSetup(st.setup)) {
    st.setSetup(setup);
    st.setPrediction(null);
  }
  for (const p of problems) st.notify({ type: 'error', key: p.key, params: p.params, text: `${p.key} ${JSON.stringify(p.params)}` });
};
applyHash();
window.addEventListener('hashchange', applyHash);

store.subscribe((s, prev) => {
  if (s.lang !== prev.lang) {
    applyLang(s.lang);
    rememberLang(s.lang);
  }
  if (s.projector !== prev.projector) {
    html.classList.toggle('projector', s.projector);
    rememberProjector(s.projector);
  }
  if (s.reducedMotion !== prev.reducedMotion) html.classList.toggle('reduce-motion', s.reducedMotion);
  if (s.setup !== prev.setup) {
    const hash = `#${encodeSetup(s.setup)}`;
    if (location.hash !== hash) history.replaceState(null, '', `${location.pathname}${location.search}${hash}`);
  }
  if (s.catalog && s.catalog !== prev.catalog) {
    // A link may name faults this server does not have: say so and drop them.
    const unknown = unknownFaults(s.setup, s.catalog.faults.map((f) => f.id));
    if (unknown.length) {
      s.notify({ type: 'error', key: 'link.unknownFaults', params: { ids: unknown.join(', ') }, text: unknown.join(', ') });
      s.setSetup({ faults: s.setup.faults.filter((f) => !unknown.includes(f)) });
    }
  }
});

// ---- the service ----
const socket = new LabSocket({ url: wsUrl(location), onExport: (m) => download(exportFile(m)) });
setAppSocket(socket);
socket.connect();
installPlayback(store);
installKeyboard(store);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
