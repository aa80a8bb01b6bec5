import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readSync, rmSync, watch, writeFileSync, type FSWatcher } from 'node:fs';
import { isIP } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SessionConfig, Side } from '../../protocol/events.ts';
import { LAB_SUITES, suiteOf } from '../modes.ts';
import { nowUs, type EndpointPair, type EndpointTiming, type SideMaterial, type TlsOverride, type WireReport, type WireScenario } from './protocol.ts';

/**
 * The seed paper's SSL_VERIFY_PEER model with the real `openssl` binary on both sides: the ACS is
 * `openssl s_server`, the CPE `openssl s_client`. When verification fails, the verifier itself
 * sends the TLS alert (OpenSSL's -verify_return_error), so the wire shows what OpenSSL really does.
 *
 * Nothing TLS is done here: this file writes PEM files, builds command lines, feeds the HTTP
 * request/response through the processes' stdin, and parses what they print:
 *  - key log lines from each side's -keylogfile (tailed while running, read to the end on exit);
 *  - `depth=N …` + `verify error:num=N:text` (both tools' verify callback) → 'verify';
 *  - s_client -brief's summary (`Protocol version:`, `Ciphersuite:`, `Verification…`) and
 *    s_server's `CIPHER is …` (+ its SSL SESSION PARAMETERS PEM for the version) → 'secure';
 *  - `<hex>:error:<code>:<library>:<function>:<reason>:<file>:<line>:…` → 'error' (first one per side);
 *  - process exit → 'closed'.
 */

/** The binary; HANDSHAKE_LAB_OPENSSL may point elsewhere. */
export { OPENSSL_VERIFY_ERRORS, verifyErrorName } from '../../protocol/tls/x509-verify.ts';
import { verifyErrorName } from '../../protocol/tls/x509-verify.ts';

export const OPENSSL_BIN = process.env.HANDSHAKE_LAB_OPENSSL || 'openssl';
const INSTALL_HINT = 'install it with: apt-get install -y openssl (Debian/Ubuntu), apk add openssl (Alpine), dnf install openssl (Fedora)';
const KEYLOG_POLL_MS = 20;
const KILL_GRACE_MS = 300;
const ACCEPT_TIMEOUT_MS = 10_000;

/** OpenSSL's error-library texts → the prefix of its reason macros (SSL_R_…, X509_R_…). */
const ERR_LIBS: Readonly<Record<string, string>> = {
  'SSL routines': 'SSL',
  'x509 certificate routines': 'X509',
  'X509 V3 routines': 'X509V3',
  'PEM routines': 'PEM',
  'asn1 encoding routines': 'ASN1',
  'rsa routines': 'RSA',
  'digital envelope routines': 'EVP',
  'BIO routines': 'BIO',
  'system library': 'SYS',
  'STORE routines': 'OSSL_STORE',
  'DECODER routines': 'OSSL_DECODER',
  'Provider routines': 'PROV',
};

export interface OpensslErrorLine {
  /** e.g. SSL_R_CERTIFICATE_VERIFY_FAILED (library prefix + reason text as a macro name). */
  code: string;
  /** e.g. 'certificate verify failed'. */
  reason: string;
  /** e.g. 'SSL routines'. */
  library: string;
  /** e.g. 'tls_post_process_server_certificate'. */
  func: string;
  /** The packed error code, e.g. '0A000086'. */
  packed: string;
}

/** Parses `80EB…:error:0A000086:SSL routines:tls_post_process_server_certificate:certificate verify failed:../ssl/…:1889:`. */
export function parseErrorLine(line: string): OpensslErrorLine | null {
  const m = /^[0-9A-Fa-f]+:error:([0-9A-Fa-f]{8}):([^:]*):([^:]*):([^:]+)(?::|$)/.exec(line.trim());
  if (!m) return null;
  const [, packed = '', library = '', func = '', reason = ''] = m;
  const lib = ERR_LIBS[library] ?? library.split(' ')[0]?.toUpperCase() ?? 'ERR';
  const macro = reason.trim().toUpperCase().replace(/[^A-Z0-9]+/g, '_').replace(/^_|_$/g, '');
  return { code: `${lib}_R_${macro}`, reason: reason.trim(), library, func, packed: packed.toUpperCase() };
}

/** Is `openssl` runnable? (cached; one `openssl version` per process) */
let opensslProbe: { ok: boolean; version: string; error: string } | undefined;
export function opensslAvailable(): { ok: boolean; version: string; error: string } {
  if (!opensslProbe) {
    const r = spawnSync(OPENSSL_BIN, ['version'], { encoding: 'utf8', timeout: 5000 });
    opensslProbe = r.error
      ? {
          ok: false,
          version: '',
          error:
            (r.error as NodeJS.ErrnoException).code === 'ENOENT'
              ? `openssl is not installed (no '${OPENSSL_BIN}' binary found): ${INSTALL_HINT}`
              : `the '${OPENSSL_BIN}' binary cannot be run (${r.error.message}): ${INSTALL_HINT}`,
        }
      : r.status === 0
        ? { ok: true, version: r.stdout.trim(), error: '' }
        : { ok: false, version: '', error: `'${OPENSSL_BIN} version' failed (exit ${r.status}): ${r.stderr.trim()}` };
  }
  return opensslProbe;
}

/** Splits a byte stream into lines whatever its chunking (latin1, '\r' stripped). */
export class LineBuffer {
  private rest = '';
  push(chunk: string): string[] {
    const text = this.rest + chunk;
    const lines = text.split('\n');
    this.rest = lines.pop() ?? '';
    return lines.map((l) => l.replace(/\r$/, ''));
  }
  /** The unterminated tail, if any. */
  end(): string[] {
    const r = this.rest;
    this.rest = '';
    return r ? [r.replace(/\r$/, '')] : [];
  }
}

/** A complete HTTP/1.x message found in `text` (which may hold other output around it). */
export interface HttpMessage {
  startLine: string;
  headers: Map<string, string>;
  body: string;
}

/**
 * Finds the first complete HTTP message whose start line matches `start` (anywhere in `text`, not
 * only at a line start: OpenSSL's own output can be flushed right before the peer's bytes).
 * Returns undefined until the headers and Content-Length bytes of body have all arrived.
 */
export function findHttpMessage(text: string, start: RegExp): HttpMessage | undefined {
  const m = start.exec(text);
  if (!m) return undefined;
  const headEnd = text.indexOf('\r\n\r\n', m.index);
  if (headEnd < 0) return undefined;
  const [startLine = '', ...headerLines] = text.slice(m.index, headEnd).split('\r\n');
  const headers = new Map<string, string>();
  for (const h of headerLines) {
    const i = h.indexOf(':');
    if (i > 0) headers.set(h.slice(0, i).trim().toLowerCase(), h.slice(i + 1).trim());
  }
  const length = Number(headers.get('content-length') ?? '0');
  const bodyStart = headEnd + 4;
  if (!Number.isFinite(length) || text.length - bodyStart < length) return undefined;
  return { startLine, headers, body: text.slice(bodyStart, bodyStart + length) };
}

const REQUEST_START = /[A-Z]+ \S+ HTTP\/1\.[01]\r\n/;
const RESPONSE_START = /HTTP\/1\.[01] \d{3}[^\r\n]*\r\n/;
const HTTP_PLACEHOLDER_BODY = 'Handshake Lab: placeholder request (CWMP comes later)\n';

const PROTOCOL_NAMES: Readonly<Record<number, string>> = { 0x0301: 'TLSv1', 0x0302: 'TLSv1.1', 0x0303: 'TLSv1.2', 0x0304: 'TLSv1.3' };
const VERSION_FLAG: Readonly<Record<'1.2' | '1.3', string>> = { '1.2': 'TLSv1.2', '1.3': 'TLSv1.3' };

/** The IANA name of an OpenSSL cipher name, when the lab knows it; else OpenSSL's name. */
function ianaCipher(openssl: string): string {
  return LAB_SUITES.find((s) => s.openssl === openssl || s.iana === openssl)?.iana ?? openssl;
}

/** The protocol version in an SSL_SESSION ASN.1 (SEQUENCE { INTEGER 1, INTEGER ssl_version, … }). */
function sessionProtocol(base64: string): string | null {
  const der = Buffer.from(base64, 'base64');
  let i = 1; // after the SEQUENCE tag
  const len = der[i];
  if (len === undefined) return null;
  i += len & 0x80 ? 1 + (len & 0x7f) : 1;
  if (der[i] !== 0x02 || der[i + 1] !== 0x01) return null; // version INTEGER
  i += 3;
  if (der[i] !== 0x02 || der[i + 1] !== 0x02) return null; // ssl_version INTEGER (2 bytes)
  const v = ((der[i + 2] ?? 0) << 8) | (der[i + 3] ?? 0);
  return PROTOCOL_NAMES[v] ?? null;
}

type Report = (r: WireReport) => void;

/** Tails a key log file: each complete line once, in order; `stop()` reads to the end. */
class KeylogTail {
  private fd: number | null;
  private offset = 0;
  private partial = '';
  private watcher: FSWatcher | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly buf = Buffer.allocUnsafe(16 * 1024);

  constructor(
    path: string,
    private readonly onLine: (line: string) => void,
  ) {
    writeFileSync(path, '', { mode: 0o600 }); // openssl appends to it
    this.fd = openSync(path, 'r');
    try {
      this.watcher = watch(path, () => this.drain());
      this.watcher.on('error', () => this.quiet());
    } catch {
      this.watcher = undefined; // the poll below still works
    }
    this.timer = setInterval(() => this.drain(), KEYLOG_POLL_MS);
    this.timer.unref();
  }

  drain(): void {
    if (this.fd === null) return;
    for (;;) {
      let n: number;
      try {
        n = readSync(this.fd, this.buf, 0, this.buf.length, this.offset);
      } catch {
        return;
      }
      if (n <= 0) return;
      this.offset += n;
      const lines = (this.partial + this.buf.toString('latin1', 0, n)).split('\n');
      this.partial = lines.pop() ?? '';
      for (const l of lines) {
        const line = l.replace(/\r$/, '');
        if (line.trim()) this.onLine(line);
      }
    }
  }

  /** Stops the watcher and the poll (the file stays readable for `stop()`). */
  quiet(): void {
    this.watcher?.close();
    this.watcher = undefined;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Reads to the end (a last unterminated line too), then releases everything. */
  stop(): void {
    this.quiet();
    this.drain();
    if (this.partial.trim()) this.onLine(this.partial);
    this.partial = '';
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}

interface SideState {
  proc?: ChildProcess;
  tail?: KeylogTail;
  killTimer?: NodeJS.Timeout;
  exited: boolean;
  closedReported: boolean;
  errored: boolean;
  secured: boolean;
  depth: number | null;
  verifies: Set<string>;
  lastVerify: string | null;
  /** Everything printed, for startup failures. */
  lines: string[];
}

function newSide(): SideState {
  return { exited: false, closedReported: false, errored: false, secured: false, depth: null, verifies: new Set(), lastVerify: null, lines: [] };
}

/** Learned from `verify error:num=N:text` lines, for lines that carry only the text. */
const verifyTextCodes = new Map<string, number>();

/**
 * The endpoints of one session as two `openssl` processes (see the file comment). Implements the
 * same interface and reports as {@link NodeEndpointPair}.
 */
export class OpensslEndpointPair implements EndpointPair {
  private readonly dir: string;
  private readonly acs: SideState = newSide();
  private readonly cpe: SideState = newSide();
  private destroyed = false;
  /** ACS output after ACCEPT (its stdout and stderr, merged in order), for the HTTP request. */
  private acsText = '';
  private responded = false;
  private acsProtocol: string | null = null;
  private cpeText = '';
  private cpeProtocol: string | null = null;
  private cpeCipher: string | null = null;
  private requested = false;
  private gotResponse = false;

  constructor(
    private readonly config: SessionConfig,
    private readonly scenario: WireScenario,
    private readonly report: Report,
    /**
     * Nothing to change in step mode: s_server and s_client have no timeout of their own on a TCP
     * connection, and the only timer here that watches the processes (ACCEPT_TIMEOUT_MS) runs out
     * before any byte reaches the relay; the key log poll and the kill grace never end a session.
     */
    _timing: EndpointTiming = { patient: false },
  ) {
    this.dir = mkdtempSync(join(tmpdir(), 'hl-openssl-'));
  }

  /** The private temp dir holding this session's PEM and key log files (removed by destroy()). */
  get tempDir(): string {
    return this.dir;
  }

  /** Process ids of the running (or last) s_server and s_client. */
  get pids(): { acs: number | undefined; cpe: number | undefined } {
    return { acs: this.acs.proc?.pid, cpe: this.cpe.proc?.pid };
  }

  /** Starts `openssl s_server` on 127.0.0.1:0; resolves with the port once it is accepting. */
  listen(): Promise<number> {
    return new Promise((resolve, reject) => {
      const probe = opensslAvailable();
      if (!probe.ok) {
        this.fail('acs', 'ENOENT', probe.error);
        reject(new Error(probe.error));
        return;
      }
      if (this.destroyed) {
        reject(new Error('the endpoint pair was destroyed'));
        return;
      }
      let args: string[];
      try {
        args = this.serverArgs();
      } catch (e) {
        const message = `could not prepare the ACS's files: ${e instanceof Error ? e.message : String(e)}`;
        this.fail('acs', null, message);
        reject(new Error(message));
        return;
      }
      let port: number | null = null;
      const timer = setTimeout(() => {
        if (port !== null) return;
        const message = `openssl s_server did not start accepting within ${ACCEPT_TIMEOUT_MS} ms`;
        this.error('acs', null, message);
        this.kill(this.acs);
        reject(new Error(message));
      }, ACCEPT_TIMEOUT_MS);
      const side = this.acs;
      // stderr into stdout, so verify lines and "CIPHER is" arrive in the order s_server printed them.
      const proc = this.spawn('acs', ['-c', 'exec "$0" "$@" 2>&1', OPENSSL_BIN, 's_server', ...args], 'sh');
      if (!proc) {
        clearTimeout(timer);
        reject(new Error(`could not start openssl s_server: ${INSTALL_HINT}`));
        return;
      }
      const lines = new LineBuffer();
      proc.stdout?.on('data', (chunk: Buffer) => {
        side.tail?.drain();
        const text = chunk.toString('latin1');
        if (port !== null) this.acsData(text);
        for (const line of lines.push(text)) {
          if (port === null) {
            const m = /^ACCEPT (?:\[[^\]]*\]|[^:\s]+):(\d+)\s*$/.exec(line);
            if (m) {
              port = Number(m[1]);
              clearTimeout(timer);
              resolve(port);
              continue;
            }
          }
          this.acsLine(line, port !== null);
        }
      });
      proc.once('close', (code, signal) => {
        clearTimeout(timer);
        for (const line of lines.end()) this.acsLine(line, port !== null);
        if (port === null) {
          const why = this.startupFailure('acs', code, signal);
          reject(new Error(`openssl s_server could not start: ${why}`));
        }
        this.exited('acs', code, signal);
      });
    });
  }

  /** Starts `openssl s_client` towards 127.0.0.1:port. Failures are reported, never thrown. */
  connect(port: number): void {
    if (this.destroyed || this.cpe.proc) return;
    const probe = opensslAvailable();
    if (!probe.ok) {
      this.fail('cpe', 'ENOENT', probe.error);
      return;
    }
    let args: string[];
    try {
      args = this.clientArgs(port);
    } catch (e) {
      this.fail('cpe', null, `could not prepare the CPE's files: ${e instanceof Error ? e.message : String(e)}`);
      return;
    }
    const proc = this.spawn('cpe', ['s_client', ...args], OPENSSL_BIN);
    if (!proc) return;
    const side = this.cpe;
    const lines = new LineBuffer();
    proc.stderr?.on('data', (chunk: Buffer) => {
      side.tail?.drain();
      for (const line of lines.push(chunk.toString('latin1'))) this.cpeLine(line);
    });
    // With -brief, s_client's stdout carries only what the ACS sent.
    proc.stdout?.on('data', (chunk: Buffer) => {
      side.tail?.drain();
      this.cpeData(chunk.toString('latin1'));
    });
    proc.once('close', (code, signal) => {
      for (const line of lines.end()) this.cpeLine(line);
      if (!side.secured && !side.errored && !this.destroyed) this.startupFailure('cpe', code, signal);
      this.exited('cpe', code, signal);
    });
  }

  /** Kills both processes (SIGTERM, SIGKILL after a short grace) and removes the temp files. Idempotent. */
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    for (const side of [this.acs, this.cpe]) {
      side.tail?.quiet();
      this.kill(side);
    }
    rmSync(this.dir, { recursive: true, force: true });
  }

  // ---- command lines -------------------------------------------------------------------------

  private file(name: string, content: string): string {
    const path = join(this.dir, name);
    writeFileSync(path, content, { mode: 0o600 });
    return path;
  }

  /** -cert/-key/-cert_chain (or -chainCAfile to stop OpenSSL's auto-chaining), -CAfile, CRLs, -keylogfile. */
  private materialArgs(who: Side, m: SideMaterial, o: TlsOverride): string[] {
    const args: string[] = [];
    const [leaf, ...rest] = m.chain;
    if (o.sendCertificate === false || leaf === undefined) {
      if (who === 'acs') args.push('-nocert');
    } else {
      const cert = this.file(`${who}-cert.pem`, ensureNl(leaf));
      args.push('-cert', cert, '-key', this.file(`${who}-key.pem`, ensureNl(m.key)));
      // Send exactly the scenario's chain: with no extra chain, OpenSSL would build one from the
      // trust store; a chain store holding only the leaf stops that.
      if (rest.length) args.push('-cert_chain', this.file(`${who}-chain.pem`, rest.map(ensureNl).join('')));
      else args.push('-chainCAfile', cert);
    }
    // Trust anchors and CRLs in one file: OpenSSL's CAfile lookup loads both.
    const trust = [...m.trust, ...(m.crls ?? [])].map(ensureNl).join('');
    args.push('-CAfile', this.file(`${who}-trust.pem`, trust));
    // As the data says: checking on iff crlCheck is set (with no CRL, OpenSSL reports UNABLE_TO_GET_CRL).
    if (m.crlCheck) args.push(m.crlCheck === 'all' ? '-crl_check_all' : '-crl_check');
    args.push('-keylogfile', join(this.dir, `${who}.keylog`));
    return args;
  }

  private versionArgs(min: '1.2' | '1.3', max: '1.2' | '1.3'): string[] {
    return ['-min_protocol', VERSION_FLAG[min], '-max_protocol', VERSION_FLAG[max]];
  }

  private serverArgs(): string[] {
    const { config, scenario } = this;
    const o = scenario.tls.acs;
    const suite = suiteOf(config);
    const args = ['-accept', '127.0.0.1:0', '-naccept', '1', ...this.materialArgs('acs', scenario.acs, o)];
    args.push(...(o.verifyPeer === false ? ['-verify', '1'] : ['-Verify', '1', '-verify_return_error']));
    args.push(...this.versionArgs(o.minVersion ?? config.tls, o.maxVersion ?? config.tls));
    if (suite.tls === '1.3') args.push('-ciphersuites', o.ciphersuites ?? suite.openssl);
    else if (o.ciphersuites !== undefined) args.push('-ciphersuites', o.ciphersuites);
    if (suite.tls === '1.2') args.push('-cipher', o.ciphers ?? suite.openssl);
    else if (o.ciphers !== undefined) args.push('-cipher', o.ciphers);
    if (config.kx === 'rsa') args.push('-sigalgs', 'RSA+SHA256', '-no_ticket'); // the paper's sequence
    return args;
  }

  private clientArgs(port: number): string[] {
    const { config, scenario } = this;
    const o = scenario.tls.cpe;
    const suite = suiteOf(config);
    const host = scenario.acsHostname;
    const args = ['-connect', `127.0.0.1:${port}`, '-brief', '-nocommands', '-no_ign_eof'];
    // SNI must be a host name (RFC 6066 §3): none for an IP URL, whose IP SAN is checked instead.
    if (isIP(host)) args.push('-noservername', '-verify_ip', host);
    else args.push('-servername', host, '-verify_hostname', host);
    args.push(...this.materialArgs('cpe', scenario.cpe, o));
    if (o.verifyPeer !== false) args.push('-verify_return_error');
    args.push(...this.versionArgs(o.minVersion ?? '1.2', o.maxVersion ?? config.tls));
    if (o.ciphersuites !== undefined) args.push('-ciphersuites', o.ciphersuites);
    if (o.ciphers !== undefined) args.push('-cipher', o.ciphers);
    else if (config.kx === 'rsa') args.push('-cipher', suite.openssl);
    else if (config.tls === '1.2') args.push('-cipher', `${suite.openssl}:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-CHACHA20-POLY1305`);
    if (config.kx === 'rsa') args.push('-sigalgs', 'RSA+SHA256');
    return args;
  }

  // ---- processes ---------------------------------------------------------------------------

  private spawn(who: Side, args: string[], command: string): ChildProcess | undefined {
    const side = who === 'acs' ? this.acs : this.cpe;
    try {
      side.tail = new KeylogTail(join(this.dir, `${who}.keylog`), (line) => this.report({ type: 'keylog', side: who, line, tUs: nowUs() }));
      const proc = spawn(command, args, { cwd: this.dir, stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, LC_ALL: 'C' } });
      side.proc = proc;
      proc.on('error', (e: NodeJS.ErrnoException) => {
        // ENOENT etc.: no process ran; 'close' follows.
        this.error(who, e.code ?? null, `could not run ${command}: ${e.message}${e.code === 'ENOENT' ? ` (${INSTALL_HINT})` : ''}`);
      });
      proc.stdin?.on('error', () => {}); // EPIPE when the process is gone: its exit tells the story
      return proc;
    } catch (e) {
      this.fail(who, null, `could not run ${command}: ${e instanceof Error ? e.message : String(e)}`);
      return undefined;
    }
  }

  private kill(side: SideState): void {
    const proc = side.proc;
    if (!proc || side.exited || proc.exitCode !== null || proc.signalCode !== null) return;
    proc.stdin?.destroy();
    proc.kill('SIGTERM');
    side.killTimer ??= setTimeout(() => {
      if (!side.exited) proc.kill('SIGKILL');
    }, KILL_GRACE_MS);
  }

  private exited(who: Side, code: number | null, signal: NodeJS.Signals | null): void {
    const side = who === 'acs' ? this.acs : this.cpe;
    side.exited = true;
    if (side.killTimer) clearTimeout(side.killTimer);
    side.killTimer = undefined;
    side.tail?.stop();
    side.tail = undefined;
    if (!side.errored && !this.destroyed && code !== 0 && code !== null) {
      this.error(who, null, `openssl ${who === 'acs' ? 's_server' : 's_client'} exited with code ${code}${signal ? ` (${signal})` : ''}`);
    }
    this.closed(who);
  }

  /** A side that could not start: 'error' + 'closed'. */
  private fail(who: Side, code: string | null, message: string): void {
    this.error(who, code, message);
    this.closed(who);
  }

  /** Reports why a process exited before it did its job; returns the message. */
  private startupFailure(who: Side, code: number | null, signal: NodeJS.Signals | null): string {
    const side = who === 'acs' ? this.acs : this.cpe;
    const lines = side.lines.filter((l) => l.trim() && !/^(Using default temp DH parameters|verify depth is \d+.*)$/.test(l));
    const errs = lines.map(parseErrorLine).filter((e): e is OpensslErrorLine => e !== null && e.reason !== 'unregistered scheme');
    const what = lines.length ? lines.join('\n') : `exit code ${code ?? signal}`;
    const message = this.destroyed ? `destroyed before it started (${what})` : what;
    this.error(who, errs.at(-1)?.code ?? (code === 127 ? 'ENOENT' : null), message);
    return message;
  }

  private closed(who: Side): void {
    const side = who === 'acs' ? this.acs : this.cpe;
    if (side.closedReported) return;
    side.closedReported = true;
    this.report({ type: 'closed', side: who, tUs: nowUs() });
  }

  // ---- what the processes print ----------------------------------------------------------------

  /** Lines both tools print the same way: verify callback, error stack. Returns true if handled. */
  private commonLine(who: Side, line: string): boolean {
    const side = who === 'acs' ? this.acs : this.cpe;
    side.lines.push(line);
    if (side.lines.length > 200) side.lines.shift();
    let m = /^depth=(\d+)\b/.exec(line);
    if (m) {
      side.depth = Number(m[1]);
      return true;
    }
    m = /^verify error:num=(\d+):(.*)$/.exec(line);
    if (m) {
      const code = Number(m[1]);
      const text = (m[2] ?? '').trim();
      verifyTextCodes.set(text, code);
      this.verify(who, code, side.depth, text);
      return true;
    }
    m = /^verify error:(.*)$/.exec(line); // s_server's summary of the same error, without the number
    if (m) {
      const text = (m[1] ?? '').trim();
      const code = verifyTextCodes.get(text);
      if (code !== undefined && side.verifies.size === 0) this.verify(who, code, null, text);
      return true;
    }
    const err = parseErrorLine(line);
    if (err) {
      this.error(who, err.code, line.trim());
      return true;
    }
    return false;
  }

  private verify(who: Side, code: number, depth: number | null, text: string): void {
    const side = who === 'acs' ? this.acs : this.cpe;
    const name = verifyErrorName(code);
    side.lastVerify = name;
    const key = `${code}@${depth}`;
    if (side.verifies.has(key)) return;
    side.verifies.add(key);
    this.report({ type: 'verify', side: who, name, code, depth, text, tUs: nowUs() });
  }

  private error(who: Side, code: string | null, message: string): void {
    const side = who === 'acs' ? this.acs : this.cpe;
    if (side.errored) return; // the first error is the cause; later ones are its echoes
    side.errored = true;
    this.report({ type: 'error', side: who, code, message, tUs: nowUs() });
  }

  private acsLine(line: string, accepting: boolean): void {
    if (this.commonLine('acs', line) || !accepting) return;
    if (line === '-----BEGIN SSL SESSION PARAMETERS-----') this.acsSession = [];
    else if (line === '-----END SSL SESSION PARAMETERS-----') {
      if (this.acsSession) this.acsProtocol = sessionProtocol(this.acsSession.join(''));
      this.acsSession = undefined;
    } else if (this.acsSession) this.acsSession.push(line);
    const m = /^CIPHER is (\S+)/.exec(line);
    if (m && !this.acs.secured) {
      this.acs.secured = true;
      this.acs.tail?.drain();
      const cipher = m[1] ?? '';
      // s_server does not print the version; its session PEM carries it, and OpenSSL names every
      // TLS 1.3 suite TLS_… and no TLS 1.2 one.
      const protocol = this.acsProtocol ?? (cipher.startsWith('TLS_') ? 'TLSv1.3' : 'TLSv1.2');
      const authorizationError = this.acs.lastVerify;
      this.report({ type: 'secure', side: 'acs', authorized: authorizationError === null, authorizationError, protocol, cipher: ianaCipher(cipher), tUs: nowUs() });
    }
  }
  private acsSession: string[] | undefined;

  private acsData(text: string): void {
    if (this.responded) return;
    this.acsText += text;
    const req = findHttpMessage(this.acsText, REQUEST_START);
    if (!req) {
      if (this.acsText.length > 1 << 20) this.acsText = this.acsText.slice(-(1 << 16));
      return;
    }
    this.responded = true;
    this.acsText = '';
    const n = Buffer.byteLength(req.body, 'latin1');
    const body = `Handshake Lab ACS: received ${n} bytes over mutual TLS\n`;
    const response =
      'HTTP/1.1 200 OK\r\n' +
      'Content-Type: text/plain; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      'Connection: close\r\n' +
      '\r\n' +
      body;
    // One write (< PIPE_BUF, so one read and one TLS record in s_server). Its stdin stays open: EOF
    // there would make s_server close the socket before its close_notify. It closes when the
    // CPE's close_notify arrives, answering with its own, and exits (-naccept 1).
    this.acs.proc?.stdin?.write(response);
  }

  private cpeLine(line: string): void {
    if (this.commonLine('cpe', line)) return;
    let m = /^Protocol version: (\S+)/.exec(line);
    if (m) this.cpeProtocol = m[1] ?? null;
    m = /^Ciphersuite: (\S+)/.exec(line);
    if (m) this.cpeCipher = m[1] ?? null;
    m = /^(Verification: OK|Verification error: (.*)|No peer certificate)$/.exec(line);
    if (m && !this.cpe.secured) {
      this.cpe.secured = true;
      this.cpe.tail?.drain();
      let authorizationError: string | null = null;
      if (m[2] !== undefined) {
        const code = verifyTextCodes.get(m[2].trim());
        authorizationError = this.cpe.lastVerify ?? (code !== undefined ? verifyErrorName(code) : m[2].trim());
      } else if (m[1] === 'No peer certificate') authorizationError = this.cpe.lastVerify;
      this.report({
        type: 'secure',
        side: 'cpe',
        authorized: m[1] === 'Verification: OK',
        authorizationError,
        protocol: this.cpeProtocol,
        cipher: this.cpeCipher === null ? null : ianaCipher(this.cpeCipher),
        tUs: nowUs(),
      });
      this.sendRequest();
    }
  }

  private sendRequest(): void {
    if (this.requested) return;
    this.requested = true;
    const host = this.scenario.acsHostname;
    const request =
      'POST /acs HTTP/1.1\r\n' +
      `Host: ${host}\r\n` +
      'Content-Type: text/plain; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(HTTP_PLACEHOLDER_BODY)}\r\n` +
      '\r\n' +
      HTTP_PLACEHOLDER_BODY;
    this.cpe.proc?.stdin?.write(request);
  }

  private cpeData(text: string): void {
    if (this.gotResponse) return;
    this.cpeText += text;
    const res = findHttpMessage(this.cpeText, RESPONSE_START);
    if (!res) {
      if (this.cpeText.length > 1 << 20) this.cpeText = this.cpeText.slice(-(1 << 16));
      return;
    }
    this.gotResponse = true;
    this.cpeText = '';
    const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(res.startLine)?.[1] ?? 0);
    this.report({ type: 'http', status, tUs: nowUs() });
    // stdin EOF: s_client sends close_notify, shuts down its write side (FIN) and drains the ACS's reply.
    this.cpe.proc?.stdin?.end();
  }
}

function ensureNl(pem: string): string {
  return pem.endsWith('\n') ? pem : `${pem}\n`;
}
