import { useRef } from 'react';
import type { StepUnit } from '../../protocol/ws.ts';
import { useT } from '../i18n/index.ts';
import * as act from '../lib/actions.ts';
import { openFiles } from '../lib/open-files.ts';
import { PRESET_IDS, suitesFor, type Preset } from '../lib/setup.ts';
import { selectCanStep, selectCurrent, selectHeldRecords, useLab } from '../store.ts';

/** The controls bar: the scenario (mode, cipher, verifier, run/step), the playback buttons, files. */
export function Controls() {
  const t = useT();
  return (
    <div className="controls" role="toolbar" aria-label={t('controls.label')}>
      <ScenarioControls />
      <FileControls />
      <PlaybackControls />
    </div>
  );
}

function ScenarioControls() {
  const t = useT();
  const setup = useLab((s) => s.setup);
  const catalog = useLab((s) => s.catalog);
  const setSetup = useLab((s) => s.setSetup);
  const connection = useLab((s) => s.connection);
  const suites = suitesFor(catalog, setup.preset);
  const verifiers = catalog?.verifiers ?? ['node', 'openssl'];
  return (
    <fieldset className="group">
      <legend className="sr-only">{t('controls.scenario')}</legend>
      <label className="field">
        <span>{t('controls.preset')}</span>
        <select data-testid="preset" value={setup.preset} onChange={(e) => setSetup({ preset: e.target.value as Preset, cipher: null })}>
          {PRESET_IDS.map((p) => (
            <option key={p} value={p}>
              {t(`controls.preset.${p}`)}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>{t('controls.cipher')}</span>
        <select data-testid="cipher" value={setup.cipher ?? ''} onChange={(e) => setSetup({ cipher: e.target.value || null })}>
          <option value="">{t('controls.cipherDefault')}</option>
          {suites.map((s) => (
            <option key={s.iana} value={s.iana}>
              {s.iana}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>{t('controls.verifier')}</span>
        <select data-testid="verifier" value={setup.verifier} onChange={(e) => setSetup({ verifier: e.target.value as 'node' | 'openssl' })}>
          {verifiers.map((v) => (
            <option key={v} value={v}>
              {t(`controls.verifier.${v}`)}
            </option>
          ))}
        </select>
      </label>
      <div className="field" role="radiogroup" aria-label={t('controls.mode')}>
        <span aria-hidden="true">{t('controls.mode')}</span>
        <div className="segmented">
          {(['run', 'step'] as const).map((m) => (
            <label key={m} className={setup.mode === m ? 'on' : ''}>
              <input type="radio" name="mode" value={m} data-testid={`mode-${m}`} checked={setup.mode === m} onChange={() => setSetup({ mode: m })} />
              {t(`controls.mode.${m}`)}
            </label>
          ))}
        </div>
      </div>
      <button type="button" className="btn primary run" data-testid="run" onClick={() => act.run()} disabled={connection !== 'open'} aria-keyshortcuts="R" title={t('controls.runHint')}>
        {t('controls.run')}
      </button>
    </fieldset>
  );
}

const SPEEDS = [2000, 1000, 500, 250] as const;

function PlaybackControls() {
  const t = useT();
  const canStep = useLab(selectCanStep);
  const held = useLab(selectHeldRecords);
  const cur = useLab(selectCurrent);
  const stepUnit = useLab((s) => s.stepUnit);
  const setStepUnit = useLab((s) => s.setStepUnit);
  const playback = useLab((s) => s.playback);
  const setPlayback = useLab((s) => s.setPlayback);
  const running = cur?.status === 'running';
  const liveWaiting = cur?.source === 'live' && cur.mode === 'step' && running && held === 0;
  const stepEnabled = canStep && !liveWaiting;
  return (
    <fieldset className="group playback">
      <legend className="sr-only">{t('controls.playback')}</legend>
      <div className="joined">
        <button type="button" className="btn" data-testid="step" onClick={() => act.step()} disabled={!stepEnabled} aria-keyshortcuts="Space ArrowRight" title={t('controls.stepHint')}>
          {t('controls.step')}
        </button>
        <label className="sr-only" htmlFor="step-unit">
          {t('controls.stepUnit')}
        </label>
        <select id="step-unit" data-testid="step-unit" value={stepUnit} onChange={(e) => setStepUnit(e.target.value as StepUnit)}>
          <option value="record">{t('controls.unit.record')}</option>
          <option value="flight">{t('controls.unit.flight')}</option>
        </select>
      </div>
      <div className="joined">
        <button
          type="button"
          className="btn"
          data-testid="play"
          aria-pressed={playback.playing}
          onClick={() => act.togglePlay()}
          disabled={!playback.playing && !canStep}
        >
          {playback.playing ? t('controls.pause') : t('controls.play')}
        </button>
        <label className="sr-only" htmlFor="speed">
          {t('controls.speed')}
        </label>
        <select id="speed" data-testid="speed" value={playback.intervalMs} onChange={(e) => setPlayback({ intervalMs: Number(e.target.value) })}>
          {SPEEDS.map((ms) => (
            <option key={ms} value={ms}>
              {t('controls.every', { s: ms / 1000 })}
            </option>
          ))}
        </select>
      </div>
      <button type="button" className="btn" data-testid="finish" onClick={() => act.finish()} disabled={!canStep} title={t('controls.finishHint')}>
        {t('controls.finish')}
      </button>
      <button type="button" className="btn danger" data-testid="abort" onClick={() => act.abort()} disabled={!running}>
        {t('controls.abort')}
      </button>
      <button type="button" className="btn" data-testid="reset" onClick={() => act.reset()} title={t('controls.resetHint')}>
        {t('controls.reset')}
      </button>
      <span className="hint" aria-live="polite">
        {liveWaiting ? t('controls.waiting') : cur?.mode === 'step' && running && held > 0 ? t('controls.held', { n: held }) : ''}
      </span>
    </fieldset>
  );
}

/** While the import worker reads a capture: how far, in words and as a bar. */
function ImportProgress() {
  const t = useT();
  const importing = useLab((s) => s.importing);
  if (!importing) return null;
  const percent = Math.round(importing.fraction * 100);
  const text = t('capture.progress', { name: importing.name, percent });
  return (
    <span className="import-progress" role="status" data-testid="import-progress">
      <progress max={100} value={percent} aria-label={text} />
      <span className="small">{text}</span>
    </span>
  );
}

function FileControls() {
  const t = useT();
  const input = useRef<HTMLInputElement>(null);
  const cur = useLab(selectCurrent);
  const ended = cur?.status === 'ended';
  const hasSession = cur !== null && cur.events.some((e) => e.kind === 'session');
  // Live sessions export from the service; a replayed transcript exports from itself; a capture is already a file.
  const exportable = ended && (cur?.source === 'live' || cur?.source === 'transcript');
  return (
    <fieldset className="group files">
      <legend className="sr-only">{t('controls.files')}</legend>
      <button type="button" className="btn" data-testid="open-file" onClick={() => input.current?.click()} title={t('files.openHint')}>
        {t('files.open')}
      </button>
      <input
        ref={input}
        type="file"
        className="sr-only"
        tabIndex={-1}
        data-testid="file-input"
        multiple
        accept=".json,.pcap,.pcapng,.cap,.keys,.log,.txt,application/json,application/vnd.tcpdump.pcap"
        onChange={(e) => {
          const files = [...(e.target.files ?? [])];
          e.target.value = '';
          void openFiles(files);
        }}
      />
      <ImportProgress />
      <div className="joined" role="group" aria-label={t('export.label')}>
        <span className="joined-label" aria-hidden="true">
          {t('export.label')}
        </span>
        <button type="button" className="btn small" data-testid="export-pcapng" disabled={!exportable} onClick={() => act.exportAs('pcapng')}>
          {t('export.pcapng')}
        </button>
        <button type="button" className="btn small" data-testid="export-keylog" disabled={!exportable} onClick={() => act.exportAs('keylog')}>
          {t('export.keylog')}
        </button>
        <button type="button" className="btn small" data-testid="export-transcript" disabled={!exportable} onClick={() => act.exportAs('transcript')}>
          {t('export.transcript')}
        </button>
        <button type="button" className="btn small" data-testid="export-pem" disabled={!hasSession} onClick={() => act.exportAs('pem')}>
          {t('export.pem')}
        </button>
      </div>
    </fieldset>
  );
}
