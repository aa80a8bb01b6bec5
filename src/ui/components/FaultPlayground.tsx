import { useId, useMemo, useState } from 'react';
import type { Catalog } from '../../protocol/ws.ts';
import { useT } from '../i18n/index.ts';
import { ALERT_CHOICES } from '../lib/outcome.ts';
import { useLab, type Prediction } from '../store.ts';

type Fault = Catalog['faults'][number];
type SideFilter = 'all' | 'cpe' | 'acs' | 'attacker';

const GROUP_ORDER = ['validity', 'trust', 'identity', 'purpose', 'signature', 'revocation', 'handshake', 'attacker'];

/** Does a fault belong under a side filter? CPE/ACS: whose certificate or settings it changes; attacker: an on-path party. */
export function faultMatchesSide(f: Pick<Fault, 'side' | 'group' | 'target'>, side: SideFilter): boolean {
  const attacker = f.group === 'attacker' || f.target === 'attacker';
  if (side === 'all') return true;
  if (side === 'attacker') return attacker;
  return !attacker && (f.side === side || f.side === 'both');
}

/** The fault playground: pick faults (grouped, filterable, per side), then predict the outcome before running. */
export function FaultPlayground() {
  return (
    <>
      <FaultPicker />
      <PredictionForm />
    </>
  );
}

function FaultPicker() {
  const t = useT();
  const lang = useLab((s) => s.lang);
  const catalog = useLab((s) => s.catalog);
  const faults = useLab((s) => s.setup.faults);
  const setSetup = useLab((s) => s.setSetup);
  const setPrediction = useLab((s) => s.setPrediction);
  const [query, setQuery] = useState('');
  const [side, setSide] = useState<SideFilter>('all');
  const headingId = useId();

  const groups = useMemo(() => {
    const q = query.trim().toLowerCase();
    const list = (catalog?.faults ?? []).filter(
      (f) => faultMatchesSide(f, side) && (q === '' || f.id.includes(q) || f.title[lang].toLowerCase().includes(q) || f.title.en.toLowerCase().includes(q) || f.rule.toLowerCase().includes(q)),
    );
    const by = new Map<string, Fault[]>();
    for (const f of list) {
      let g = by.get(f.group);
      if (!g) by.set(f.group, (g = []));
      g.push(f);
    }
    return [...by].sort((a, b) => rank(a[0]) - rank(b[0]));
  }, [catalog, query, side, lang]);

  const toggle = (id: string, on: boolean) => {
    setSetup({ faults: on ? [...faults.filter((x) => x !== id), id] : faults.filter((x) => x !== id) });
    setPrediction(null);
  };
  const titleOf = (id: string) => catalog?.faults.find((f) => f.id === id)?.title[lang] ?? id;

  return (
    <section className="panel fault-picker" data-testid="fault-picker" aria-labelledby={headingId}>
      <h2 id={headingId}>{t('faults.title')}</h2>
      <p className="muted small">{t('faults.intro')}</p>
      <div className="selected-faults" aria-live="polite">
        {faults.length === 0 ? (
          <span className="muted">{t('faults.none')}</span>
        ) : (
          <>
            <ul className="chips">
              {faults.map((id) => (
                <li key={id} className="chip" data-fault={id}>
                  <span>{titleOf(id)}</span>
                  <button type="button" className="btn icon" onClick={() => toggle(id, false)} aria-label={t('faults.remove', { name: titleOf(id) })}>
                    ×
                  </button>
                </li>
              ))}
            </ul>
            <button type="button" className="btn small ghost" onClick={() => { setSetup({ faults: [] }); setPrediction(null); }}>
              {t('faults.clear')}
            </button>
          </>
        )}
      </div>
      <div className="filter-row">
        <label className="field grow">
          <span className="sr-only">{t('faults.filter')}</span>
          <input type="search" data-testid="fault-filter" value={query} placeholder={t('faults.filter')} onChange={(e) => setQuery(e.target.value)} />
        </label>
        <div className="segmented small" role="radiogroup" aria-label={t('faults.side')}>
          {(['all', 'cpe', 'acs', 'attacker'] as const).map((s) => (
            <label key={s} className={side === s ? 'on' : ''}>
              <input type="radio" name="fault-side" value={s} checked={side === s} onChange={() => setSide(s)} />
              {t(`faults.side.${s}`)}
            </label>
          ))}
        </div>
      </div>
      {!catalog ? (
        <p className="muted">{t('faults.loading')}</p>
      ) : groups.length === 0 ? (
        <p className="muted">{t('faults.noMatch')}</p>
      ) : (
        <div className="fault-groups">
          {groups.map(([group, list]) => (
            <fieldset key={group} className="fault-group">
              <legend>{t(`faults.group.${group}`)}</legend>
              {list.map((f) => (
                <label key={f.id} className="fault" title={f.rule}>
                  <input type="checkbox" value={f.id} data-testid={`fault-${f.id}`} checked={faults.includes(f.id)} onChange={(e) => toggle(f.id, e.target.checked)} />
                  <span className="fault-title">{f.title[lang]}</span>
                  <code className="fault-id">{f.id}</code>
                </label>
              ))}
            </fieldset>
          ))}
        </div>
      )}
    </section>
  );
}

function rank(group: string): number {
  const i = GROUP_ORDER.indexOf(group);
  return i < 0 ? GROUP_ORDER.length : i;
}

function PredictionForm() {
  const t = useT();
  const prediction = useLab((s) => s.prediction);
  const setPrediction = useLab((s) => s.setPrediction);
  const headingId = useId();
  const p: Prediction = prediction ?? { aborts: 'none', alert: null };
  const update = (patch: Partial<Prediction>) => setPrediction({ ...p, ...patch });
  return (
    <section className="panel predict" data-testid="predict" aria-labelledby={headingId}>
      <h2 id={headingId}>{t('predict.title')}</h2>
      <p className="muted small">{t('predict.intro')}</p>
      <fieldset className="predict-who">
        <legend>{t('predict.who')}</legend>
        {(['cpe', 'acs', 'none'] as const).map((w) => (
          <label key={w} className="radio">
            <input type="radio" name="predict-who" value={w} data-testid={`predict-${w}`} checked={prediction !== null && p.aborts === w} onChange={() => update({ aborts: w, alert: w === 'none' ? null : p.alert })} />
            {w === 'none' ? t('predict.nobody') : t(`app.party.${w}`)}
          </label>
        ))}
      </fieldset>
      <label className="field">
        <span>{t('predict.alert')}</span>
        <select data-testid="predict-alert" value={p.alert ?? ''} disabled={prediction === null || p.aborts === 'none'} onChange={(e) => update({ alert: e.target.value || null })}>
          <option value="">{t('predict.alertUnsure')}</option>
          <option value="none">{t('predict.alertNone')}</option>
          {ALERT_CHOICES.map((a) => (
            <option key={a} value={a}>
              {a}
            </option>
          ))}
        </select>
      </label>
      <p className="muted small" aria-live="polite">
        {prediction ? t('predict.saved') : t('predict.notYet')}
      </p>
    </section>
  );
}
