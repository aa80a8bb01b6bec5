/**
 * Builds a {@link Scenario} from fault ids: the correct lab scenario with each fault's
 * {@link FaultPatch} applied. Patches are merged generically (a deep merge over plain objects;
 * arrays and a few whole-value fields are atomic); two faults setting the same property to
 * different values are a conflict, reported before anything is generated.
 *
 * Certificates are memoised by what determines them (role, merged patch, issuer), so the
 * unchanged parts (lab root, correct leaves) are shared by every scenario, and each fault set
 * is cached as a whole: building the same set again returns the cached scenario.
 */
import { AsnConvert } from '@peculiar/asn1-schema';
import { GeneralName, GeneralSubtree, GeneralSubtrees, NameConstraints } from '@peculiar/asn1-x509';
import { issueCert, type CertSpec, type ExtraExtension, type IssuedCert } from '../cert.ts';
import { DEFAULT_KEY_BITS, generateRsaKey, type KeyPool, type RsaKey } from '../keys.ts';
import { ACS_HOSTNAME, DEFAULT_CPE, acsSpec, cpeCommonName, cpeSpec, rootCaSpec } from '../lab.ts';
import { FaultError, getFault, type CertPatch, type CrlPatch, type FaultPatch, type FaultSpec, type IssuerChoice, type TrustChoice } from './catalog.ts';
import { createCrl } from './crl.ts';
import type { Scenario, ScenarioSide, TlsOverride } from './types.ts';

export interface BuildOptions {
  pool?: KeyPool;
  /** The reference time for validity periods and CRLs (default: now). */
  now?: Date;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const YEAR = 365 * DAY;
/** Cached artifacts built against the live clock are rebuilt after this long. */
const LIVE_TTL_MS = HOUR;

export const EXPECTED_CPE_ID = cpeCommonName(DEFAULT_CPE);
export const INTERMEDIATE_SUBJECT = { CN: 'Handshake Lab Intermediate CA', O: 'Handshake Lab' } as const;
export const OTHER_CA_SUBJECT = { CN: 'Elsewhere Root CA', O: 'Elsewhere Networks' } as const;
export const ATTACKER_CA_SUBJECT = { CN: 'Interception Root CA', O: 'On-Path Attacker' } as const;

// ------------------------------------------------------------------ merging

/** Fields whose value is replaced as a whole, never merged key by key. */
const ATOMIC = new Set(['san', 'nameConstraints']);

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Key-order-independent JSON (for equality and cache keys). */
export function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (v instanceof Uint8Array) return `"hex:${Buffer.from(v).toString('hex')}"`;
  if (isPlainObject(v)) {
    return `{${Object.keys(v)
      .filter((k) => v[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson(v[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v) ?? 'undefined';
}

/** Merges the faults' patches; throws ERR_FAULT_CONFLICT naming both faults and the property. */
export function mergePatches(faults: readonly FaultSpec[]): FaultPatch {
  const merged: Record<string, unknown> = {};
  const owner = new Map<string, { id: string; value: unknown }>();
  const walk = (from: Record<string, unknown>, into: Record<string, unknown>, path: string, id: string): void => {
    for (const [key, value] of Object.entries(from)) {
      if (value === undefined) continue;
      const p = path ? `${path}.${key}` : key;
      if (isPlainObject(value) && !ATOMIC.has(key)) {
        const child = (into[key] ??= {}) as Record<string, unknown>;
        walk(value, child, p, id);
        continue;
      }
      const prev = owner.get(p);
      if (prev && stableJson(prev.value) !== stableJson(value)) {
        throw new FaultError(
          'ERR_FAULT_CONFLICT',
          `faults ${JSON.stringify(prev.id)} and ${JSON.stringify(id)} cannot be combined: both set ${p} (${stableJson(prev.value)} vs ${stableJson(value)})`,
          [prev.id, id],
        );
      }
      if (!prev) owner.set(p, { id, value });
      into[key] = value;
    }
  };
  for (const f of faults) walk(f.patch as Record<string, unknown>, merged, '', f.id);
  return merged as FaultPatch;
}

// ------------------------------------------------------------------ memoised artifacts

interface Ctx {
  pool: KeyPool | undefined;
  now: number;
  /** Part of every cache key: the fixed `now`, or 'live'. */
  clock: string;
}

const artifacts = new Map<string, { at: number; value: Promise<unknown> }>();

function memo<T>(key: string, ctx: Ctx, make: () => Promise<T>): Promise<T> {
  const hit = artifacts.get(key);
  if (hit && (ctx.clock !== 'live' || Date.now() - hit.at < LIVE_TTL_MS)) return hit.value as Promise<T>;
  const value = make();
  artifacts.set(key, { at: Date.now(), value });
  value.catch(() => artifacts.delete(key));
  return value;
}

/** A CA or leaf: the base spec with a patch applied, dated from ctx.now. */
interface Made {
  cert: IssuedCert;
  /** Cache key identifying this certificate. */
  key: string;
}

function nameConstraintsExtension(nc: NonNullable<CertPatch['nameConstraints']>): ExtraExtension {
  const subtrees = (names: string[] | undefined) =>
    names?.length ? new GeneralSubtrees(names.map((dNSName) => new GeneralSubtree({ base: new GeneralName({ dNSName }) }))) : undefined;
  const permittedSubtrees = subtrees(nc.permittedDns);
  const excludedSubtrees = subtrees(nc.excludedDns);
  const value = new NameConstraints({ ...(permittedSubtrees ? { permittedSubtrees } : {}), ...(excludedSubtrees ? { excludedSubtrees } : {}) });
  // RFC 5280 §4.2.1.10: conforming CAs MUST mark this extension as critical.
  return { oid: '2.5.29.30', critical: true, value: new Uint8Array(AsnConvert.serialize(value)) };
}

export function applyCertPatch(base: CertSpec, patch: CertPatch, now: number): CertSpec {
  const spec: CertSpec = { ...base };
  const isCA = (patch.isCA !== undefined ? patch.isCA : base.isCA) === true;
  spec.notBefore = new Date(now + (patch.notBeforeDays !== undefined ? patch.notBeforeDays * DAY : -HOUR));
  spec.notAfter = new Date(now + (patch.notAfterDays !== undefined ? patch.notAfterDays * DAY : isCA ? 10 * YEAR : YEAR));
  if (patch.subjectCN !== undefined) spec.subject = { ...base.subject, CN: patch.subjectCN };
  if (patch.isCA !== undefined) spec.isCA = patch.isCA;
  if (patch.pathLen !== undefined) spec.pathLen = patch.pathLen;
  if (patch.keyUsage !== undefined) spec.keyUsage = patch.keyUsage;
  if (patch.extKeyUsage !== undefined) spec.extKeyUsage = patch.extKeyUsage;
  if (patch.san !== undefined) spec.san = patch.san;
  if (patch.digest !== undefined) spec.digest = patch.digest;
  if (patch.keyBits !== undefined) spec.keyBits = patch.keyBits;
  if (patch.flipSignatureBit !== undefined) spec.flipSignatureBit = patch.flipSignatureBit;
  const extra = [...(base.extraExtensions ?? []), ...(patch.extraExtensions ?? [])];
  if (patch.nameConstraints) extra.push(nameConstraintsExtension(patch.nameConstraints));
  if (extra.length) spec.extraExtensions = extra;
  return spec;
}

function make(role: string, base: (issuer: IssuedCert | undefined) => CertSpec, patch: CertPatch | undefined, issuer: Made | undefined, ctx: Ctx): Promise<Made> {
  const key = `${role}|${stableJson(patch ?? {})}|${ctx.clock}|<${issuer?.key ?? 'self'}>`;
  return memo(key, ctx, async () => {
    const spec = applyCertPatch(base(issuer?.cert), patch ?? {}, ctx.now);
    if (!issuer) delete spec.issuer;
    const cert = await issueCert(spec, ctx.pool ? { pool: ctx.pool } : {});
    return { cert, key };
  });
}

function takeKey(role: string, bits: number, ctx: Ctx): Promise<RsaKey> {
  return memo(`key|${role}|${bits}|${ctx.clock}`, ctx, () => (ctx.pool ? ctx.pool.take(bits) : generateRsaKey(bits)));
}

const caSpec = (subject: { CN: string; O: string }) => (): CertSpec => ({ ...rootCaSpec(), subject: { ...subject } });

// ------------------------------------------------------------------ building

interface Pki {
  root: Made;
  intermediate: Made | undefined;
  otherCa: Made | undefined;
  impostor: Made | undefined;
}

function issuerOf(choice: IssuerChoice, pki: Pki): Made | undefined {
  switch (choice) {
    case 'root':
      return pki.root;
    case 'intermediate':
      return pki.intermediate;
    case 'other-ca':
      return pki.otherCa;
    case 'impostor':
      return pki.impostor;
    case 'self':
      return undefined;
  }
}

function trustOf(choice: TrustChoice, pki: Pki): string[] {
  const ca = choice === 'root' ? pki.root : choice === 'intermediate-only' ? pki.intermediate : pki.otherCa;
  return [ca!.cert.certPem];
}

async function crlFor(patch: CrlPatch, peerLeaf: IssuedCert, peerIssuer: IssuedCert, ctx: Ctx): Promise<Pick<ScenarioSide, 'crls' | 'crlCheck'>> {
  const crlCheck = patch.check ?? 'leaf';
  if (patch.publish === false) return { crls: [], crlCheck };
  const thisUpdate = new Date(ctx.now + (patch.thisUpdateDays !== undefined ? patch.thisUpdateDays * DAY : -HOUR));
  const nextUpdate = new Date(patch.nextUpdateDays !== undefined ? ctx.now + patch.nextUpdateDays * DAY : thisUpdate.getTime() + 7 * DAY);
  const crl = await createCrl({ issuer: peerIssuer, revoked: patch.revokePeer ? [peerLeaf.cert.serialNumber] : [], thisUpdate, nextUpdate });
  return { crls: [crl], crlCheck };
}

async function assemble(ids: string[], faults: FaultSpec[], ctx: Ctx): Promise<Scenario> {
  const p = mergePatches(faults); // throws before anything is generated
  const acsIssuer = p.acsIssuer ?? 'root';
  const cpeIssuer = p.cpeIssuer ?? 'root';
  const acsTrust = p.acsTrust ?? 'root';
  const cpeTrust = p.cpeTrust ?? 'root';
  const uses = (choice: string) => [acsIssuer, cpeIssuer, acsTrust, cpeTrust].includes(choice as never);

  const root = await make('root', rootCaSpec, p.root, undefined, ctx);
  const [intermediate, otherCa, impostor, attackerCa] = await Promise.all([
    uses('intermediate') || uses('intermediate-only')
      ? make('intermediate', (i) => ({ subject: { ...INTERMEDIATE_SUBJECT }, issuer: i!, isCA: true, keyUsage: ['keyCertSign', 'cRLSign'] }), p.intermediate, root, ctx)
      : undefined,
    uses('other-ca') ? make('other-ca', caSpec(OTHER_CA_SUBJECT), undefined, undefined, ctx) : undefined,
    uses('impostor') ? make('impostor', rootCaSpec, undefined, undefined, ctx) : undefined,
    p.attacker ? make('attacker-ca', caSpec(ATTACKER_CA_SUBJECT), undefined, undefined, ctx) : undefined,
  ]);
  const pki: Pki = { root, intermediate, otherCa, impostor };

  const acsBase = (i: IssuedCert | undefined) => acsSpec(i as IssuedCert, ACS_HOSTNAME);
  const cpeBase = (i: IssuedCert | undefined) => cpeSpec(i as IssuedCert, DEFAULT_CPE);
  const acsCa = issuerOf(acsIssuer, pki);
  const cpeCa = issuerOf(cpeIssuer, pki);
  const [acs, cpe, attackerLeaf, acsOtherKey, cpeOtherKey] = await Promise.all([
    make('acs', acsBase, p.acsLeaf, acsCa, ctx),
    make('cpe', cpeBase, p.cpeLeaf, cpeCa, ctx),
    attackerCa ? make('attacker-leaf', acsBase, undefined, attackerCa, ctx) : undefined,
    p.acsKeyMismatch ? takeKey('acs-other', p.acsLeaf?.keyBits ?? DEFAULT_KEY_BITS, ctx) : undefined,
    p.cpeKeyMismatch ? takeKey('cpe-other', p.cpeLeaf?.keyBits ?? DEFAULT_KEY_BITS, ctx) : undefined,
  ]);

  const chain = (leaf: Made, choice: IssuerChoice, sendIntermediate: boolean | undefined) => [
    leaf.cert.certPem,
    ...(choice === 'intermediate' && sendIntermediate !== false && intermediate ? [intermediate.cert.certPem] : []),
  ];
  const side = async (
    leaf: Made,
    issuerChoice: IssuerChoice,
    sendIntermediate: boolean | undefined,
    otherKey: RsaKey | undefined,
    trust: TrustChoice,
    crl: CrlPatch | undefined,
    peer: Made,
    peerCa: Made | undefined,
  ): Promise<ScenarioSide> => ({
    chain: chain(leaf, issuerChoice, sendIntermediate),
    key: otherKey ? otherKey.privateKeyPem : leaf.cert.keyPem,
    trust: trustOf(trust, pki),
    ...(crl ? await crlFor(crl, peer.cert, (peerCa ?? peer).cert, ctx) : {}),
  });

  const tls = (o: TlsOverride | undefined): TlsOverride => ({ ...(o ?? {}) });
  const [acsSide, cpeSide] = await Promise.all([
    side(acs, acsIssuer, p.acsSendsIntermediate, acsOtherKey, acsTrust, p.acsCrl, cpe, cpeCa),
    side(cpe, cpeIssuer, p.cpeSendsIntermediate, cpeOtherKey, cpeTrust, p.cpeCrl, acs, acsCa),
  ]);
  return {
    faults: ids,
    acs: acsSide,
    cpe: cpeSide,
    acsHostname: p.acsHostname ?? ACS_HOSTNAME,
    tls: { acs: tls(p.tls?.acs), cpe: tls(p.tls?.cpe) },
    attacker: attackerLeaf ? { chain: [attackerLeaf.cert.certPem], key: attackerLeaf.cert.keyPem } : null,
    expectedCpeId: p.expectedCpeId ?? EXPECTED_CPE_ID,
  };
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as object)) deepFreeze(v);
  }
  return value;
}

const scenarios = new Map<string, { at: number; value: Promise<Scenario> }>();

/**
 * The lab scenario with these faults applied (in the order given; duplicates ignored).
 * Throws FaultError ERR_UNKNOWN_FAULT / ERR_FAULT_CONFLICT before generating anything.
 * Cached per fault set (sorted ids): a repeated set costs no certificate generation.
 */
export async function buildScenario(faultIds: readonly string[], opts: BuildOptions = {}): Promise<Scenario> {
  const ids = [...new Set(faultIds)];
  const faults = ids.map(getFault);
  const ctx: Ctx = {
    pool: opts.pool,
    now: opts.now ? opts.now.getTime() : Date.now(),
    clock: opts.now ? String(opts.now.getTime()) : 'live',
  };
  const key = `${[...ids].sort().join(',')}|${ctx.clock}`;
  let hit = scenarios.get(key);
  if (!hit || (ctx.clock === 'live' && Date.now() - hit.at >= LIVE_TTL_MS)) {
    mergePatches(faults); // conflicts throw synchronously-ish, before any generation or caching
    hit = { at: Date.now(), value: assemble([...ids].sort(), faults, ctx).then(deepFreeze) };
    scenarios.set(key, hit);
    hit.value.catch(() => scenarios.delete(key));
  }
  const scenario = await hit.value;
  return { ...scenario, faults: ids };
}

/** Forgets every cached scenario and certificate (tests; a new lab root on next build). */
export function clearScenarioCache(): void {
  scenarios.clear();
  artifacts.clear();
}
