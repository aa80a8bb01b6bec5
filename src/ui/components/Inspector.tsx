import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import type { LabEvent, MessageEvent } from '../../protocol/events.ts';
import { NOT_HTTP } from '../../protocol/http.ts';
import { fromHex } from '../../protocol/tls/fields.ts';
import { CONTENT_TYPE, versionName } from '../../protocol/tls/registry.ts';
import { HexView, ROW_CHARS } from '../controllers/hex.ts';
import { useT } from '../i18n/index.ts';
import { copyText } from '../lib/clipboard.ts';
import { fieldDoc, messageDoc } from '../lib/field-docs.ts';
import { ancestorPaths, buildTree, deepestAt, expandablePaths, nodeForRange, visibleRows, type TreeNode } from '../lib/field-tree.ts';
import { messageKind } from '../lib/frames.ts';
import { outcomeSentence } from '../lib/outcome.ts';
import { prettyXmlLines, XmlPrettyError, type XmlLine } from '../lib/xml-pretty.ts';
import { selectSelectedEvent, useLab } from '../store.ts';
import '../inspector.css';
import { FactTable } from './FactTable.tsx';

type T = ReturnType<typeof useT>;

const nextFrame = (f: () => void): void => {
  if (typeof requestAnimationFrame === 'function') requestAnimationFrame(f);
  else setTimeout(f, 0);
};
type CwmpEvent = Extract<LabEvent, { kind: 'cwmp' }>;
type HttpEvent = Extract<LabEvent, { kind: 'http' }>;

/**
 * The inspector: whatever is selected in the ladder. A TLS message shows its header, a
 * Wireshark-like field tree and the hex view, linked through the store's `hover` byte range
 * (hover or focus a field → its bytes light up; hover bytes → the deepest field holding them
 * lights up and the tree opens to it). HTTP shows its headers, CWMP its envelope, other events
 * their facts. Offsets come from the parser; nothing is re-encoded.
 */
export function Inspector() {
  const t = useT();
  const ev = useLab(selectSelectedEvent);
  const [large, setLarge] = useState(false);
  const closeRef = useRef<HTMLButtonElement>(null);
  const sectionRef = useRef<HTMLElement>(null);
  useEffect(() => {
    if (!large) return;
    const opener = document.activeElement as HTMLElement | null;
    closeRef.current?.focus();
    // A modal dialog: the rest of the page is inert (no focus, no clicks, hidden from screen readers) until it closes.
    const restore = sectionRef.current ? makeRestInert(sectionRef.current) : () => {};
    const onKey = (e: globalThis.KeyboardEvent) => {
      if (e.key === 'Escape') setLarge(false);
    };
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('keydown', onKey);
      restore();
      if (opener?.isConnected) opener.focus();
    };
  }, [large]);
  useEffect(() => {
    if (!ev) setLarge(false);
  }, [ev]);
  const body = !ev ? (
    <div className="insp-empty">
      <p>{t('inspector.empty')}</p>
      <p className="muted">{t('inspector.emptyHint')}</p>
    </div>
  ) : ev.kind === 'message' ? (
    <MessageView key={`${ev.seq}`} ev={ev} large={large} />
  ) : ev.kind === 'http' ? (
    <HttpView ev={ev} />
  ) : ev.kind === 'cwmp' ? (
    <CwmpView ev={ev} />
  ) : (
    <FactsView ev={ev} />
  );
  return (
    <>
      {large ? <div className="insp-backdrop" onClick={() => setLarge(false)} aria-hidden="true" /> : null}
      <section ref={sectionRef} className={`inspector${large ? ' large' : ''}`} data-testid="inspector" aria-label={t('inspector.title')} role={large ? 'dialog' : undefined} aria-modal={large || undefined}>
        <div className="insp-bar">
          <h2>{t('inspector.title')}</h2>
          {ev ? (
            large ? (
              <button ref={closeRef} type="button" className="insp-btn" onClick={() => setLarge(false)} data-testid="inspector-close">
                {t('inspector.close')}
              </button>
            ) : (
              <button type="button" className="insp-btn" onClick={() => setLarge(true)} title={t('inspector.expandHint')} data-testid="inspector-expand">
                <span aria-hidden="true">⤢</span> {t('inspector.expand')}
              </button>
            )
          ) : null}
        </div>
        <div className="insp-body">{body}</div>
      </section>
    </>
  );
}
export default Inspector;

/** Marks every element outside `keep` (and its ancestors) inert; returns the undo. */
export function makeRestInert(keep: HTMLElement): () => void {
  const changed: HTMLElement[] = [];
  for (let node: HTMLElement | null = keep; node && node !== document.body; node = node.parentElement) {
    const parent: HTMLElement | null = node.parentElement;
    if (!parent) break;
    for (const sib of Array.from(parent.children) as Element[]) {
      if (sib === node || !(sib instanceof HTMLElement) || sib.inert || sib.classList.contains('insp-backdrop')) continue;
      sib.inert = true;
      changed.push(sib);
    }
  }
  return () => {
    for (const el of changed) el.inert = false;
  };
}

// ------------------------------------------------------------------------------------ TLS messages

function Party({ p }: { p: string }) {
  const t = useT();
  return <span className={`party party-${p}`}>{t(`inspector.party.${p}`)}</span>;
}

function LockIcon({ open }: { open: boolean }) {
  return (
    <svg className="lock-icon" viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
      <rect x="2.5" y="7" width="11" height="8" rx="1.5" fill="currentColor" />
      <path d={open ? 'M5 7V4.8a3 3 0 0 1 5.8-1.1' : 'M5 7V4.8a3 3 0 0 1 6 0V7'} fill="none" stroke="currentColor" strokeWidth="1.7" />
    </svg>
  );
}

function contentTypeName(v: number): string {
  return `${CONTENT_TYPE[v] ?? 'unknown'} (${v})`;
}

function spacedHex(h: string): string {
  return h.replace(/(..)(?=.)/g, '$1 ');
}

function MessageHeader({ ev }: { ev: MessageEvent }) {
  const t = useT();
  const r = ev.record;
  const lock = !ev.encrypted ? 'plain' : ev.decrypted ? 'decrypted' : 'encrypted';
  return (
    <header className={`insp-head k-${messageKind(ev.name)}`}>
      <div className="insp-title">
        <span className="kind-dot" aria-hidden="true" />
        <h3 data-testid="inspector-name">{ev.name}</h3>
        <Route from={ev.from} to={ev.to} />
      </div>
      <div className={`insp-lock lock-${lock}`} data-testid="inspector-lock" data-lock={lock}>
        {lock === 'plain' ? null : <LockIcon open={lock === 'decrypted'} />}
        <span>{t(`inspector.lock.${lock}`)}</span>
      </div>
      {ev.summary ? <p className="insp-summary">{ev.summary}</p> : null}
      <dl className="insp-record">
        <div>
          <dt>{t('inspector.record.type')}</dt>
          <dd>{contentTypeName(r.type)}</dd>
        </div>
        {r.contentType !== r.type ? (
          <div>
            <dt>{t('inspector.record.inner')}</dt>
            <dd>{contentTypeName(r.contentType)}</dd>
          </div>
        ) : null}
        <div>
          <dt>{t('inspector.record.version')}</dt>
          <dd>
            {versionName(r.version)} (0x{r.version.toString(16).padStart(4, '0')})
          </dd>
        </div>
        <div>
          <dt>{t('inspector.record.length')}</dt>
          <dd>{t('inspector.record.bytes', { n: r.length })}</dd>
        </div>
        <div>
          <dt>{t('inspector.record.header')}</dt>
          <dd className="mono">{spacedHex(r.header)}</dd>
        </div>
        <div className="insp-meta">
          <dd>
            {t('inspector.flight', { n: ev.flight })} · {t('inspector.conn', { n: ev.conn })} · {t('inspector.record.index', { n: r.index })}
            {r.count > 1 ? ` · ${t('inspector.record.span', { n: r.count })}` : ''} · {t('inspector.at', { ms: ev.t.toFixed(1) })}
          </dd>
        </div>
      </dl>
      {ev.alert ? (
        <p className="insp-alert" data-testid="inspector-alert">
          {t('inspector.alert', { level: ev.alert.levelName, description: ev.alert.description, code: ev.alert.code })}
        </p>
      ) : null}
      {ev.error ? (
        <p className="insp-error" role="status">
          {t('inspector.error', { code: ev.error.code, message: ev.error.message })}
        </p>
      ) : null}
    </header>
  );
}

function MessageView({ ev, large }: { ev: MessageEvent; large: boolean }) {
  const t = useT();
  const lang = useLab((s) => s.lang);
  const hover = useLab((s) => s.hover);
  const setHover = useLab((s) => s.setHover);
  const decoded = useMemo((): { ok: true; bytes: Uint8Array } | { ok: false; message: string } => {
    try {
      return { ok: true, bytes: fromHex(ev.hex) };
    } catch (e) {
      return { ok: false, message: e instanceof Error ? e.message : String(e) };
    }
  }, [ev.hex]);
  const tree = useMemo(() => buildTree(ev.fields), [ev.fields]);
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(() => new Set());
  const [focusPath, setFocusPath] = useState<string | null>(null);
  /** The path of the node the hover came from (several fields can share one byte range). */
  const [hoverPath, setHoverPath] = useState<string | null>(null);
  const hoverFrom = useRef<'tree' | 'hex' | null>(null);
  const treeRef = useRef<HTMLDivElement>(null);

  const active: TreeNode | null = useMemo(() => {
    if (!hover) return null;
    const n = hoverPath !== null ? tree.byPath.get(hoverPath) : undefined;
    if (n && n.field.start === hover.start && n.field.end === hover.end) return n;
    return nodeForRange(tree, hover);
  }, [hover, hoverPath, tree]);

  // Hovering bytes opens the tree down to the field that holds them, and shows its row.
  useEffect(() => {
    if (!active || hoverFrom.current !== 'hex') return;
    const anc = ancestorPaths(active);
    setExpanded((prev) => (anc.every((p) => prev.has(p)) ? prev : new Set([...prev, ...anc])));
    nextFrame(() => {
      treeRef.current?.querySelector<HTMLElement>(`[data-path="${active.path}"]`)?.scrollIntoView?.({ block: 'nearest' });
    });
  }, [active]);

  const rows = useMemo(() => visibleRows(tree, expanded), [tree, expanded]);
  const focusNode = (focusPath !== null ? tree.byPath.get(focusPath) : undefined) ?? null;
  const tabStop = focusNode && rows.includes(focusNode) ? focusNode.path : (rows[0]?.path ?? null);

  const hoverField = useCallback(
    (n: TreeNode | null, from: 'tree' | 'hex') => {
      hoverFrom.current = from;
      setHoverPath(n ? n.path : null);
      setHover(n ? { start: n.field.start, end: n.field.end } : null);
    },
    [setHover],
  );

  const onHexHover = useCallback(
    (offset: number | null) => {
      if (offset === null) {
        hoverFrom.current = 'hex';
        setHoverPath(null);
        setHover(null);
        return;
      }
      const n = deepestAt(tree, offset);
      if (n) hoverField(n, 'hex');
      else {
        hoverFrom.current = 'hex';
        setHoverPath(null);
        setHover({ start: offset, end: offset + 1 });
      }
    },
    [tree, hoverField, setHover],
  );

  const toggle = (n: TreeNode, open?: boolean) => {
    if (!n.children.length) return;
    setExpanded((prev) => {
      const next = new Set(prev);
      const want = open ?? !prev.has(n.path);
      if (want) next.add(n.path);
      else next.delete(n.path);
      return next;
    });
  };

  const focusRow = (n: TreeNode | undefined | null) => {
    if (!n) return;
    setFocusPath(n.path);
    hoverField(n, 'tree');
    nextFrame(() => treeRef.current?.querySelector<HTMLElement>(`[data-path="${n.path}"]`)?.focus());
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const cur = focusNode && rows.includes(focusNode) ? focusNode : rows[0];
    if (!cur) return;
    const i = rows.indexOf(cur);
    let handled = true;
    switch (e.key) {
      case 'ArrowDown':
        focusRow(rows[Math.min(rows.length - 1, i + 1)]);
        break;
      case 'ArrowUp':
        focusRow(rows[Math.max(0, i - 1)]);
        break;
      case 'Home':
        focusRow(rows[0]);
        break;
      case 'End':
        focusRow(rows[rows.length - 1]);
        break;
      case 'ArrowRight':
        if (cur.children.length && !expanded.has(cur.path)) toggle(cur, true);
        else if (cur.children.length) focusRow(cur.children[0]);
        break;
      case 'ArrowLeft':
        if (cur.children.length && expanded.has(cur.path)) toggle(cur, false);
        else if (cur.parent) focusRow(cur.parent);
        break;
      case 'Enter':
      case ' ':
        toggle(cur);
        break;
      case '*':
        setExpanded(new Set(expandablePaths(tree)));
        break;
      default:
        handled = false;
    }
    if (handled) {
      e.preventDefault();
      e.stopPropagation();
    }
  };

  const detail = active ?? focusNode;
  const canExpand = tree.all.some((n) => n.children.length);
  return (
    <div className={`insp-message${large ? ' large' : ''}`}>
      <MessageHeader ev={ev} />
      <div className="insp-split">
        <section className="insp-fields" aria-label={t('inspector.fields')}>
          <div className="insp-subbar">
            <h4>{t('inspector.fields')}</h4>
            {canExpand ? (
              <span className="insp-subtools">
                <button type="button" className="link-btn" onClick={() => setExpanded(new Set(expandablePaths(tree)))}>
                  {t('inspector.expandAll')}
                </button>
                <button type="button" className="link-btn" onClick={() => setExpanded(new Set())}>
                  {t('inspector.collapseAll')}
                </button>
              </span>
            ) : null}
          </div>
          {rows.length === 0 ? (
            <p className="muted insp-pad">{t('inspector.noFields')}</p>
          ) : (
            <div
              ref={treeRef}
              className="ftree"
              role="tree"
              aria-label={t('inspector.fieldsLabel', { name: ev.name })}
              onKeyDown={onKeyDown}
              onMouseLeave={() => hoverFrom.current === 'tree' && hoverField(null, 'tree')}
            >
              {rows.map((n) => {
                const f = n.field;
                const { doc } = fieldDoc(f, { message: ev.name, parent: n.parent?.field.name });
                const open = expanded.has(n.path);
                const isActive = active?.path === n.path;
                const inRange = !isActive && hover !== null && f.start >= hover.start && f.end <= hover.end && f.end > f.start;
                return (
                  <div
                    key={n.path}
                    role="treeitem"
                    aria-level={n.depth + 1}
                    aria-expanded={n.children.length ? open : undefined}
                    aria-selected={isActive}
                    tabIndex={n.path === tabStop ? 0 : -1}
                    className={`frow${isActive ? ' active' : ''}${inRange ? ' within' : ''}`}
                    style={{ paddingInlineStart: `${6 + n.depth * 14}px` }}
                    data-testid="field"
                    data-path={n.path}
                    data-name={f.name}
                    data-offset={f.start}
                    data-length={f.end - f.start}
                    title={`${doc[lang]} (${f.ref ?? doc.ref})`}
                    onMouseEnter={() => hoverField(n, 'tree')}
                    onFocus={() => {
                      if (focusPath !== n.path) setFocusPath(n.path);
                      if (active?.path !== n.path) hoverField(n, 'tree');
                    }}
                    onClick={() => {
                      setFocusPath(n.path);
                      toggle(n);
                    }}
                  >
                    <span className={`twisty${n.children.length ? '' : ' leaf'}`} aria-hidden="true">
                      {n.children.length ? (open ? '▾' : '▸') : '·'}
                    </span>
                    <span className="fname">{f.name}</span>
                    <span className="fval">{f.display}</span>
                  </div>
                );
              })}
            </div>
          )}
          <FieldDetail ev={ev} node={detail} />
        </section>
        <section className="insp-bytes" aria-label={t('inspector.bytes')}>
          <div className="insp-subbar">
            <h4>{t('inspector.bytes')}</h4>
            <span className="muted">{decoded.ok ? t('inspector.bytesCount', { n: decoded.bytes.length }) : ''}</span>
          </div>
          {decoded.ok ? (
            <HexPane bytes={decoded.bytes} highlight={hover} onHover={onHexHover} label={t('inspector.hexLabel')} />
          ) : (
            <p className="insp-error" data-testid="hex">
              {t('inspector.badHex', { message: decoded.message })}
            </p>
          )}
        </section>
      </div>
    </div>
  );
}

function FieldDetail({ ev, node }: { ev: MessageEvent; node: TreeNode | null }) {
  const t = useT();
  const lang = useLab((s) => s.lang);
  if (!node) {
    // Nothing hovered: what this message is for, and how to explore it.
    const doc = messageDoc(ev.name);
    return (
      <div className="fdetail" data-testid="field-doc" aria-live="polite">
        {doc ? (
          <>
            <div className="fdetail-head">
              <strong>{t('inspector.about')}</strong>
            </div>
            <p className="fdetail-doc">{doc[lang]}</p>
            <p className="fdetail-ref">{t('inspector.ref', { ref: doc.ref })}</p>
          </>
        ) : null}
        {doc ? null : <p className="muted small fdetail-hint">{t('inspector.emptyHint')}</p>}
      </div>
    );
  }
  const f = node.field;
  const { doc } = fieldDoc(f, { message: ev.name, parent: node.parent?.field.name });
  const ref = f.ref ?? doc.ref;
  const n = f.end - f.start;
  return (
    <div className="fdetail" data-testid="field-doc" aria-live="polite">
      <div className="fdetail-head">
        <strong className="mono">{f.name}</strong>
        <span className="muted">{n > 0 ? t('inspector.range', { start: f.start, last: f.end - 1, n }) : t('inspector.rangeEmpty', { start: f.start })}</span>
      </div>
      <p className="fdetail-doc">{doc[lang]}</p>
      {ref ? <p className="fdetail-ref">{t('inspector.ref', { ref })}</p> : null}
    </div>
  );
}

/** The hex controller in a React pane: created once, fed bytes and the highlight, destroyed on unmount. */
function HexPane({ bytes, highlight, onHover, label }: { bytes: Uint8Array; highlight: { start: number; end: number } | null; onHover: (o: number | null) => void; label: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const view = useRef<HexView | null>(null);
  const onHoverRef = useRef(onHover);
  onHoverRef.current = onHover;
  const bytesRef = useRef(bytes);
  bytesRef.current = bytes;
  const highlightRef = useRef(highlight);
  highlightRef.current = highlight;
  const projector = useLab((s) => s.projector);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const fontPx = parseFloat(getComputedStyle(el).fontSize) || 12;
    const v = new HexView(el, { onHover: (o) => onHoverRef.current(o), label, rowHeight: Math.ceil(fontPx * 1.6) });
    view.current = v;
    const fit = () => {
      const width = el.clientWidth;
      if (width <= 0) return;
      // Monospace digits are ~0.6 em wide; keep 16 bytes per row when they fit.
      v.setBytesPerRow(width >= ROW_CHARS[16] * fontPx * 0.62 + 28 ? 16 : 8);
    };
    fit();
    const ro = typeof ResizeObserver === 'function' ? new ResizeObserver(fit) : null;
    ro?.observe(el);
    v.update({ bytes: bytesRef.current, highlight: highlightRef.current });
    return () => {
      ro?.disconnect();
      v.destroy();
      view.current = null;
    };
  }, [label, projector]);
  useEffect(() => view.current?.update({ bytes }), [bytes]);
  useEffect(() => view.current?.update({ highlight }), [highlight]);
  return <div className="hex-pane" data-testid="hex" ref={ref} />;
}

// ------------------------------------------------------------------------------------ HTTP, CWMP

function Route({ from, to }: { from: string; to: string }) {
  const t = useT();
  return (
    <span className="route" data-from={from} data-to={to}>
      <span className="sr-only">{t('inspector.route', { from: t(`inspector.party.${from}`), to: t(`inspector.party.${to}`) })}</span>
      <span aria-hidden="true">
        <Party p={from} /> → <Party p={to} />
      </span>
    </span>
  );
}

function HttpView({ ev }: { ev: HttpEvent }) {
  const t = useT();
  const start = ev.request ? `${ev.request.method} ${ev.request.path} HTTP/1.1` : ev.response ? `HTTP/1.1 ${ev.response.status} ${ev.response.reason}` : '';
  return (
    <div className="insp-http k-http">
      <header className="insp-head">
        <div className="insp-title">
          <span className="kind-dot" aria-hidden="true" />
          <h3 data-testid="inspector-name">{t(ev.request ? 'inspector.http.request' : 'inspector.http.response')}</h3>
          <Route from={ev.from} to={ev.to} />
        </div>
        <div className={`insp-lock ${ev.plain ? 'lock-plain warn' : 'lock-decrypted'}`} data-lock={ev.plain ? 'plain' : 'decrypted'}>
          {ev.plain ? null : <LockIcon open />}
          <span>{t(ev.plain ? 'inspector.http.plain' : 'inspector.http.tls')}</span>
        </div>
        <p className="insp-startline mono">{start}</p>
        <p className="muted small">
          {t('inspector.conn', { n: ev.conn })} · {t('inspector.at', { ms: ev.t.toFixed(1) })} · <cite>{t('inspector.http.ref')}</cite>
        </p>
      </header>
      <section className="insp-section">
        <h4>{t('inspector.http.headers')}</h4>
        {ev.headers.length ? (
          <table className="kv-table">
            <tbody>
              {ev.headers.map((h, i) => (
                <tr key={i}>
                  <th scope="row">{h.name}</th>
                  <td className="mono">{h.value}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p className="muted">{t('inspector.http.noHeaders')}</p>
        )}
        <p className="muted">{t('inspector.http.body', { n: ev.bodyLength })}</p>
      </section>
    </div>
  );
}

function XmlView({ lines }: { lines: XmlLine[] }) {
  return (
    <pre className="xml" data-testid="cwmp-xml">
      {lines.map((l, i) => (
        <div key={i} className={`xml-line${l.cont ? ' cont' : ''}`} style={{ paddingInlineStart: `${l.depth * 1.2 + 1.5}em` }}>
          {l.tokens.map((tk, j) => (
            <span key={j} className={`x-${tk.k}`}>
              {tk.s}
            </span>
          ))}
        </div>
      ))}
    </pre>
  );
}

function CwmpView({ ev }: { ev: CwmpEvent }) {
  const t = useT();
  const [copied, setCopied] = useState(false);
  const pretty = useMemo((): { ok: true; lines: XmlLine[] } | { ok: false; message: string } => {
    try {
      return { ok: true, lines: prettyXmlLines(ev.xml) };
    } catch (e) {
      return { ok: false, message: e instanceof XmlPrettyError ? e.message : String(e) };
    }
  }, [ev.xml]);
  const copy = async () => {
    const ok = await copyText(ev.xml);
    setCopied(ok);
    if (ok) setTimeout(() => setCopied(false), 1500);
  };
  return (
    <div className="insp-cwmp k-cwmp">
      <header className="insp-head">
        <div className="insp-title">
          <span className="kind-dot" aria-hidden="true" />
          <h3 data-testid="inspector-name">{t('inspector.cwmp.title', { rpc: ev.rpc })}</h3>
          <Route from={ev.from} to={ev.to} />
        </div>
        {ev.summary ? <p className="insp-summary">{ev.summary}</p> : null}
        <dl className="insp-record">
          <div>
            <dt>{t('inspector.cwmp.id')}</dt>
            <dd className="mono">{ev.id ?? t('inspector.cwmp.noId')}</dd>
          </div>
          <div>
            <dt>{t('inspector.cwmp.ns')}</dt>
            <dd className="mono">{`urn:dslforum-org:cwmp-${ev.ns}`}</dd>
          </div>
          <div className="insp-meta">
            <dd>
              {t('inspector.conn', { n: ev.conn })} · {t('inspector.at', { ms: ev.t.toFixed(1) })} · <cite>{t('inspector.cwmp.ref')}</cite>
            </dd>
          </div>
        </dl>
      </header>
      <section className="insp-section insp-envelope">
        <div className="insp-subbar">
          <h4>{t('inspector.cwmp.envelope')}</h4>
          {ev.xml ? (
            <button type="button" className="link-btn" onClick={() => void copy()}>
              {copied ? t('inspector.cwmp.copied') : t('inspector.cwmp.copy')}
            </button>
          ) : null}
        </div>
        {pretty.ok ? (
          <XmlView lines={pretty.lines} />
        ) : (
          <>
            <p className="insp-error">{t('inspector.cwmp.invalid', { message: pretty.message })}</p>
            <pre className="xml raw" data-testid="cwmp-xml">
              {ev.xml}
            </pre>
          </>
        )}
      </section>
    </div>
  );
}

// ------------------------------------------------------------------------------------ other events

function yesNo(t: T, v: boolean | null | undefined): string {
  return v === null || v === undefined ? '—' : t(v ? 'inspector.yes' : 'inspector.no');
}

function FactsView({ ev }: { ev: Exclude<LabEvent, { kind: 'message' | 'http' | 'cwmp' }> }) {
  const t = useT();
  const party = (p: string | null) => (p ? t(`inspector.party.${p}`) : '—');
  let rows: [string, ReactNode][] = [];
  let lead: ReactNode = null;
  switch (ev.kind) {
    case 'tcp':
      lead = <p>{t(`inspector.tcp.${ev.action}`, { party: party(ev.from) })}</p>;
      rows = [
        [t('inspector.fact.action'), <span className="mono">{ev.action}</span>],
        [t('inspector.fact.conn'), ev.conn],
        [t('inspector.fact.from'), party(ev.from)],
      ];
      break;
    case 'secret':
      lead = <p>{t('inspector.secret.explain')}</p>;
      rows = [
        [t('inspector.fact.label'), <span className="mono">{ev.label}</span>],
        [t('inspector.fact.from'), party(ev.from)],
        [t('inspector.fact.clientRandom'), <span className="mono wrap">{ev.clientRandom}</span>],
        [t('inspector.fact.line'), <span className="mono wrap">{ev.line}</span>],
      ];
      break;
    case 'endpoint':
      lead = (
        <>
          <p>
            <strong>{party(ev.side)}</strong>: {t(`inspector.endpoint.${ev.what}`)}
          </p>
          <p className="muted small">{t('inspector.endpoint.note')}</p>
        </>
      );
      rows = [
        ...(ev.authorized !== undefined ? [[t('inspector.fact.authorized'), yesNo(t, ev.authorized)] as [string, ReactNode]] : []),
        ...(ev.authorizationError ? [[t('inspector.fact.authorizationError'), <span className="mono">{ev.authorizationError}</span>] as [string, ReactNode]] : []),
        ...(ev.code ? [[t('inspector.fact.code'), <span className="mono">{ev.code}</span>] as [string, ReactNode]] : []),
        ...(ev.message ? [[t('inspector.fact.message'), ev.message] as [string, ReactNode]] : []),
        ...(ev.protocol ? [[t('inspector.fact.protocol'), ev.protocol] as [string, ReactNode]] : []),
        ...(ev.cipher ? [[t('inspector.fact.cipher'), <span className="mono">{ev.cipher}</span>] as [string, ReactNode]] : []),
        ...(ev.verifyError
          ? [
              [
                t('inspector.fact.verifyError'),
                <span>
                  <span className="mono">
                    {ev.verifyError.name} ({ev.verifyError.code})
                  </span>
                  {ev.verifyError.depth !== null ? ` · ${t('inspector.fact.depth')} ${ev.verifyError.depth}` : ''} — “{ev.verifyError.text}”
                </span>,
              ] as [string, ReactNode],
            ]
          : []),
      ];
      break;
    case 'error':
      lead = (
        <p className="insp-error">
          <span className="mono">{ev.code}</span>: {ev.code === NOT_HTTP && ev.from ? t('terminal.notHttp', { party: t(`terminal.party.${ev.from}`) }) : ev.message}
        </p>
      );
      rows = [[t('inspector.fact.from'), party(ev.from)]];
      break;
    case 'session':
      rows = [
        [t('inspector.fact.startedAt'), ev.startedAt],
        [t('inspector.fact.mode'), `TLS ${ev.config.tls} ${ev.config.kx.toUpperCase()}${ev.config.paper ? ' (paper)' : ''} · ${ev.config.cipher}`],
        [t('inspector.fact.verifier'), ev.config.verifier],
        [t('inspector.fact.faults'), ev.config.faults.length ? ev.config.faults.join(', ') : t('inspector.fact.none')],
        [
          t('inspector.fact.endpoints'),
          <span className="mono">
            {(['cpe', 'relay', 'acs'] as const)
              .map((p) => `${t(p === 'relay' ? 'inspector.relay' : `inspector.party.${p}`)} ${ev.endpoints[p].ip}:${ev.endpoints[p].port}`)
              .join(' · ')}
          </span>,
        ],
      ];
      break;
    case 'outcome':
      lead = <p className={ev.ok ? 'ok-text' : 'bad-text'}>{outcomeSentence(ev, t)}</p>;
      rows = [
        [t('inspector.fact.ok'), yesNo(t, ev.ok)],
        [t('inspector.fact.abortedBy'), party(ev.abortedBy)],
        [t('inspector.fact.compromised'), yesNo(t, ev.compromised)],
        [t('inspector.fact.version'), ev.negotiated.version ?? '—'],
        [t('inspector.fact.cipherSuite'), ev.negotiated.cipherSuite ?? '—'],
        [t('inspector.fact.group'), ev.negotiated.group ?? '—'],
        [t('inspector.fact.duration'), t('inspector.ms', { n: Math.round(ev.durationMs) })],
      ];
      break;
  }
  return (
    <div className="insp-facts">
      <header className="insp-head">
        <div className="insp-title">
          <h3 data-testid="inspector-name">{t(`inspector.kind.${ev.kind}`)}</h3>
          <span className="muted small">{t('inspector.seq', { n: ev.seq })}</span>
        </div>
      </header>
      <section className="insp-section">
        {lead}
        <FactTable rows={rows} className="kv-table" />
      </section>
    </div>
  );
}
