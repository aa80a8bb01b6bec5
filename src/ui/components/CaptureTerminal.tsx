import '@xterm/xterm/css/xterm.css';
import '../ladder.css';
import { useEffect, useMemo, useRef, useState } from 'react';
import { TerminalController } from '../controllers/terminal.ts';
import { useT } from '../i18n/index.ts';
import { copyText } from '../lib/clipboard.ts';
import { captureLines, plainText } from '../lib/frames.ts';
import { selectCurrent, selectEvents, useLab } from '../store.ts';

/** The capture terminal: a live tshark-like packet list of the current session (xterm). */
export function CaptureTerminal() {
  const t = useT();
  const lang = useLab((s) => s.lang);
  const session = useLab((s) => s.current);
  const events = useLab(selectEvents);
  const live = useLab((s) => selectCurrent(s)?.status === 'running');
  const projector = useLab((s) => s.projector);
  const host = useRef<HTMLDivElement>(null);
  const ctrl = useRef<TerminalController | null>(null);
  const [status, setStatus] = useState<string>('');
  // `t` changes with `lang`.
  const fromCapture = useLab((s) => selectCurrent(s)?.source === 'capture');
  const lines = useMemo(() => captureLines(events, t, { fromCapture }), [events, lang, fromCapture]);
  const fontSize = projector ? 18 : 13;

  useEffect(() => {
    const c = new TerminalController(host.current!, { fontSize, ariaLabel: t('terminal.aria') });
    ctrl.current = c;
    return () => {
      c.destroy();
      ctrl.current = null;
    };
    // Created once per mount; later changes arrive through update().
  }, []);

  const ariaLabel = t('terminal.aria');
  useEffect(() => {
    ctrl.current?.update({ session, lines, live, fontSize, ariaLabel });
  }, [session, lines, live, fontSize, ariaLabel]);

  useEffect(() => setStatus(''), [session]);

  const copy = async () => {
    const text = plainText(lines);
    const ok = await copyText(text);
    setStatus(ok ? t('terminal.copied', { n: lines.length }) : t('terminal.copyFailed'));
  };

  return (
    <div className="capture">
      <header className="capture__bar">
        <h2 className="capture__title">{t('terminal.title')}</h2>
        <span className="capture__status" role="status" aria-live="polite">
          {status}
        </span>
        <button type="button" className="capture__copy" onClick={copy} title={t('terminal.copyHint')} disabled={lines.length === 0}>
          {t('terminal.copy')}
        </button>
      </header>
      <div className="capture__body">
        <div data-testid="terminal" ref={host} className="capture__term" />
        {lines.length === 0 && <p className="capture__empty">{t('terminal.empty')}</p>}
      </div>
    </div>
  );
}
export default CaptureTerminal;
