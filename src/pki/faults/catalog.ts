/**
 * The fault catalogue: every fault a student can inject, as data.
 *
 * Each entry is a {@link FaultDefinition} (what the UI shows, in English and 简体中文) plus a
 * {@link FaultPatch}: a declarative change to the correct lab scenario. `build.ts` applies patches
 * generically (deep merge, conflicts detected per property); nothing anywhere branches on a fault id.
 *
 * Behaviour notes in the texts were checked against Node.js 20 (bundled OpenSSL 3.0, security
 * level 1) and the Debian OpenSSL 3.0 binary (default security level 2):
 * - Node.js verifies the peer after the handshake (its verify callback accepts everything), then
 *   closes the socket without a TLS alert and reports only the LAST verify error.
 * - OpenSSL with SSL_VERIFY_PEER (`-verify_return_error`) aborts the handshake at the FIRST error
 *   and sends the matching alert (bad_certificate, certificate_expired, unknown_ca, …).
 */
import type { DigestName, ExtKeyUsageName, ExtraExtension, KeyUsageName } from '../cert.ts';
import type { FaultDefinition, TlsOverride } from './types.ts';

// ------------------------------------------------------------------ the patch format

/** Declarative overrides of one certificate's CertSpec. Dates are relative to the build time, in days. */
export interface CertPatch {
  subjectCN?: string;
  /** notBefore = now + days (negative: in the past). */
  notBeforeDays?: number;
  /** notAfter = now + days. */
  notAfterDays?: number;
  isCA?: boolean | null;
  pathLen?: number;
  keyUsage?: KeyUsageName[] | null;
  extKeyUsage?: ExtKeyUsageName[] | null;
  /** Replaces the whole subjectAltName; null omits it. */
  san?: { dns?: string[]; ip?: string[] } | null;
  digest?: DigestName;
  keyBits?: number;
  flipSignatureBit?: boolean;
  extraExtensions?: ExtraExtension[];
  /** RFC 5280 §4.2.1.10 nameConstraints (critical), encoded with @peculiar/asn1-x509. */
  nameConstraints?: { permittedDns?: string[]; excludedDns?: string[] };
}

/**
 * Who signs a leaf: the lab root, the lab intermediate (issued by the root), a CA nobody trusts
 * ('other-ca'), a CA with the lab root's exact name but another key ('impostor'), or nobody ('self').
 */
export type IssuerChoice = 'root' | 'intermediate' | 'other-ca' | 'impostor' | 'self';

/** A side's trust store: the lab root, only the lab intermediate, or an unrelated CA. */
export type TrustChoice = 'root' | 'intermediate-only' | 'other-ca';

/** The CRL one side checks its peer's certificate against, signed by the peer's issuer. */
export interface CrlPatch {
  /** OpenSSL -crl_check ('leaf') or -crl_check_all ('all'). Default 'leaf'. */
  check?: 'leaf' | 'all';
  /** false: checking is on but no CRL is available. Default true. */
  publish?: boolean;
  /** List the peer's leaf serial as revoked (keyCompromise). */
  revokePeer?: boolean;
  /** thisUpdate = now + days; default one hour ago. */
  thisUpdateDays?: number;
  /** Default thisUpdate + 7 days. */
  nextUpdateDays?: number;
}

export interface FaultPatch {
  root?: CertPatch;
  /** The lab intermediate CA (only built when some leaf is issued by it, or a side trusts it). */
  intermediate?: CertPatch;
  acsLeaf?: CertPatch;
  cpeLeaf?: CertPatch;
  acsIssuer?: IssuerChoice;
  cpeIssuer?: IssuerChoice;
  /** Whether a side issued by the intermediate sends it after its leaf (default true). */
  acsSendsIntermediate?: boolean;
  cpeSendsIntermediate?: boolean;
  /** The ACS's trust store (it verifies the CPE). */
  acsTrust?: TrustChoice;
  /** The CPE's trust store (it verifies the ACS). */
  cpeTrust?: TrustChoice;
  /** The CRL the ACS checks the CPE certificate against. */
  acsCrl?: CrlPatch;
  /** The CRL the CPE checks the ACS certificate against. */
  cpeCrl?: CrlPatch;
  /** The side's private key is a different key from the one in its certificate. */
  acsKeyMismatch?: boolean;
  cpeKeyMismatch?: boolean;
  acsHostname?: string;
  tls?: { acs?: TlsOverride; cpe?: TlsOverride };
  /** An on-path attacker with its own CA (untrusted by the CPE) and a certificate for the ACS name. */
  attacker?: boolean;
  expectedCpeId?: string;
}

export interface FaultSpec extends FaultDefinition {
  readonly patch: FaultPatch;
}

// ------------------------------------------------------------------ errors

export type FaultErrorCode = 'ERR_UNKNOWN_FAULT' | 'ERR_FAULT_CONFLICT';

export class FaultError extends Error {
  override readonly name = 'FaultError';
  constructor(
    readonly code: FaultErrorCode,
    message: string,
    readonly faultIds: readonly string[] = [],
  ) {
    super(`${code}: ${message}`);
  }
}

// ------------------------------------------------------------------ shared wording

const NODE_VS_OPENSSL_EN =
  'Node.js verifies after the handshake and closes the connection without a TLS alert, reporting only the last verify error; OpenSSL (SSL_VERIFY_PEER, -verify_return_error) aborts at the first error with an alert.';
const NODE_VS_OPENSSL_ZH =
  'Node.js 在握手完成后才校验证书，发现问题直接关闭连接、不发送 TLS 告警，且只报告最后一个校验错误；OpenSSL（SSL_VERIFY_PEER，-verify_return_error）在遇到第一个错误时立即中止握手并发送告警。';

const DAY_NOTE = { notBeforeDays: -366, notAfterDays: -1 } as const;
const FUTURE = { notBeforeDays: 1, notAfterDays: 366 } as const;
const UNKNOWN_CRITICAL_OID = '1.3.6.1.4.1.55555.1.1';

// ------------------------------------------------------------------ the catalogue

const CATALOG: FaultSpec[] = [
  // ---------------------------------------------------------------- validity
  {
    id: 'acs-expired',
    group: 'validity',
    target: 'acs-cert',
    side: 'acs',
    title: { en: 'ACS certificate has expired', zh: 'ACS 证书已过期' },
    explanation: {
      en: `The ACS certificate's notAfter is yesterday. The CPE checks that the current time lies between notBefore and notAfter of every certificate in the path; it rejects the ACS with X509_V_ERR_CERT_HAS_EXPIRED (10, "certificate has expired"). An OpenSSL CPE sends a certificate_expired alert; a Node.js CPE finishes the handshake, then closes without an alert and reports CERT_HAS_EXPIRED.`,
      zh: `ACS 证书的 notAfter 是昨天。CPE 会检查当前时间是否落在证书链中每张证书的 notBefore 与 notAfter 之间，因此以 X509_V_ERR_CERT_HAS_EXPIRED（10，“certificate has expired”）拒绝 ACS。OpenSSL 实现的 CPE 会发送 certificate_expired 告警；Node.js 实现的 CPE 先完成握手，再不发告警直接关闭连接，并报告 CERT_HAS_EXPIRED。`,
    },
    rule: 'RFC 5280 §4.1.2.5, §6.1.3 (a)(2)',
    fix: {
      en: 'Renew the ACS certificate before notAfter (automate renewal and monitor expiry dates).',
      zh: '在 notAfter 之前为 ACS 续签证书（自动化续期并监控证书到期时间）。',
    },
    patch: { acsLeaf: { ...DAY_NOTE } },
  },
  {
    id: 'cpe-expired',
    group: 'validity',
    target: 'cpe-cert',
    side: 'cpe',
    title: { en: 'CPE certificate has expired', zh: 'CPE 证书已过期' },
    explanation: {
      en: `The CPE's client certificate expired yesterday. The ACS requests a client certificate and checks its validity period: X509_V_ERR_CERT_HAS_EXPIRED (10). Home routers often ship with long-lived factory certificates and no way to renew them, so this really happens in the field. An OpenSSL ACS answers the CPE's Certificate with a certificate_expired alert; a Node.js ACS completes the handshake and then drops the connection silently. ${NODE_VS_OPENSSL_EN}`,
      zh: `CPE 的客户端证书昨天已过期。ACS 要求客户端出示证书并检查其有效期，报 X509_V_ERR_CERT_HAS_EXPIRED（10）。家用路由器常带着出厂证书且无法续期，这种情况在现网中确实会发生。OpenSSL 实现的 ACS 收到 CPE 的 Certificate 后回 certificate_expired 告警；Node.js 实现的 ACS 完成握手后悄悄断开连接。${NODE_VS_OPENSSL_ZH}`,
    },
    rule: 'RFC 5280 §4.1.2.5, §6.1.3 (a)(2); TR-069 Amendment 6 §3.4.4',
    fix: {
      en: 'Re-provision the CPE with a new certificate (e.g. via a firmware update or an enrolment protocol) before the old one expires.',
      zh: '在旧证书过期之前为 CPE 重新签发并下发证书（例如通过固件升级或证书注册协议）。',
    },
    patch: { cpeLeaf: { ...DAY_NOTE } },
  },
  {
    id: 'acs-not-yet-valid',
    group: 'validity',
    target: 'acs-cert',
    side: 'acs',
    title: { en: 'ACS certificate is not yet valid', zh: 'ACS 证书尚未生效' },
    explanation: {
      en: 'The ACS certificate\'s notBefore is tomorrow. The CPE rejects it with X509_V_ERR_CERT_NOT_YET_VALID (9, "certificate is not yet valid"). In the field the usual cause is the CPE\'s clock: a router that booted without NTP thinks it is 1970 and rejects every certificate. OpenSSL sends a bad_certificate alert; Node.js closes without an alert and reports CERT_NOT_YET_VALID.',
      zh: 'ACS 证书的 notBefore 是明天。CPE 以 X509_V_ERR_CERT_NOT_YET_VALID（9，“certificate is not yet valid”）拒绝它。现网中更常见的原因是 CPE 的时钟：没有完成 NTP 同步就启动的路由器以为现在是 1970 年，于是拒绝所有证书。OpenSSL 发送 bad_certificate 告警；Node.js 不发告警直接关闭连接并报告 CERT_NOT_YET_VALID。',
    },
    rule: 'RFC 5280 §4.1.2.5, §6.1.3 (a)(2)',
    fix: {
      en: 'Issue certificates with notBefore slightly in the past, and make sure the CPE has a correct clock (NTP) before it connects to the ACS.',
      zh: '签发证书时把 notBefore 设为略早于当前时间，并确保 CPE 在连接 ACS 之前已通过 NTP 校准时钟。',
    },
    patch: { acsLeaf: { ...FUTURE } },
  },
  {
    id: 'cpe-not-yet-valid',
    group: 'validity',
    target: 'cpe-cert',
    side: 'cpe',
    title: { en: 'CPE certificate is not yet valid', zh: 'CPE 证书尚未生效' },
    explanation: {
      en: `The CPE certificate's notBefore is tomorrow. The ACS rejects the client certificate with X509_V_ERR_CERT_NOT_YET_VALID (9). ${NODE_VS_OPENSSL_EN}`,
      zh: `CPE 证书的 notBefore 是明天。ACS 以 X509_V_ERR_CERT_NOT_YET_VALID（9）拒绝该客户端证书。${NODE_VS_OPENSSL_ZH}`,
    },
    rule: 'RFC 5280 §4.1.2.5, §6.1.3 (a)(2)',
    fix: {
      en: 'Backdate notBefore a little when issuing, and keep the ACS and CA clocks synchronised.',
      zh: '签发时把 notBefore 适当提前，并保持 ACS 与 CA 的时钟同步。',
    },
    patch: { cpeLeaf: { ...FUTURE } },
  },
  {
    id: 'root-expired',
    group: 'validity',
    target: 'ca',
    side: 'both',
    title: { en: 'Lab root CA has expired', zh: '实验室根 CA 已过期' },
    explanation: {
      en: 'The root CA that both sides trust expired yesterday, while both leaf certificates are still within their own validity. Path validation checks the validity of every certificate, the trust anchor included in OpenSSL\'s default mode, so each side rejects the other with X509_V_ERR_CERT_HAS_EXPIRED (10) at depth 1. A still-valid leaf does not help: the whole chain must be valid now.',
      zh: '双方都信任的根 CA 昨天已过期，而两张叶子证书本身仍在有效期内。路径校验会检查链上每张证书的有效期（OpenSSL 默认也检查信任锚本身），因此双方都在深度 1 处以 X509_V_ERR_CERT_HAS_EXPIRED（10）拒绝对方。叶子证书有效也无济于事：整条链在当前时间都必须有效。',
    },
    rule: 'RFC 5280 §4.1.2.5, §6.1.3 (a)(2)',
    fix: {
      en: 'Roll over to a new root well before the old one expires and distribute it to every CPE trust store in advance (the hardest step for deployed routers).',
      zh: '在旧根证书到期前尽早更换新根，并提前把新根分发到所有 CPE 的信任库中（这对已部署的路由器来说是最难的一步）。',
    },
    patch: { root: { notBeforeDays: -3650, notAfterDays: -1 } },
  },

  // ---------------------------------------------------------------- trust
  {
    id: 'acs-self-signed',
    group: 'trust',
    target: 'acs-cert',
    side: 'acs',
    title: { en: 'ACS certificate is self-signed', zh: 'ACS 使用自签名证书' },
    explanation: {
      en: 'The ACS presents a certificate it signed itself, with no CA behind it. The CPE cannot build a path to any trust anchor: X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT (18, "self-signed certificate"). OpenSSL answers with an unknown_ca alert; Node.js completes the handshake and closes, reporting DEPTH_ZERO_SELF_SIGNED_CERT.',
      zh: 'ACS 出示的是它自己签名的证书，背后没有任何 CA。CPE 无法构建到任何信任锚的路径：X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT（18，“self-signed certificate”）。OpenSSL 回以 unknown_ca 告警；Node.js 完成握手后关闭连接，报告 DEPTH_ZERO_SELF_SIGNED_CERT。',
    },
    rule: 'RFC 5280 §6.1; TR-069 Amendment 6 §3.3',
    fix: {
      en: 'Have the ACS certificate issued by the CA the CPEs trust; never pin or "accept any" self-signed certificates on the CPE.',
      zh: '让 CPE 所信任的 CA 为 ACS 签发证书；不要在 CPE 上固定或“接受任意”自签名证书。',
    },
    patch: { acsIssuer: 'self' },
  },
  {
    id: 'cpe-self-signed',
    group: 'trust',
    target: 'cpe-cert',
    side: 'cpe',
    title: { en: 'CPE certificate is self-signed', zh: 'CPE 使用自签名证书' },
    explanation: {
      en: `The CPE presents a self-signed client certificate. The ACS cannot chain it to its trust anchor and rejects it with X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT (18). Anyone can make such a certificate with any CN, so accepting it would let any device impersonate any CPE. ${NODE_VS_OPENSSL_EN}`,
      zh: `CPE 出示的是自签名的客户端证书。ACS 无法把它链接到信任锚，以 X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT（18）拒绝。任何人都能生成带任意 CN 的这种证书，接受它就等于允许任何设备冒充任何 CPE。${NODE_VS_OPENSSL_ZH}`,
    },
    rule: 'RFC 5280 §6.1; TR-069 Amendment 6 §3.4.4',
    fix: {
      en: 'Provision each CPE with a certificate issued by the manufacturer or operator CA that the ACS trusts.',
      zh: '为每台 CPE 预置由 ACS 所信任的厂商或运营商 CA 签发的证书。',
    },
    patch: { cpeIssuer: 'self' },
  },
  {
    id: 'acs-unknown-ca',
    group: 'trust',
    target: 'acs-cert',
    side: 'acs',
    title: { en: 'ACS certificate from a CA the CPE does not trust', zh: 'ACS 证书由 CPE 不信任的 CA 签发' },
    explanation: {
      en: 'The ACS certificate is valid in itself but issued by "Elsewhere Root CA", which is not in the CPE\'s trust store. The CPE cannot find the issuer: X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY (20, "unable to get local issuer certificate"); when only the leaf arrives OpenSSL in a TLS session may report it as UNABLE_TO_VERIFY_LEAF_SIGNATURE (21, "unable to verify the first certificate"), which is what Node.js shows. OpenSSL sends an unknown_ca alert.',
      zh: 'ACS 证书本身没问题，但由 CPE 信任库中没有的“Elsewhere Root CA”签发。CPE 找不到签发者：X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY（20，“unable to get local issuer certificate”）；在 TLS 会话中若对方只发送了叶子证书，OpenSSL 可能报为 UNABLE_TO_VERIFY_LEAF_SIGNATURE（21，“unable to verify the first certificate”），Node.js 显示的就是这个。OpenSSL 发送 unknown_ca 告警。',
    },
    rule: 'RFC 5280 §6.1; TR-069 Amendment 6 §3.3',
    fix: {
      en: 'Use an ACS certificate from the CA the CPEs trust, or add that CA to the CPE trust store through a trusted firmware update.',
      zh: '使用 CPE 所信任 CA 签发的 ACS 证书，或通过可信的固件升级把该 CA 加入 CPE 的信任库。',
    },
    patch: { acsIssuer: 'other-ca' },
  },
  {
    id: 'cpe-unknown-ca',
    group: 'trust',
    target: 'cpe-cert',
    side: 'cpe',
    title: { en: 'CPE certificate from a CA the ACS does not trust', zh: 'CPE 证书由 ACS 不信任的 CA 签发' },
    explanation: {
      en: `The CPE certificate is issued by "Elsewhere Root CA", which the ACS does not trust (e.g. another vendor's device CA). The ACS fails with X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY (20) (Node.js: 21, "unable to verify the first certificate"). ${NODE_VS_OPENSSL_EN}`,
      zh: `CPE 证书由 ACS 不信任的“Elsewhere Root CA”签发（例如另一家厂商的设备 CA）。ACS 报 X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY（20）（Node.js 报 21，“unable to verify the first certificate”）。${NODE_VS_OPENSSL_ZH}`,
    },
    rule: 'RFC 5280 §6.1; TR-069 Amendment 6 §3.4.4',
    fix: {
      en: "Add the vendor's device CA to the ACS trust store (deliberately, per vendor), or re-provision the CPE with a certificate from a trusted CA.",
      zh: '有意识地按厂商把该设备 CA 加入 ACS 的信任库，或为 CPE 重新签发受信任 CA 的证书。',
    },
    patch: { cpeIssuer: 'other-ca' },
  },
  {
    id: 'acs-incomplete-chain',
    group: 'trust',
    target: 'acs-cert',
    side: 'acs',
    title: { en: 'ACS does not send its intermediate CA', zh: 'ACS 未发送中间 CA 证书' },
    explanation: {
      en: 'The ACS certificate is issued by an intermediate CA (itself issued by the trusted root), but the ACS sends only its leaf. The CPE trusts only the root and has no way to fetch the missing link: X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY (20) from openssl verify; in the TLS session Node.js and OpenSSL report UNABLE_TO_VERIFY_LEAF_SIGNATURE (21, "unable to verify the first certificate"). Browsers often hide this mistake by caching intermediates or fetching them via AIA; embedded TLS stacks do not.',
      zh: 'ACS 证书由中间 CA 签发（中间 CA 又由受信任的根签发），但 ACS 只发送了叶子证书。CPE 只信任根证书，也无法获取缺失的那一环：openssl verify 报 X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY（20）；在 TLS 会话中 Node.js 和 OpenSSL 报 UNABLE_TO_VERIFY_LEAF_SIGNATURE（21，“unable to verify the first certificate”）。浏览器常因缓存中间证书或通过 AIA 下载而掩盖这一错误，嵌入式 TLS 协议栈则不会。',
    },
    rule: 'RFC 8446 §4.4.2; RFC 5246 §7.4.2',
    fix: {
      en: 'Configure the ACS to send the full chain: leaf first, then each intermediate (not the root).',
      zh: '配置 ACS 发送完整证书链：先叶子证书，再依次发送各中间证书（无需发送根证书）。',
    },
    patch: { acsIssuer: 'intermediate', acsSendsIntermediate: false },
  },
  {
    id: 'cpe-trusts-intermediate-only',
    group: 'trust',
    target: 'cpe-trust',
    side: 'cpe',
    title: { en: 'CPE trust store holds only the intermediate CA', zh: 'CPE 信任库中只有中间 CA' },
    explanation: {
      en: 'The ACS sends leaf + intermediate correctly (root → intermediate → ACS), but the CPE\'s trust store contains only the intermediate. By default OpenSSL insists that the path end in a self-signed trust anchor, so it fails at depth 1 with X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT (2, "unable to get issuer certificate"); Node.js 20 reports the same. Only with X509_V_FLAG_PARTIAL_CHAIN (openssl -partial_chain; Node.js 22 allowPartialTrustChain) would the intermediate count as a trust anchor.',
      zh: 'ACS 正确发送了叶子证书和中间证书（根 → 中间 CA → ACS），但 CPE 的信任库中只有中间 CA。OpenSSL 默认要求路径终止于自签名的信任锚，因此在深度 1 处以 X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT（2，“unable to get issuer certificate”）失败；Node.js 20 报同样的错误。只有启用 X509_V_FLAG_PARTIAL_CHAIN（openssl -partial_chain；Node.js 22 的 allowPartialTrustChain）时，中间 CA 才会被当作信任锚。',
    },
    rule: 'RFC 5280 §6.1.1 (d); RFC 5280 §6.2',
    fix: {
      en: 'Put the root CA in the CPE trust store, or deliberately enable partial-chain trust if pinning the intermediate is intended.',
      zh: '把根 CA 放入 CPE 的信任库；若确实打算固定中间 CA，则显式启用部分链信任（partial chain）。',
    },
    patch: { acsIssuer: 'intermediate', cpeTrust: 'intermediate-only' },
  },
  {
    id: 'acs-impostor-ca',
    group: 'trust',
    target: 'acs-cert',
    side: 'acs',
    title: { en: 'ACS certificate signed by an impostor "root" with the same name', zh: 'ACS 证书由同名的冒牌“根 CA”签发' },
    explanation: {
      en: 'The ACS leaf names "Handshake Lab Root CA" as its issuer, but was signed by a different key that merely copied the root\'s name. The CPE looks up the issuer in its trust store; the authorityKeyIdentifier does not match the real root\'s subjectKeyIdentifier (and the signature would not verify with the real root key), so no path exists: 20 from openssl verify, 21 "unable to verify the first certificate" in Node.js. Names are labels; only keys and signatures prove anything.',
      zh: 'ACS 叶子证书的签发者名称是“Handshake Lab Root CA”，但实际签名的是另一把只是复制了根证书名称的密钥。CPE 在信任库中查找签发者时，authorityKeyIdentifier 与真实根证书的 subjectKeyIdentifier 不一致（用真实根的公钥也无法验证签名），于是找不到路径：openssl verify 报 20，Node.js 报 21“unable to verify the first certificate”。名称只是标签，只有密钥和签名才能证明身份。',
    },
    rule: 'RFC 5280 §6.1.3 (a)(1), §4.2.1.1',
    fix: {
      en: 'Nothing to fix on the CPE: rejecting it is correct. Investigate who issued it (a compromised build system, a rogue CA).',
      zh: 'CPE 这边无需修复：拒绝就是正确的行为。应调查是谁签发了它（例如被攻破的构建系统或恶意 CA）。',
    },
    patch: { acsIssuer: 'impostor' },
  },

  // ---------------------------------------------------------------- identity
  {
    id: 'acs-hostname-mismatch',
    group: 'identity',
    target: 'acs-cert',
    side: 'acs',
    title: { en: 'ACS certificate is for another host', zh: 'ACS 证书属于另一个主机名' },
    explanation: {
      en: 'The certificate chains to the trusted root, but its SAN and CN say "portal.lab.test" while the CPE connects to acs.lab.test. TR-069 requires the CPE to compare the ACS URL\'s host with the certificate (the check the seed paper found many CPEs skip). OpenSSL with a host set (-verify_hostname) fails with X509_V_ERR_HOSTNAME_MISMATCH (62, "hostname mismatch") and a bad_certificate alert; Node.js\'s checkServerIdentity raises ERR_TLS_CERT_ALTNAME_INVALID after the handshake and closes without an alert. A valid chain alone proves nothing about which server you reached.',
      zh: '证书能链接到受信任的根，但其 SAN 和 CN 都是“portal.lab.test”，而 CPE 连接的是 acs.lab.test。TR-069 要求 CPE 将 ACS URL 中的主机名与证书进行比对（原始论文发现许多 CPE 跳过了这一检查）。设置了主机名（-verify_hostname）的 OpenSSL 以 X509_V_ERR_HOSTNAME_MISMATCH（62，“hostname mismatch”）失败并发送 bad_certificate 告警；Node.js 的 checkServerIdentity 在握手后抛出 ERR_TLS_CERT_ALTNAME_INVALID 并不发告警地关闭连接。仅有合法的证书链并不能证明你连上的是哪台服务器。',
    },
    rule: 'TR-069 Amendment 6 §3.3; RFC 6125 §6.4; RFC 2818 §3.1',
    fix: {
      en: 'Issue the ACS certificate with a SAN dNSName equal to the host in the ACS URL configured on the CPE.',
      zh: '签发 ACS 证书时，让 SAN 中的 dNSName 与 CPE 上配置的 ACS URL 主机名一致。',
    },
    patch: { acsLeaf: { subjectCN: 'portal.lab.test', san: { dns: ['portal.lab.test'] } } },
  },
  {
    id: 'acs-san-wrong-cn-right',
    group: 'identity',
    target: 'acs-cert',
    side: 'acs',
    title: { en: 'ACS SAN is wrong although its CN is right', zh: 'ACS 证书 SAN 错误但 CN 正确' },
    explanation: {
      en: 'The subject CN is acs.lab.test, but the subjectAltName lists only wrong.lab.test. When a SAN dNSName is present, verifiers must ignore the CN, so the name check fails: OpenSSL X509_V_ERR_HOSTNAME_MISMATCH (62); Node.js ERR_TLS_CERT_ALTNAME_INVALID ("Host: acs.lab.test. is not in the cert\'s altnames: DNS:wrong.lab.test"). The SAN wins.',
      zh: '证书主题 CN 是 acs.lab.test，但 subjectAltName 中只有 wrong.lab.test。只要存在 SAN dNSName，校验方就必须忽略 CN，因此主机名检查失败：OpenSSL 报 X509_V_ERR_HOSTNAME_MISMATCH（62）；Node.js 报 ERR_TLS_CERT_ALTNAME_INVALID（“Host: acs.lab.test. is not in the cert\'s altnames: DNS:wrong.lab.test”）。以 SAN 为准。',
    },
    rule: 'RFC 6125 §6.4.4; TR-069 Amendment 6 §3.3',
    fix: {
      en: 'Put every name the ACS is reached by into the SAN; do not rely on the CN.',
      zh: '把访问 ACS 所用的每一个名称都写入 SAN，不要依赖 CN。',
    },
    patch: { acsLeaf: { san: { dns: ['wrong.lab.test'] } } },
  },
  {
    id: 'acs-cn-only',
    group: 'identity',
    target: 'acs-cert',
    side: 'acs',
    title: { en: 'ACS certificate has no SAN, only a matching CN', zh: 'ACS 证书没有 SAN，只有匹配的 CN' },
    explanation: {
      en: 'The certificate has no subjectAltName; its CN is acs.lab.test. RFC 6125 allowed falling back to the CN only when no SAN identifier exists, and both verifiers here still do: OpenSSL X509_check_host (-verify_hostname) accepts it, and Node.js 20 checkServerIdentity accepts it (it uses the CN only when the certificate has no DNS, IP or URI SAN). So the handshake succeeds. Browsers (Chrome since 58, Firefox) and RFC 9525 no longer accept CN-only certificates, so this is a latent failure.',
      zh: '证书没有 subjectAltName，CN 为 acs.lab.test。RFC 6125 仅在不存在任何 SAN 标识时才允许回退到 CN，而本实验中的两个校验器都仍然这样做：OpenSSL 的 X509_check_host（-verify_hostname）接受它，Node.js 20 的 checkServerIdentity 也接受（仅当证书没有 DNS、IP 或 URI 类型的 SAN 时才使用 CN）。因此握手成功。但浏览器（Chrome 58 起、Firefox）和 RFC 9525 已不再接受只有 CN 的证书，这是一个潜在的故障。',
    },
    rule: 'RFC 6125 §6.4.4; RFC 9525 §6.3; TR-069 Amendment 6 §3.3',
    fix: {
      en: 'Always include a SAN dNSName for the ACS host; treat the CN as display text only.',
      zh: '始终为 ACS 主机名加入 SAN dNSName，CN 仅作显示用途。',
    },
    patch: { acsLeaf: { san: null } },
  },
  {
    id: 'acs-ip-url',
    group: 'identity',
    target: 'acs-cert',
    side: 'acs',
    title: { en: 'ACS URL uses an IP address the certificate does not list', zh: 'ACS URL 使用了证书中未列出的 IP 地址' },
    explanation: {
      en: 'The CPE is configured with https://127.0.0.1/ instead of the ACS name, and the certificate has only DNS:acs.lab.test in its SAN. An IP address is matched only against iPAddress SAN entries, never against DNS names or the CN: OpenSSL (-verify_ip) fails with X509_V_ERR_IP_ADDRESS_MISMATCH (64, "IP address mismatch"); Node.js raises ERR_TLS_CERT_ALTNAME_INVALID ("IP: 127.0.0.1 is not in the cert\'s list"). No SNI is sent for an IP address either.',
      zh: 'CPE 配置的 ACS 地址是 https://127.0.0.1/ 而不是 ACS 域名，而证书的 SAN 中只有 DNS:acs.lab.test。IP 地址只与 SAN 中的 iPAddress 条目比对，绝不与 DNS 名称或 CN 比对：OpenSSL（-verify_ip）以 X509_V_ERR_IP_ADDRESS_MISMATCH（64，“IP address mismatch”）失败；Node.js 报 ERR_TLS_CERT_ALTNAME_INVALID（“IP: 127.0.0.1 is not in the cert\'s list”）。此外，对 IP 地址也不会发送 SNI。',
    },
    rule: 'RFC 6125 §1.7.2; RFC 5280 §4.2.1.6; TR-069 Amendment 6 §3.3',
    fix: {
      en: 'Configure the ACS URL with the DNS name, or add an iPAddress SAN entry for the address the CPEs use.',
      zh: '在 ACS URL 中使用 DNS 名称，或者为 CPE 实际使用的地址在证书中加入 iPAddress 类型的 SAN。',
    },
    patch: { acsHostname: '127.0.0.1', acsLeaf: { san: { dns: ['acs.lab.test'] } } },
  },
  {
    id: 'cpe-identity-mismatch',
    group: 'identity',
    target: 'cpe-cert',
    side: 'cpe',
    title: { en: "CPE certificate names another device", zh: 'CPE 证书属于另一台设备' },
    explanation: {
      en: 'The CPE presents a valid certificate from the trusted CA, but its CN is 00D09E-HL0042 while this device is 00D09E-HL0001 (OUI-SerialNumber). TLS has no notion of which client is expected, so the handshake succeeds on both verifiers. Only the ACS application can catch it: it must compare the certificate CN with the DeviceId (OUI, SerialNumber) in the CWMP Inform and refuse the session if they differ. Until that CWMP check runs, a cloned or stolen certificate is accepted.',
      zh: 'CPE 出示的是受信任 CA 签发的有效证书，但其 CN 为 00D09E-HL0042，而本设备是 00D09E-HL0001（OUI-序列号）。TLS 本身并不知道期望的是哪个客户端，所以两个校验器上握手都会成功。只有 ACS 的应用层能发现问题：它必须把证书 CN 与 CWMP Inform 中的 DeviceId（OUI、SerialNumber）比对，不一致就拒绝会话。在 CWMP 检查执行之前，被克隆或盗用的证书都会被接受。',
    },
    rule: 'TR-069 Amendment 6 §3.4.4',
    fix: {
      en: 'On the ACS, bind the certificate CN to the Inform DeviceId (OUI-SerialNumber) and reject mismatches; give each device its own key and certificate.',
      zh: '在 ACS 上将证书 CN 与 Inform 中的 DeviceId（OUI-序列号）绑定并拒绝不一致的会话；为每台设备签发独立的密钥和证书。',
    },
    patch: { cpeLeaf: { subjectCN: '00D09E-HL0042' }, expectedCpeId: '00D09E-HL0001' },
  },

  // ---------------------------------------------------------------- purpose
  {
    id: 'cpe-wrong-eku',
    group: 'purpose',
    target: 'cpe-cert',
    side: 'cpe',
    title: { en: 'CPE certificate is for TLS servers only', zh: 'CPE 证书仅限用于 TLS 服务器' },
    explanation: {
      en: `The CPE certificate's extendedKeyUsage is serverAuth only, so it may not authenticate a TLS client. The ACS checks the purpose (sslclient) and fails with X509_V_ERR_INVALID_PURPOSE (26, "unsuitable certificate purpose"). ${NODE_VS_OPENSSL_EN}`,
      zh: `CPE 证书的 extendedKeyUsage 只有 serverAuth，不能用于 TLS 客户端认证。ACS 检查用途（sslclient）后以 X509_V_ERR_INVALID_PURPOSE（26，“unsuitable certificate purpose”）失败。${NODE_VS_OPENSSL_ZH}`,
    },
    rule: 'RFC 5280 §4.2.1.12',
    fix: { en: 'Issue CPE certificates with extendedKeyUsage clientAuth.', zh: '为 CPE 签发带 clientAuth 扩展密钥用途的证书。' },
    patch: { cpeLeaf: { extKeyUsage: ['serverAuth'] } },
  },
  {
    id: 'acs-wrong-eku',
    group: 'purpose',
    target: 'acs-cert',
    side: 'acs',
    title: { en: 'ACS certificate is for TLS clients only', zh: 'ACS 证书仅限用于 TLS 客户端' },
    explanation: {
      en: 'The ACS certificate\'s extendedKeyUsage is clientAuth only. The CPE checks the purpose (sslserver) and fails with X509_V_ERR_INVALID_PURPOSE (26, "unsuitable certificate purpose"); OpenSSL sends an unsupported_certificate alert, Node.js closes without an alert.',
      zh: 'ACS 证书的 extendedKeyUsage 只有 clientAuth。CPE 检查用途（sslserver）后以 X509_V_ERR_INVALID_PURPOSE（26，“unsuitable certificate purpose”）失败；OpenSSL 发送 unsupported_certificate 告警，Node.js 不发告警直接关闭连接。',
    },
    rule: 'RFC 5280 §4.2.1.12',
    fix: { en: 'Issue the ACS certificate with extendedKeyUsage serverAuth.', zh: '为 ACS 签发带 serverAuth 扩展密钥用途的证书。' },
    patch: { acsLeaf: { extKeyUsage: ['clientAuth'] } },
  },
  {
    id: 'acs-ku-no-digital-signature',
    group: 'purpose',
    target: 'acs-cert',
    side: 'acs',
    title: { en: 'ACS key usage lacks digitalSignature', zh: 'ACS 证书密钥用途缺少 digitalSignature' },
    explanation: {
      en: 'The ACS certificate\'s keyUsage is keyEncipherment only. With ECDHE or TLS 1.3 the server signs the handshake (ServerKeyExchange / CertificateVerify), which needs digitalSignature; only static-RSA key exchange (TLS 1.2, e.g. AES128-GCM-SHA256) uses keyEncipherment. Yet OpenSSL 3.0 and Node.js do not enforce keyUsage on the peer\'s handshake signature: openssl verify -purpose sslserver accepts it and the handshake succeeds. Stricter stacks common on CPEs (mbed TLS, GnuTLS) reject it, so it breaks on some devices only.',
      zh: 'ACS 证书的 keyUsage 只有 keyEncipherment。使用 ECDHE 或 TLS 1.3 时，服务器要对握手进行签名（ServerKeyExchange / CertificateVerify），这需要 digitalSignature；只有静态 RSA 密钥交换（TLS 1.2，例如 AES128-GCM-SHA256）才使用 keyEncipherment。然而 OpenSSL 3.0 和 Node.js 并不针对握手签名检查对端的 keyUsage：openssl verify -purpose sslserver 接受它，握手也会成功。CPE 上常见的更严格的协议栈（mbed TLS、GnuTLS）会拒绝它，因此只在部分设备上出问题。',
    },
    rule: 'RFC 5280 §4.2.1.3; RFC 5246 §7.4.2; RFC 8446 §4.4.2.2',
    fix: {
      en: 'Issue TLS server certificates with keyUsage digitalSignature (plus keyEncipherment only if static RSA is still needed).',
      zh: 'TLS 服务器证书的 keyUsage 应包含 digitalSignature（仅在仍需静态 RSA 时再加 keyEncipherment）。',
    },
    patch: { acsLeaf: { keyUsage: ['keyEncipherment'] } },
  },
  {
    id: 'intermediate-not-ca',
    group: 'purpose',
    target: 'ca',
    side: 'acs',
    title: { en: 'Intermediate is not a CA (CA:FALSE)', zh: '中间证书不是 CA（CA:FALSE）' },
    explanation: {
      en: 'The ACS certificate is issued by an "intermediate" whose basicConstraints say CA:FALSE: an end-entity certificate used to sign another. The CPE rejects the path at depth 1: OpenSSL 3.0 reports X509_V_ERR_INVALID_CA (79, "invalid CA certificate"; older versions 24). This is exactly the classic attack of using an ordinary site certificate to mint certificates for other hosts.',
      zh: 'ACS 证书由一张 basicConstraints 为 CA:FALSE 的“中间证书”签发，也就是用一张终端实体证书去签发另一张证书。CPE 在深度 1 处拒绝该路径：OpenSSL 3.0 报 X509_V_ERR_INVALID_CA（79，“invalid CA certificate”；旧版本为 24）。这正是用普通网站证书去签发其他主机证书的经典攻击手法。',
    },
    rule: 'RFC 5280 §4.2.1.9, §6.1.4 (k)',
    fix: {
      en: 'Issue intermediates with basicConstraints CA:TRUE (critical) from the root CA.',
      zh: '由根 CA 签发 basicConstraints 为 CA:TRUE（关键扩展）的中间证书。',
    },
    patch: { acsIssuer: 'intermediate', intermediate: { isCA: false, keyUsage: ['keyCertSign', 'cRLSign'] } },
  },
  {
    id: 'intermediate-no-keycertsign',
    group: 'purpose',
    target: 'ca',
    side: 'acs',
    title: { en: 'Intermediate key usage lacks keyCertSign', zh: '中间证书密钥用途缺少 keyCertSign' },
    explanation: {
      en: 'The intermediate is CA:TRUE but its keyUsage is cRLSign only, so its key may not sign certificates. OpenSSL 3.0 first reports X509_V_ERR_INVALID_CA (79) and then X509_V_ERR_KEYUSAGE_NO_CERTSIGN (32, "key usage does not include certificate signing"), both at depth 1. An OpenSSL CPE aborts at the first (79); Node.js reports the last one (32).',
      zh: '中间证书是 CA:TRUE，但 keyUsage 只有 cRLSign，其密钥不得用于签发证书。OpenSSL 3.0 在深度 1 处先报 X509_V_ERR_INVALID_CA（79），再报 X509_V_ERR_KEYUSAGE_NO_CERTSIGN（32，“key usage does not include certificate signing”）。OpenSSL 实现的 CPE 在第一个错误（79）处中止；Node.js 报告最后一个错误（32）。',
    },
    rule: 'RFC 5280 §4.2.1.3, §6.1.4 (n)',
    fix: { en: 'Issue CA certificates with keyUsage keyCertSign and cRLSign (critical).', zh: 'CA 证书的 keyUsage 应包含 keyCertSign 和 cRLSign（关键扩展）。' },
    patch: { acsIssuer: 'intermediate', intermediate: { keyUsage: ['cRLSign'] } },
  },
  {
    id: 'pathlen-exceeded',
    group: 'purpose',
    target: 'ca',
    side: 'acs',
    title: { en: 'Path length constraint exceeded', zh: '超出路径长度约束' },
    explanation: {
      en: 'The root says pathLenConstraint 0 (it may only issue end-entity certificates), yet an intermediate CA sits below it and issues the ACS certificate. The CPE rejects it with X509_V_ERR_PATH_LENGTH_EXCEEDED (25, "path length constraint exceeded") at depth 2, the root. The CPE certificate, issued directly by the root, is unaffected.',
      zh: '根证书规定 pathLenConstraint 为 0（只能签发终端实体证书），但其下却有一个中间 CA 并由它签发了 ACS 证书。CPE 在深度 2（根证书）处以 X509_V_ERR_PATH_LENGTH_EXCEEDED（25，“path length constraint exceeded”）拒绝。由根直接签发的 CPE 证书不受影响。',
    },
    rule: 'RFC 5280 §4.2.1.9, §6.1.4 (l)(m)',
    fix: {
      en: 'Issue the ACS certificate directly from a CA whose pathLen allows it, or re-issue the root with a larger pathLenConstraint.',
      zh: '由 pathLen 允许的 CA 直接签发 ACS 证书，或重新签发具有更大 pathLenConstraint 的根证书。',
    },
    patch: { acsIssuer: 'intermediate', root: { pathLen: 0 } },
  },
  {
    id: 'acs-unknown-critical-extension',
    group: 'purpose',
    target: 'acs-cert',
    side: 'acs',
    title: { en: 'ACS certificate has an unknown critical extension', zh: 'ACS 证书含有未知的关键扩展' },
    explanation: {
      en: `The ACS certificate carries a private extension (${UNKNOWN_CRITICAL_OID}) marked critical. A verifier that does not understand a critical extension must reject the certificate: X509_V_ERR_UNHANDLED_CRITICAL_EXTENSION (34, "unhandled critical extension"). Marked non-critical, the same extension would simply be ignored.`,
      zh: `ACS 证书带有一个被标记为关键（critical）的私有扩展（${UNKNOWN_CRITICAL_OID}）。校验方若不认识某个关键扩展，就必须拒绝该证书：X509_V_ERR_UNHANDLED_CRITICAL_EXTENSION（34，“unhandled critical extension”）。若标记为非关键，同样的扩展会被直接忽略。`,
    },
    rule: 'RFC 5280 §4.2',
    fix: { en: 'Mark private extensions non-critical, or remove them from TLS certificates.', zh: '将私有扩展标记为非关键，或从 TLS 证书中移除。' },
    patch: { acsLeaf: { extraExtensions: [{ oid: UNKNOWN_CRITICAL_OID, critical: true }] } },
  },
  {
    id: 'name-constraints-violation',
    group: 'purpose',
    target: 'ca',
    side: 'acs',
    title: { en: 'ACS name outside the intermediate\'s name constraints', zh: 'ACS 名称超出中间 CA 的名称约束' },
    explanation: {
      en: 'The intermediate CA carries nameConstraints permitting only DNS names under .example.org, but it issued a certificate for acs.lab.test. The CPE checks every name in the leaf against the constraints and fails with X509_V_ERR_PERMITTED_VIOLATION (47, "permitted subtree violation"). Name constraints let an operator give a partner a CA that can only issue for its own domain.',
      zh: '中间 CA 带有 nameConstraints，只允许 .example.org 下的 DNS 名称，但它却为 acs.lab.test 签发了证书。CPE 将叶子证书中的每个名称与约束比对，以 X509_V_ERR_PERMITTED_VIOLATION（47，“permitted subtree violation”）失败。名称约束让运营商可以把一个只能为其自身域名签发证书的 CA 交给合作方。',
    },
    rule: 'RFC 5280 §4.2.1.10, §6.1.3 (b)',
    fix: {
      en: 'Issue the ACS certificate from a CA whose constraints permit its name, or widen the constraints (e.g. permit lab.test).',
      zh: '由名称约束允许该名称的 CA 签发 ACS 证书，或放宽约束（例如允许 lab.test）。',
    },
    patch: { acsIssuer: 'intermediate', intermediate: { nameConstraints: { permittedDns: ['.example.org'] } } },
  },

  // ---------------------------------------------------------------- signature and keys
  {
    id: 'acs-bad-signature',
    group: 'signature',
    target: 'acs-cert',
    side: 'acs',
    title: { en: 'ACS certificate signature is corrupted', zh: 'ACS 证书签名已损坏' },
    explanation: {
      en: 'One bit of the ACS certificate\'s signature is flipped after signing, as if the certificate had been tampered with. The CPE verifies the signature with the root\'s public key and fails: X509_V_ERR_CERT_SIGNATURE_FAILURE (7, "certificate signature failure"); OpenSSL sends a decrypt_error alert. Every field looks right; only the cryptography catches it.',
      zh: '签名完成后，ACS 证书签名中的一个比特被翻转，就像证书被篡改过一样。CPE 用根证书的公钥验证签名时失败：X509_V_ERR_CERT_SIGNATURE_FAILURE（7，“certificate signature failure”）；OpenSSL 发送 decrypt_error 告警。证书的每个字段看起来都正确，只有密码学校验能发现问题。',
    },
    rule: 'RFC 5280 §6.1.3 (a)(1)',
    fix: { en: 'Re-issue the certificate; find out what altered it in transit or storage.', zh: '重新签发证书，并查明它在传输或存储过程中被什么篡改了。' },
    patch: { acsLeaf: { flipSignatureBit: true } },
  },
  {
    id: 'acs-sha1-signature',
    group: 'signature',
    target: 'acs-cert',
    side: 'acs',
    title: { en: 'ACS certificate signed with SHA-1', zh: 'ACS 证书使用 SHA-1 签名' },
    explanation: {
      en: 'The root signed the ACS certificate with sha1WithRSAEncryption. SHA-1 collisions are practical, so OpenSSL 3.0 rates SHA-1 signatures below security level 1: X509_V_ERR_CA_MD_TOO_WEAK (68, "CA signature digest algorithm too weak"). In practice it fails even earlier: both Node.js 20 (level 1) and the openssl binary refuse to load such a certificate as their own ("ca md too weak"), so the ACS cannot even start. Plain openssl verify (no -auth_level) still says OK.',
      zh: '根 CA 用 sha1WithRSAEncryption 签发了 ACS 证书。SHA-1 碰撞已可实际构造，OpenSSL 3.0 认为 SHA-1 签名达不到安全级别 1：X509_V_ERR_CA_MD_TOO_WEAK（68，“CA signature digest algorithm too weak”）。实际上失败得更早：Node.js 20（安全级别 1）和 openssl 命令行都拒绝把这种证书加载为自己的证书（“ca md too weak”），ACS 根本无法启动。不带 -auth_level 的 openssl verify 仍然显示 OK。',
    },
    rule: 'RFC 9155 §2; RFC 8446 §4.2.3; RFC 5280 §4.1.1.2',
    fix: { en: 'Re-issue with SHA-256 or stronger.', zh: '使用 SHA-256 或更强的摘要算法重新签发。' },
    patch: { acsLeaf: { digest: 'sha1' } },
  },
  {
    id: 'acs-md5-signature',
    group: 'signature',
    target: 'acs-cert',
    side: 'acs',
    title: { en: 'ACS certificate signed with MD5', zh: 'ACS 证书使用 MD5 签名' },
    explanation: {
      en: 'The root signed the ACS certificate with md5WithRSAEncryption, the algorithm behind the 2008 rogue-CA attack. OpenSSL 3.0 rejects it at security level 1 and above with X509_V_ERR_CA_MD_TOO_WEAK (68); Node.js and the openssl binary refuse even to load it as the ACS certificate ("ca md too weak").',
      zh: '根 CA 用 md5WithRSAEncryption 签发了 ACS 证书，这正是 2008 年伪造 CA 攻击所利用的算法。OpenSSL 3.0 在安全级别 1 及以上以 X509_V_ERR_CA_MD_TOO_WEAK（68）拒绝；Node.js 和 openssl 命令行甚至拒绝把它加载为 ACS 证书（“ca md too weak”）。',
    },
    rule: 'RFC 6151 §2; RFC 8446 §4.2.3; RFC 5280 §4.1.1.2',
    fix: { en: 'Re-issue with SHA-256 or stronger.', zh: '使用 SHA-256 或更强的摘要算法重新签发。' },
    patch: { acsLeaf: { digest: 'md5' } },
  },
  {
    id: 'acs-rsa-1024',
    group: 'signature',
    target: 'acs-cert',
    side: 'acs',
    title: { en: 'ACS key is RSA-1024', zh: 'ACS 密钥为 RSA-1024' },
    explanation: {
      en: 'The ACS key has 1024 bits (about 80-bit security). The outcome depends on the security level: Node.js 20 runs at OpenSSL level 1, which still allows 1024-bit RSA, so a Node.js session succeeds. Debian\'s openssl binary defaults to level 2 (112 bits, RSA ≥ 2048): s_server refuses to load the key ("ee key too small") and a verifying peer reports X509_V_ERR_EE_KEY_TOO_SMALL (66, "EE certificate key too weak").',
      zh: 'ACS 密钥只有 1024 位（约 80 位安全强度）。结果取决于安全级别：Node.js 20 使用 OpenSSL 安全级别 1，仍允许 1024 位 RSA，因此 Node.js 会话会成功；Debian 的 openssl 命令行默认安全级别 2（112 位，RSA 至少 2048 位）：s_server 拒绝加载该密钥（“ee key too small”），校验方则报 X509_V_ERR_EE_KEY_TOO_SMALL（66，“EE certificate key too weak”）。',
    },
    rule: 'NIST SP 800-131A Rev. 2; CA/Browser Forum Baseline Requirements §6.1.5',
    fix: { en: 'Use RSA-2048 or larger (or ECDSA P-256).', zh: '使用 2048 位及以上的 RSA 密钥（或 ECDSA P-256）。' },
    patch: { acsLeaf: { keyBits: 1024 } },
  },
  {
    id: 'acs-rsa-512',
    group: 'signature',
    target: 'acs-cert',
    side: 'acs',
    title: { en: 'ACS key is RSA-512', zh: 'ACS 密钥为 RSA-512' },
    explanation: {
      en: 'The ACS key has 512 bits and can be factored in hours. OpenSSL security level 1 requires at least 1024-bit RSA: a verifier reports X509_V_ERR_EE_KEY_TOO_SMALL (66, "EE certificate key too weak"). Node.js 20 refuses even to load it as the ACS certificate (ERR_SSL_EE_KEY_TOO_SMALL, "ee key too small"), so no handshake starts. A 512-bit key is also too short for RSA-PSS with SHA-256, which TLS 1.3 requires.',
      zh: 'ACS 密钥只有 512 位，几小时内即可被分解。OpenSSL 安全级别 1 要求 RSA 至少 1024 位：校验方报 X509_V_ERR_EE_KEY_TOO_SMALL（66，“EE certificate key too weak”）。Node.js 20 甚至拒绝把它加载为 ACS 证书（ERR_SSL_EE_KEY_TOO_SMALL，“ee key too small”），握手根本不会开始。而且 512 位密钥也太短，无法进行 TLS 1.3 所要求的 RSA-PSS（SHA-256）签名。',
    },
    rule: 'NIST SP 800-131A Rev. 2; RFC 8446 §4.2.3',
    fix: { en: 'Use RSA-2048 or larger (or ECDSA P-256).', zh: '使用 2048 位及以上的 RSA 密钥（或 ECDSA P-256）。' },
    patch: { acsLeaf: { keyBits: 512 } },
  },

  // ---------------------------------------------------------------- revocation
  {
    id: 'cpe-revoked',
    group: 'revocation',
    target: 'cpe-cert',
    side: 'cpe',
    title: { en: 'CPE certificate is revoked', zh: 'CPE 证书已被吊销' },
    explanation: {
      en: `The lab root has published a CRL listing the CPE certificate's serial number (reason keyCompromise), and the ACS checks revocation. It finds the serial and fails with X509_V_ERR_CERT_REVOKED (23, "certificate revoked"). Without revocation checking the same certificate would be accepted until it expires. ${NODE_VS_OPENSSL_EN}`,
      zh: `实验室根 CA 发布了一份 CRL，其中列出了 CPE 证书的序列号（原因：keyCompromise），而 ACS 启用了吊销检查。它找到该序列号后以 X509_V_ERR_CERT_REVOKED（23，“certificate revoked”）失败。若不做吊销检查，这张证书在过期之前都会被接受。${NODE_VS_OPENSSL_ZH}`,
    },
    rule: 'RFC 5280 §6.3, §5.3.1',
    fix: {
      en: 'Correct behaviour: the device must be re-provisioned with a new key and certificate.',
      zh: '这是正确的行为：需要为该设备重新生成密钥并签发新证书。',
    },
    patch: { acsCrl: { revokePeer: true } },
  },
  {
    id: 'crl-expired',
    group: 'revocation',
    target: 'acs-trust',
    side: 'acs',
    title: { en: 'The CRL the ACS uses is out of date', zh: 'ACS 使用的 CRL 已过期' },
    explanation: {
      en: `The ACS checks the CPE certificate against the root's CRL, but the CRL's nextUpdate is yesterday: the ACS cannot know whether a newer CRL revokes the CPE. OpenSSL fails with X509_V_ERR_CRL_HAS_EXPIRED (12, "CRL has expired"). The CPE itself is fine; the ACS's revocation data is stale. ${NODE_VS_OPENSSL_EN}`,
      zh: `ACS 用根 CA 的 CRL 检查 CPE 证书，但该 CRL 的 nextUpdate 是昨天：ACS 无法确定更新的 CRL 是否已吊销该 CPE。OpenSSL 以 X509_V_ERR_CRL_HAS_EXPIRED（12，“CRL has expired”）失败。CPE 本身没有问题，过时的是 ACS 的吊销数据。${NODE_VS_OPENSSL_ZH}`,
    },
    rule: 'RFC 5280 §5.1.2.5, §6.3.3 (a)',
    fix: { en: 'Fetch and install fresh CRLs before nextUpdate (and alert when that fails).', zh: '在 nextUpdate 之前获取并安装新的 CRL（失败时发出告警）。' },
    patch: { acsCrl: { thisUpdateDays: -8, nextUpdateDays: -1 } },
  },
  {
    id: 'crl-missing',
    group: 'revocation',
    target: 'acs-trust',
    side: 'acs',
    title: { en: 'Revocation checking on, but no CRL', zh: '启用了吊销检查，但没有 CRL' },
    explanation: {
      en: `The ACS is configured to check revocation (-crl_check) but has no CRL for the CPE's issuer. OpenSSL fails closed with X509_V_ERR_UNABLE_TO_GET_CRL (3, "unable to get certificate CRL"): no CRL means no proof the certificate is not revoked. ${NODE_VS_OPENSSL_EN}`,
      zh: `ACS 配置了吊销检查（-crl_check），却没有 CPE 签发者的 CRL。OpenSSL 采取失败即拒绝的策略，报 X509_V_ERR_UNABLE_TO_GET_CRL（3，“unable to get certificate CRL”）：没有 CRL 就无法证明证书未被吊销。${NODE_VS_OPENSSL_ZH}`,
    },
    rule: 'RFC 5280 §6.3',
    fix: { en: "Install the issuer's current CRL on the ACS (or use OCSP).", zh: '在 ACS 上安装签发者的最新 CRL（或改用 OCSP）。' },
    patch: { acsCrl: { publish: false } },
  },

  // ---------------------------------------------------------------- handshake
  {
    id: 'cpe-no-certificate',
    group: 'handshake',
    target: 'tls',
    side: 'cpe',
    title: { en: 'CPE sends no certificate', zh: 'CPE 未发送证书' },
    explanation: {
      en: 'The ACS sends a CertificateRequest, but the CPE answers with an empty Certificate message. Mutual TLS requires a client certificate, and here both verifiers behave alike, because this check is made by OpenSSL inside the handshake (SSL_VERIFY_FAIL_IF_NO_PEER_CERT, which Node.js sets for requestCert + rejectUnauthorized): the ACS aborts with a certificate_required alert (116) in TLS 1.3 or handshake_failure (40) in TLS 1.2, and reports "peer did not return a certificate". There is no chain, so no X509 verify error.',
      zh: 'ACS 发送了 CertificateRequest，但 CPE 回复了一个空的 Certificate 消息。双向 TLS 要求客户端证书，而且这里两个校验器的表现相同，因为该检查由 OpenSSL 在握手过程中完成（SSL_VERIFY_FAIL_IF_NO_PEER_CERT，Node.js 在 requestCert + rejectUnauthorized 时也会设置）：ACS 在 TLS 1.3 下以 certificate_required 告警（116）中止，在 TLS 1.2 下以 handshake_failure 告警（40）中止，并报告“peer did not return a certificate”。由于根本没有证书链，不会出现 X509 校验错误。',
    },
    rule: 'RFC 8446 §4.4.2.4; RFC 5246 §7.4.6; TR-069 Amendment 6 §3.4.4',
    fix: { en: 'Provision the CPE with a client certificate and configure its TLS client to send it.', zh: '为 CPE 预置客户端证书，并配置其 TLS 客户端发送该证书。' },
    patch: { tls: { cpe: { sendCertificate: false } } },
  },
  {
    id: 'cpe-key-mismatch',
    group: 'handshake',
    target: 'cpe-cert',
    side: 'cpe',
    title: { en: 'CPE private key does not match its certificate', zh: 'CPE 私钥与其证书不匹配' },
    explanation: {
      en: 'The CPE is configured with a valid certificate but a different private key (e.g. after a botched key rotation). Both OpenSSL and Node.js check the pair when loading credentials and refuse to start ("key values mismatch"); a stack that did not would send a CertificateVerify the ACS cannot verify (decrypt_error alert). Proof of possession of the private key is what a certificate alone cannot give.',
      zh: 'CPE 配置了有效的证书，却配了另一把私钥（例如密钥轮换出错之后）。OpenSSL 和 Node.js 在加载凭据时都会检查二者是否匹配并拒绝启动（“key values mismatch”）；若协议栈不做此检查，它发出的 CertificateVerify 将无法被 ACS 验证（decrypt_error 告警）。证明持有私钥，正是证书本身无法提供的东西。',
    },
    rule: 'RFC 8446 §4.4.3; RFC 5246 §7.4.8',
    fix: { en: 'Deploy the certificate together with the key it was issued for; check the pair before installing.', zh: '将证书与其对应的私钥一起部署，安装前先检查二者是否匹配。' },
    patch: { cpeKeyMismatch: true },
  },
  {
    id: 'tls-version-mismatch',
    group: 'handshake',
    target: 'tls',
    side: 'both',
    title: { en: 'No common TLS version', zh: '没有共同的 TLS 版本' },
    explanation: {
      en: 'The CPE supports only TLS 1.2, the ACS only TLS 1.3. The ACS finds no version it shares with the ClientHello and aborts with a protocol_version alert before any certificate is sent. Certificates are never looked at.',
      zh: 'CPE 只支持 TLS 1.2，ACS 只支持 TLS 1.3。ACS 在 ClientHello 中找不到双方共同支持的版本，在发送任何证书之前就以 protocol_version 告警中止。证书根本不会被检查。',
    },
    rule: 'RFC 8446 §4.2.1, Appendix D; RFC 5246 Appendix E.1',
    fix: { en: 'Enable TLS 1.2 and 1.3 on the ACS, and upgrade CPE firmware to support TLS 1.3.', zh: '在 ACS 上同时启用 TLS 1.2 和 1.3，并升级 CPE 固件以支持 TLS 1.3。' },
    patch: { tls: { cpe: { minVersion: '1.2', maxVersion: '1.2' }, acs: { minVersion: '1.3', maxVersion: '1.3' } } },
  },
  {
    id: 'no-common-cipher',
    group: 'handshake',
    target: 'tls',
    side: 'both',
    title: { en: 'No common cipher suite', zh: '没有共同的密码套件' },
    explanation: {
      en: 'The ACS offers only AES-256-GCM suites (TLS_AES_256_GCM_SHA384, ECDHE-RSA-AES256-GCM-SHA384); the CPE offers only AES-128-GCM and ChaCha20-Poly1305, for TLS 1.3 and 1.2 alike. The ACS cannot pick a suite and aborts with a handshake_failure alert after the ClientHello ("no shared cipher"), before certificates are exchanged.',
      zh: 'ACS 只提供 AES-256-GCM 套件（TLS_AES_256_GCM_SHA384、ECDHE-RSA-AES256-GCM-SHA384）；CPE 在 TLS 1.3 和 1.2 下都只提供 AES-128-GCM 和 ChaCha20-Poly1305。ACS 无法选出套件，在收到 ClientHello 后以 handshake_failure 告警中止（“no shared cipher”），证书交换尚未发生。',
    },
    rule: 'RFC 8446 §4.1.1; RFC 5246 §7.4.1.3',
    fix: { en: 'Configure overlapping suites (e.g. TLS_AES_128_GCM_SHA256 is mandatory in TLS 1.3).', zh: '配置有交集的密码套件（例如 TLS 1.3 中 TLS_AES_128_GCM_SHA256 是必须实现的）。' },
    patch: {
      tls: {
        acs: { ciphers: 'ECDHE-RSA-AES256-GCM-SHA384:AES256-GCM-SHA384', ciphersuites: 'TLS_AES_256_GCM_SHA384' },
        cpe: {
          ciphers: 'ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-CHACHA20-POLY1305:AES128-GCM-SHA256',
          ciphersuites: 'TLS_AES_128_GCM_SHA256:TLS_CHACHA20_POLY1305_SHA256',
        },
      },
    },
  },

  // ---------------------------------------------------------------- attacker
  {
    id: 'mitm',
    group: 'attacker',
    target: 'attacker',
    side: 'cpe',
    title: { en: 'Man in the middle with its own CA', zh: '使用自有 CA 的中间人' },
    explanation: {
      en: 'An on-path attacker intercepts the CPE\'s connection and presents a certificate for acs.lab.test issued by its own "attacker CA". Name, dates and usage are all right; only the issuer is untrusted. A verifying CPE fails with X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY (20) (Node.js: 21, "unable to verify the first certificate"): an OpenSSL CPE sends unknown_ca, a Node.js CPE closes after the handshake. No CWMP data is ever sent to the attacker.',
      zh: '链路上的攻击者截获 CPE 的连接，出示由其自有“攻击者 CA”签发的 acs.lab.test 证书。名称、有效期和用途都正确，只有签发者不受信任。进行证书校验的 CPE 以 X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY（20）失败（Node.js 报 21，“unable to verify the first certificate”）：OpenSSL 实现的 CPE 发送 unknown_ca 告警，Node.js 实现的 CPE 在握手后关闭连接。任何 CWMP 数据都不会发给攻击者。',
    },
    rule: 'RFC 5280 §6.1; TR-069 Amendment 6 §3.3',
    fix: { en: 'Nothing to fix: this is certificate verification doing its job. Keep it on.', zh: '无需修复：这正是证书校验在发挥作用，务必保持开启。' },
    patch: { attacker: true },
  },
  {
    id: 'mitm-verify-off',
    group: 'attacker',
    target: 'attacker',
    side: 'cpe',
    title: { en: 'Man in the middle, CPE does not verify', zh: '中间人攻击，且 CPE 不校验证书' },
    explanation: {
      en: 'The same attacker, but the CPE does not verify the server (Node.js rejectUnauthorized: false; OpenSSL without -verify_return_error). The handshake with the attacker succeeds; Node.js still records the failure (authorized false, authorizationError UNABLE_TO_VERIFY_LEAF_SIGNATURE) but nobody acts on it. The attacker reads and can modify everything the CPE sends, including ACS credentials, and can push configuration or firmware. This is the flaw the seed paper found in many real CPEs.',
      zh: '同样的攻击者，但 CPE 不校验服务器证书（Node.js 中 rejectUnauthorized: false；OpenSSL 未使用 -verify_return_error）。与攻击者的握手成功；Node.js 仍会记录校验失败（authorized 为 false，authorizationError 为 UNABLE_TO_VERIFY_LEAF_SIGNATURE），但没人处理它。攻击者可以读取并篡改 CPE 发出的全部内容（包括 ACS 凭据），还能下发配置或固件。这正是原始论文在许多真实 CPE 中发现的缺陷。',
    },
    rule: 'TR-069 Amendment 6 §3.3; RFC 5280 §6.1; RFC 6125 §6',
    fix: {
      en: 'Always verify the ACS certificate chain and host name on the CPE; never ship "verify off" builds.',
      zh: '在 CPE 上始终校验 ACS 的证书链和主机名，绝不发布关闭校验的固件版本。',
    },
    patch: { attacker: true, tls: { cpe: { verifyPeer: false } } },
  },
];

// ------------------------------------------------------------------ lookup

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as object)) deepFreeze(v);
  }
  return value;
}

export const FAULTS: readonly FaultSpec[] = deepFreeze(CATALOG);

const BY_ID: ReadonlyMap<string, FaultSpec> = new Map(FAULTS.map((f) => [f.id, f]));

export function listFaults(): readonly FaultSpec[] {
  return FAULTS;
}

/** Levenshtein distance (for "did you mean"). */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}

/** Up to three known ids closest to `id`. */
export function closestFaultIds(id: string, max = 3): string[] {
  return FAULTS.map((f) => ({ id: f.id, d: distance(id, f.id) - (f.id.includes(id) || id.includes(f.id) ? 3 : 0) }))
    .sort((x, y) => x.d - y.d || x.id.localeCompare(y.id))
    .slice(0, max)
    .map((x) => x.id);
}

/** The fault with this id; throws FaultError ERR_UNKNOWN_FAULT naming the closest ids. */
export function getFault(id: string): FaultSpec {
  const f = BY_ID.get(id);
  if (f) return f;
  const near = closestFaultIds(String(id));
  throw new FaultError('ERR_UNKNOWN_FAULT', `unknown fault ${JSON.stringify(id)}; did you mean ${near.map((n) => JSON.stringify(n)).join(', ')}?`, [String(id)]);
}
