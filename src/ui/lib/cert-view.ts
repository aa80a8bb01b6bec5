/**
 * The certificate view's model: for each side's chain, the browser's checks (cert-parse.ts) and the
 * REAL verdict its verifier reported (the outcome, or the endpoint's verify event while running),
 * then the d3 tree data. Pure: the component feeds it store data and a translate function.
 */
import type { LabEvent, OutcomeEvent, SessionEventT, VerifyError } from '../../protocol/events.ts';
import type { CertTreeData, CertTreeNode, CertNodeStatus } from '../controllers/cert-tree.ts';
import { verifyChain, type ChainNode, type ChainReport } from './cert-parse.ts';

/** Whose chain: the CPE's, the ACS's, or what an on-path attacker showed the CPE. */
export type Owner = 'cpe' | 'acs' | 'attacker';
/** Who verifies a chain: always one of the two real endpoints. */
export type Verifier = 'cpe' | 'acs';

export type RealVerdict =
  | { state: 'pending' | 'ok' | 'notReached' | 'none' }
  | { state: 'fail' | 'ignored'; error: VerifyError | null; authorizationError: string | null };

export interface SideModel {
  /** Whose chain. */
  owner: Owner;
  /** Who verifies it (the other side; the CPE for the attacker's chain). */
  verifier: Verifier;
  report: ChainReport;
  real: RealVerdict;
  /** Depth in the path where the real verifier reported its error, when known. */
  realDepth: number | null;
  /** The verifier's peer was an on-path attacker: its verdict is about the attacker's certificate. */
  aboutAttacker: boolean;
}

/** Errors that are always about the leaf, even when reported without a depth (Node.js names no depth). */
const LEAF_ERRORS = new Set([
  'X509_V_ERR_HOSTNAME_MISMATCH',
  'X509_V_ERR_IP_ADDRESS_MISMATCH',
  'X509_V_ERR_EMAIL_MISMATCH',
  'X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT',
  'X509_V_ERR_EE_KEY_TOO_SMALL',
]);

/** What `side`'s verifier said about its peer's certificate. */
export function realVerdict(side: Verifier, events: readonly LabEvent[], outcome: OutcomeEvent | null, running: boolean): RealVerdict {
  if (outcome) {
    const s = outcome[side];
    if (s.verifyError || s.verifiedPeer === false) {
      const fatal = outcome.abortedBy === side || !s.secure;
      return { state: fatal ? 'fail' : 'ignored', error: s.verifyError, authorizationError: s.authorizationError };
    }
    if (s.verifiedPeer === true) return { state: 'ok' };
    return { state: 'notReached' };
  }
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i]!;
    if (e.kind === 'endpoint' && e.side === side && e.what === 'verify' && e.verifyError) return { state: 'fail', error: e.verifyError, authorizationError: null };
    if (e.kind === 'endpoint' && e.side === side && e.what === 'secure' && e.authorized === true) return { state: 'ok' };
  }
  return { state: running ? 'pending' : 'none' };
}

/** The path depth an error points at: its depth, or the leaf for errors only a leaf can have (reported without a depth). */
export function errorDepth(v: RealVerdict): number | null {
  if (v.state !== 'fail' && v.state !== 'ignored') return null;
  const e = v.error;
  if (!e) return null;
  if (e.depth !== null) return e.depth;
  return LEAF_ERRORS.has(e.name) ? 0 : null;
}

export function sideModels(session: SessionEventT, events: readonly LabEvent[], outcome: OutcomeEvent | null, running: boolean): SideModel[] {
  const at = new Date(session.startedAt);
  const level = session.config.verifier === 'node' ? 1 : 2;
  const attacker = (outcome?.attacker ?? null) !== null || events.some((e) => e.kind === 'message' && (e.from === 'attacker' || e.to === 'attacker'));
  const certs = session.certificates;
  const build = (owner: Owner): SideModel => {
    const verifier: Verifier = owner === 'cpe' ? 'acs' : 'cpe';
    const report = verifyChain({
      chain: certs[owner]?.chain ?? [],
      trust: certs[verifier].trust,
      expectedName: certs[verifier].expectsPeerName,
      purpose: owner === 'cpe' ? 'clientAuth' : 'serverAuth',
      securityLevel: level,
      at,
    });
    const real = realVerdict(verifier, events, outcome, running);
    // With an attacker on the wire the CPE's verdict is about the attacker's chain, not the ACS's.
    const aboutAttacker = attacker && owner === 'acs';
    return { owner, verifier, report, real, realDepth: aboutAttacker ? null : errorDepth(real), aboutAttacker };
  };
  // As on the ladder: the CPE on the left, the attacker (when its chain is known) in the middle, the ACS on the right.
  return certs.attacker ? [build('cpe'), build('attacker'), build('acs')] : [build('cpe'), build('acs')];
}

export const nodeId = (owner: Owner, depth: number): string => `${owner}:${depth}`;
export const MISSING = 'missing';

export function nodeStatus(n: ChainNode): CertNodeStatus {
  if (!n.parsed.ok) return 'fail';
  if (n.checks.some((c) => c.status === 'fail')) return 'fail';
  if (n.checks.some((c) => c.status === 'warn')) return 'warn';
  return 'pass';
}

import type { Translate } from '../i18n/index.ts';
export type { Translate };

export function nodeTitle(n: ChainNode, t: Translate): string {
  if (!n.parsed.ok) return t('certs.unparsable');
  return n.parsed.cert.subject.cn ?? (n.parsed.cert.subject.text || '—');
}

/** The d3 tree for both sides (root at the top, leaf at the bottom). */
export function treeData(models: readonly SideModel[], t: Translate, selected: string | null, verifierName: string): CertTreeData {
  const sides = models.map((m) => {
    const path = m.report.path;
    let child: CertTreeNode | null = null;
    // Build from the leaf up: each node's child is the one below it.
    for (const n of path) {
      const status = nodeStatus(n);
      const role = n.role;
      const realMark = m.realDepth === n.depth ? t('certs.real.mark', { verifier: verifierName }) : null;
      const subtitle = `${t(`certs.role.${role}`)} · ${t('certs.depth', { n: n.depth })}`;
      const node: CertTreeNode = {
        id: nodeId(m.owner, n.depth),
        title: nodeTitle(n, t),
        subtitle,
        role,
        anchor: n.source === 'trust',
        status,
        realMark,
        aria: [nodeTitle(n, t), subtitle, n.source === 'trust' ? t('certs.anchorMark') : '', t(`certs.status.${status}`), realMark ?? ''].filter(Boolean).join(', '),
        children: child ? [child] : [],
      };
      child = node;
    }
    if (child && m.report.missingIssuer !== null) {
      const title = m.report.missingIssuer;
      const cn = /(?:^|, )CN=([^,]+)/.exec(title)?.[1] ?? title;
      child = {
        id: `${m.owner}:${MISSING}`,
        title: cn,
        subtitle: t('certs.role.missingLong'),
        role: 'missing',
        anchor: false,
        status: 'unknown',
        realMark: null,
        aria: `${t('certs.role.missing')}: ${title}`,
        children: [child],
      };
    }
    return { id: m.owner, title: t(`certs.side.${m.owner}`), root: child, empty: t('certs.reason.noChain') };
  });
  return { sides, selected, anchorLabel: t('certs.anchorMark'), label: t('certs.treeLabel') };
}

/** The chain node an id names, if any. */
export function findNode(models: readonly SideModel[], id: string | null): { model: SideModel; node: ChainNode } | null {
  if (!id) return null;
  const [owner, depth] = id.split(':');
  const model = models.find((m) => m.owner === owner);
  const node = model?.report.path.find((n) => String(n.depth) === depth);
  return model && node ? { model, node } : null;
}

/** The certificate to open first: where the real verifier failed, else the first failing browser check, else the ACS leaf. */
export function defaultSelection(models: readonly SideModel[]): string | null {
  for (const m of models) if (m.realDepth !== null && m.report.path.some((n) => n.depth === m.realDepth)) return nodeId(m.owner, m.realDepth);
  for (const m of [...models].reverse()) {
    const bad = m.report.path.find((n) => nodeStatus(n) === 'fail');
    if (bad) return nodeId(m.owner, bad.depth);
  }
  const acs = models.find((m) => m.owner === 'acs' && m.report.path.length);
  if (acs) return nodeId('acs', 0);
  const any = models.find((m) => m.report.path.length);
  return any ? nodeId(any.owner, 0) : null;
}
