import '../ladder.css';
import { useEffect, useMemo, useRef, useState } from 'react';
import { clampZoom, LadderController, ZOOM_MAX, ZOOM_MIN } from '../controllers/ladder.ts';
import { useT } from '../i18n/index.ts';
import { heldView, KINDS, ladderModel } from '../lib/frames.ts';
import { selectCurrent, selectEvents, useLab, type HeldState } from '../store.ts';

const NO_HELD: HeldState[] = [];

/** A small lock like the ladder's (closed: encrypted, not decrypted; open: decrypted here). */
function LockIcon({ open }: { open: boolean }) {
  return (
    <svg className={`ladder-legend__lock lock-${open ? 'open' : 'closed'}`} width="12" height="14" viewBox="0 0 12 14" aria-hidden="true">
      <path d={open ? 'M0.6,4.8 V3 a3,3 0 0 1 6,0 V2.2' : 'M3,6 V4.2 a3,3 0 0 1 6,0 V6'} fill="none" stroke="currentColor" strokeWidth="1.6" />
      <rect x="1" y="6" width="10" height="7.5" rx="1.5" fill={open ? 'none' : 'currentColor'} stroke="currentColor" strokeWidth={open ? 1.4 : 0} />
    </svg>
  );
}

/** The handshake ladder: every message of the current session as an arrow between the lifelines. */
export function Ladder() {
  const t = useT();
  const lang = useLab((s) => s.lang);
  const session = useLab((s) => s.current);
  const events = useLab(selectEvents);
  const held = useLab((s) => selectCurrent(s)?.held ?? NO_HELD);
  const selected = useLab((s) => s.selected);
  const select = useLab((s) => s.select);
  const reducedMotion = useLab((s) => s.reducedMotion);
  const projector = useLab((s) => s.projector);
  // View-only state (like a scroll position): how tall rows are and whether to keep the newest in view.
  const [zoom, setZoom] = useState(1);
  const [follow, setFollow] = useState(true);
  const host = useRef<HTMLDivElement>(null);
  const ctrl = useRef<LadderController | null>(null);
  const cbs = useRef({ select, setZoom, setFollow });
  cbs.current = { select, setZoom, setFollow };

  const model = useMemo(() => ladderModel(events), [events]);
  const heldItems = useMemo(() => heldView(events, held), [events, held]);
  const messages = model.rows.filter((r) => r.type === 'arrow' && r.layer === 'tls').length;

  useEffect(() => {
    const c = new LadderController(host.current!, {
      onSelect: (seq) => cbs.current.select(seq),
      onZoom: (k) => cbs.current.setZoom(k),
      onFollow: (on) => cbs.current.setFollow(on),
    });
    ctrl.current = c;
    return () => {
      c.destroy();
      ctrl.current = null;
    };
  }, []);

  useEffect(() => setFollow(true), [session]);

  useEffect(() => {
    ctrl.current?.update({ session, model, held: heldItems, selected, t, lang, reducedMotion, follow, zoom, projector });
    // `t` follows `lang`.
  }, [session, model, heldItems, selected, lang, reducedMotion, follow, zoom, projector]);

  return (
    <div className="ladder-pane">
      <div className="ladder-bar">
        <h2 className="ladder-bar__title">
          {t('ladder.title')}
          {messages > 0 && <span className="ladder-bar__count">{t('ladder.count', { n: messages })}</span>}
        </h2>
        <div className="ladder-bar__tools">
          <button type="button" className="ladder-bar__btn" onClick={() => setZoom((z) => clampZoom(z / 1.25))} disabled={zoom <= ZOOM_MIN} aria-label={t('ladder.zoomOut')} title={t('ladder.zoomOut')}>
            −
          </button>
          <input
            type="range"
            className="ladder-bar__zoom"
            min={ZOOM_MIN}
            max={ZOOM_MAX}
            step={0.05}
            value={zoom}
            onChange={(e) => setZoom(clampZoom(Number(e.target.value)))}
            aria-label={t('ladder.zoom')}
            title={t('ladder.zoomHint')}
          />
          <button type="button" className="ladder-bar__btn" onClick={() => setZoom((z) => clampZoom(z * 1.25))} disabled={zoom >= ZOOM_MAX} aria-label={t('ladder.zoomIn')} title={t('ladder.zoomIn')}>
            +
          </button>
          <button type="button" className={`ladder-bar__follow${follow ? ' is-on' : ''}`} aria-pressed={follow} onClick={() => setFollow((f) => !f)} title={t('ladder.followHint')}>
            <span aria-hidden="true">⤓ </span>
            {t('ladder.follow')}
          </button>
        </div>
        <ul className="ladder-legend" aria-label={t('ladder.legend')}>
          {KINDS.map((k) => (
            <li key={k} className={`ladder-legend__item k-${k}`}>
              <span className="ladder-legend__swatch" aria-hidden="true" />
              {t(`ladder.kind.${k}`)}
            </li>
          ))}
          <li className="ladder-legend__item">
            <LockIcon open={false} />
            {t('ladder.legend.lockClosed')}
          </li>
          <li className="ladder-legend__item">
            <LockIcon open />
            {t('ladder.legend.lockOpen')}
          </li>
        </ul>
      </div>
      <div data-testid="ladder" ref={host} role="group" />
    </div>
  );
}
export default Ladder;
