import { useEffect, useMemo, useRef, useState } from 'react';
import { CertTreeView, type CertTreeData } from '../controllers/cert-tree.ts';
import { useT } from '../i18n/index.ts';
import type { CertCheck, ChainNode, ParsedCert } from '../lib/cert-parse.ts';
import { copyText } from '../lib/clipboard.ts';
import { defaultSelection, findNode, nodeStatus, nodeTitle, sideModels, treeData, type RealVerdict, type SideModel } from '../lib/cert-view.ts';
import { selectCurrent, selectEvents, selectOutcome, selectSessionEvent, useLab } from '../store.ts';
import '../certs.css';
import { FactTable } from './FactTable.tsx';

type T = ReturnType<typeof useT>;

/**
 * The certificate view (loaded lazily): both sides' chains from the session as a d3 tree, and the
 * selected certificate's fields parsed in the browser with node-forge, with the browser's checks
 * (✓/✕ and why) next to the real verdict the session's verifier (OpenSSL or Node.js) reported.
 */
export function Certificates() {
  const t = useT();
  const lang = useLab((s) => s.lang);
  const session = useLab(selectSessionEvent);
  const events = useLab(selectEvents);
  const outcome = useLab(selectOutcome);
  const running = useLab((s) => selectCurrent(s)?.status === 'running');
  const stored = useLab((s) => s.certSelected);
  const selectCert = useLab((s) => s.selectCert);

  const models = useMemo(() => (session ? sideModels(session, events, outcome, running) : null), [session, events, outcome, running]);
  const selected = useMemo(() => {
    if (!models) return null;
    return findNode(models, stored) ? stored : defaultSelection(models);
  }, [models, stored]);
  const verifierName = session ? t(`certs.verifier.${session.config.verifier}`) : '';
  const data = useMemo(() => (models ? treeData(models, t, selected, verifierName) : null), [models, selected, lang, verifierName]); // eslint-disable-line react-hooks/exhaustive-deps

  if (!session || !models || !data) {
    return (
      <section className="certs certs-empty-view" data-testid="certificates">
        <p>{t('certs.empty')}</p>
      </section>
    );
  }
  const hit = findNode(models, selected);
  return (
    <section className="certs" data-testid="certificates" aria-label={t('certs.title')}>
      <ChainTree data={data} onSelect={(id) => selectCert(id)} />
      <div className="certs-verdicts">
        {models.map((m) => (
          <SideSummary key={m.owner} m={m} verifierName={verifierName} />
        ))}
      </div>
      {hit ? <CertDetail key={selected} m={hit.model} node={hit.node} verifierName={verifierName} at={new Date(session.startedAt)} /> : <p className="muted certs-pad">{t('certs.pick')}</p>}
    </section>
  );
}
export default Certificates;

function ChainTree({ data, onSelect }: { data: CertTreeData; onSelect: (id: string) => void }) {
  const ref = useRef<HTMLDivElement>(null);
  const view = useRef<CertTreeView | null>(null);
  const onSelectRef = useRef(onSelect);
  onSelectRef.current = onSelect;
  const dataRef = useRef(data);
  dataRef.current = data;
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const v = new CertTreeView(el, { onSelect: (id) => onSelectRef.current(id) });
    view.current = v;
    v.update(dataRef.current);
    return () => {
      v.destroy();
      view.current = null;
    };
  }, []);
  useEffect(() => view.current?.update(data), [data]);
  return <div className="certs-tree" ref={ref} data-testid="cert-tree" />;
}

function countFails(m: SideModel): number {
  return m.report.path.reduce((n, c) => n + c.checks.filter((x) => x.status === 'fail').length + (c.parsed.ok ? 0 : 1), 0) + (m.report.anchor.status === 'fail' ? 1 : 0);
}

function SideSummary({ m, verifierName }: { m: SideModel; verifierName: string }) {
  const t = useT();
  const fails = countFails(m);
  return (
    <div className={`certs-side-summary side-${m.owner}`} data-testid={`cert-summary-${m.owner}`}>
      <h3>{t(`certs.side.${m.owner}`)}</h3>
      <RealVerdictLine m={m} verifierName={verifierName} />
      <p className={`browser-line ${fails ? 'bad' : 'good'}`}>
        <span className="glyph" aria-hidden="true">
          {fails ? '✕' : '✓'}
        </span>{' '}
        <span className="who">{t('certs.browserTitle')}:</span> {fails ? t('certs.summary.fail', { n: fails }) : t('certs.summary.ok')}
      </p>
      <p className={`anchor-line st-${m.report.anchor.status}`}>
        <CheckGlyph c={m.report.anchor} /> <strong>{t('certs.check.anchor')}:</strong> {t(m.report.anchor.reason, m.report.anchor.params)}
      </p>
    </div>
  );
}

function realText(r: RealVerdict, side: string, t: T): { cls: string; text: string; glyph: string } {
  switch (r.state) {
    case 'pending':
      return { cls: 'pending', text: t('certs.real.pending'), glyph: '…' };
    case 'ok':
      return { cls: 'good', text: t('certs.real.ok', { side }), glyph: '✓' };
    case 'notReached':
      return { cls: 'neutral', text: t('certs.real.notReached', { side }), glyph: '–' };
    case 'none':
      return { cls: 'neutral', text: t('certs.real.none'), glyph: '–' };
    case 'fail':
    case 'ignored': {
      const e = r.error;
      const text = e
        ? r.state === 'ignored'
          ? t('certs.real.ignored', { name: e.name, code: e.code, text: e.text, side })
          : e.depth !== null
            ? t('certs.real.fail', { name: e.name, code: e.code, depth: e.depth, text: e.text })
            : t('certs.real.failNoDepth', { name: e.name, code: e.code, text: e.text })
        : t('certs.real.authError', { error: r.authorizationError ?? '—' });
      return { cls: r.state === 'ignored' ? 'warn' : 'bad', text, glyph: r.state === 'ignored' ? '!' : '✕' };
    }
  }
}

function RealVerdictLine({ m, verifierName }: { m: SideModel; verifierName: string }) {
  const t = useT();
  const side = t(`certs.side.short.${m.verifier}`);
  const r = realText(m.real, side, t);
  return (
    <div className={`real-line ${r.cls}`} data-testid={`real-verdict-${m.owner}`} data-state={m.real.state}>
      <span className="glyph" aria-hidden="true">
        {r.glyph}
      </span>{' '}
      <span className="who">{t('certs.realTitle', { verifier: verifierName, side })}:</span> <span className="what">{r.text}</span>
      {m.aboutAttacker ? <p className="muted small attacker-note">{t('certs.real.attacker')}</p> : null}
    </div>
  );
}

function CheckGlyph({ c }: { c: CertCheck }) {
  const g = c.status === 'pass' ? '✓' : c.status === 'fail' ? '✕' : c.status === 'warn' ? '!' : '–';
  return (
    <span className={`check-glyph st-${c.status}`} aria-hidden="true">
      {g}
    </span>
  );
}

function fmtDate(d: Date, lang: string): string {
  return d.toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-GB', { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: 'UTC', timeZoneName: 'short' });
}

/** Validity as a bar, with the session time (when the verifier checked) and today marked. */
function Timeline({ c, at }: { c: ParsedCert; at: Date }) {
  const t = useT();
  const lang = useLab((s) => s.lang);
  const now = new Date();
  const nb = c.notBefore.getTime();
  const na = c.notAfter.getTime();
  // The verifier checked at the session's time: that is "now" for a live session; a replayed
  // transcript also shows today, so an old capture's expired certificate explains itself.
  const live = Math.abs(now.getTime() - at.getTime()) <= 36e5;
  const marks = [{ k: 'session', label: live ? 'now' : 'session', v: at.getTime() }];
  if (!live) marks.push({ k: 'today', label: 'today', v: now.getTime() });
  const lo = Math.min(nb, ...marks.map((m) => m.v));
  const hi = Math.max(na, ...marks.map((m) => m.v));
  const pad = (hi - lo) * 0.06 || 864e5;
  const x = (v: number) => ((v - (lo - pad)) / (hi - lo + 2 * pad)) * 100;
  const inside = at.getTime() >= nb && at.getTime() <= na;
  const days = Math.round((na - nb) / 864e5);
  return (
    <figure className="timeline" aria-label={t('certs.timeline')} data-testid="cert-timeline" data-inside={inside}>
      <div className="tl-track">
        <div className={`tl-bar ${inside ? 'ok' : 'bad'}`} style={{ left: `${x(nb)}%`, width: `${Math.max(0.5, x(na) - x(nb))}%` }} title={t('certs.timeline.days', { n: days })} />
        {marks.map((m) => (
          <div key={m.k} className={`tl-mark tl-${m.k}`} style={{ left: `${x(m.v)}%` }} data-testid={`tl-${m.k}`}>
            <span className="tl-label">{t(`certs.timeline.${m.label}`)}</span>
          </div>
        ))}
      </div>
      <figcaption className="tl-ends">
        <span>{fmtDate(c.notBefore, lang)}</span>
        <span className="muted">{t('certs.timeline.days', { n: days })}</span>
        <span>{fmtDate(c.notAfter, lang)}</span>
      </figcaption>
    </figure>
  );
}

function CertFields({ c, at }: { c: ParsedCert; at: Date }) {
  const t = useT();
  const bc = c.basicConstraints;
  const key =
    c.key.type === 'RSA' && c.key.bits !== null
      ? t('certs.key.rsa', { bits: c.key.bits })
      : t('certs.key.other', { type: c.key.type, curve: c.key.curve ? ` ${c.key.curve}` : '', bits: c.key.bits ?? '?' });
  const rows: [string, React.ReactNode][] = [
    [t('certs.field.subject'), c.subject.text || '—'],
    [t('certs.field.issuer'), c.issuer.text || '—'],
    [t('certs.field.serial'), <span className="mono">{c.serial}</span>],
    [
      t('certs.field.san'),
      c.san === null ? (
        <span className="muted">{t('certs.absent')}</span>
      ) : (
        <span className="chips">
          {c.san.map((s, i) => (
            <span key={i} className="chip mono">
              {s.kind}:{s.value}
            </span>
          ))}
        </span>
      ),
    ],
    [t('certs.field.ku'), c.keyUsage === null ? <span className="muted">{t('certs.absent')}</span> : c.keyUsage.join(', ') || '—'],
    [t('certs.field.eku'), c.extKeyUsage === null ? <span className="muted">{t('certs.absent')}</span> : c.extKeyUsage.join(', ')],
    [
      t('certs.field.bc'),
      bc === null ? (
        <span className="muted">{t('certs.absent')}</span>
      ) : (
        <>
          {t(bc.ca ? 'certs.bc.ca' : 'certs.bc.notCa')}
          {bc.pathLen !== null ? `, ${t('certs.bc.pathLen', { n: bc.pathLen })}` : ''}
          {bc.critical ? ` (${t('certs.critical')})` : ''}
        </>
      ),
    ],
    [
      t('certs.field.key'),
      <>
        {key}
        {c.key.shownByForge ? null : <p className="forge-note">{t('certs.key.forgeNote', { type: c.key.type })}</p>}
      </>,
    ],
    [t('certs.field.sig'), <span className="mono">{c.signature.name}</span>],
    [t('certs.field.ski'), c.ski ? <span className="mono wrap">{c.ski}</span> : <span className="muted">{t('certs.absent')}</span>],
    [t('certs.field.aki'), c.aki ? <span className="mono wrap">{c.aki}</span> : <span className="muted">{t('certs.absent')}</span>],
    [
      t('certs.field.extensions'),
      <span className="chips">
        {c.extensions.map((e) => (
          <span key={e.oid} className={`chip${e.critical ? ' crit' : ''}`} title={e.oid}>
            {e.name}
            {e.critical ? ` · ${t('certs.critical')}` : ''}
          </span>
        ))}
      </span>,
    ],
    [t('certs.field.version'), `v${c.version}`],
    [t('certs.field.fingerprint'), <span className="mono wrap small">{c.fingerprint}</span>],
  ];
  return (
    <div className="cert-fields">
      <h4>{t('certs.field.validity')}</h4>
      <Timeline c={c} at={at} />
      <FactTable rows={rows} className="cert-table" />
    </div>
  );
}

function CertDetail({ m, node, verifierName, at }: { m: SideModel; node: ChainNode; verifierName: string; at: Date }) {
  const t = useT();
  const [copied, setCopied] = useState(false);
  const status = nodeStatus(node);
  const realHere = m.realDepth === node.depth;
  const copy = async () => {
    const ok = await copyText(node.pem);
    setCopied(ok);
    if (ok) setTimeout(() => setCopied(false), 1500);
  };
  return (
    <article className={`cert-detail st-${status}`} data-testid="cert-detail" data-id={`${m.owner}:${node.depth}`}>
      <header className="cert-detail-head">
        <div>
          <h3>{nodeTitle(node, t)}</h3>
          <p className="muted small">
            {t(`certs.side.${m.owner}`)} · {t(`certs.role.${node.role}`)} · {t('certs.depth', { n: node.depth })} · {t(`certs.source.${node.source}`)}
            {node.parsed.ok && node.parsed.cert.selfIssued ? ` · ${t('certs.selfIssued')}` : ''}
          </p>
        </div>
        <button type="button" className="certs-btn" onClick={() => void copy()}>
          {copied ? t('certs.copied') : t('certs.copyPem')}
        </button>
      </header>
      {!node.parsed.ok ? (
        <p className="cert-parse-error" role="status" data-testid="cert-parse-error">
          {t('certs.parseError', { code: node.parsed.code, message: node.parsed.message })}
        </p>
      ) : (
        <div className="cert-detail-grid">
          <CertFields c={node.parsed.cert} at={at} />
          <div className="cert-checks">
            <section className="real-box" aria-label={t('certs.realTitle', { verifier: verifierName, side: t(`certs.side.short.${m.verifier}`) })}>
              <RealVerdictLine m={m} verifierName={verifierName} />
              {realHere ? <p className="real-here">{t('certs.real.here', { verifier: verifierName })}</p> : null}
            </section>
            <section className="browser-box">
              <h4>{t('certs.browserTitle')}</h4>
              <p className="muted small">{t('certs.browserNote')}</p>
              <ul className="check-list" data-testid="cert-checks">
                {node.checks.map((c, i) => (
                  <li key={`${c.id}-${i}`} className={`check st-${c.status}`} data-check={c.id} data-status={c.status}>
                    <CheckGlyph c={c} />
                    <span className="check-name">{t(`certs.check.${c.id}`)}</span>
                    <span className="check-reason">{t(c.reason, c.params)}</span>
                  </li>
                ))}
                <li className={`check st-${m.report.anchor.status}`} data-check="anchor" data-status={m.report.anchor.status}>
                  <CheckGlyph c={m.report.anchor} />
                  <span className="check-name">{t('certs.check.anchor')}</span>
                  <span className="check-reason">{t(m.report.anchor.reason, m.report.anchor.params)}</span>
                </li>
              </ul>
              {m.report.otherAnchors.length ? (
                <p className="muted small">
                  {t('certs.otherAnchors', { names: m.report.otherAnchors.map((a) => (a.ok ? (a.cert.subject.cn ?? a.cert.subject.text) : a.code)).join('; ') })}
                </p>
              ) : null}
              {m.report.unused.length ? (
                <p className="muted small">
                  {t('certs.unused', { names: m.report.unused.map((u) => nodeTitle(u, t)).join('; ') })}
                </p>
              ) : null}
            </section>
          </div>
        </div>
      )}
    </article>
  );
}
