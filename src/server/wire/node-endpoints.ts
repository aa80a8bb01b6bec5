import http from 'node:http';
import { isIP } from 'node:net';
import type net from 'node:net';
import tls from 'node:tls';
import { listenEphemeral } from '../listen.ts';
import type { SessionConfig, Side } from '../../protocol/events.ts';
import { AcsSession, CpeDevice, type HttpRequest } from '../../cwmp/engine/index.ts';
import { DataModel } from '../../cwmp/datamodel/index.ts';
import { decodeEnvelope } from '../../cwmp/soap/index.ts';
import { parseRpcSpec } from '../cwmp-script.ts';
import { ConnectionRequestServer, sendConnectionRequest } from './connection-request.ts';
import { tlsSettings } from '../modes.ts';
import { x509ErrorOfNodeCode } from '../../protocol/tls/x509-verify.ts';
import { nowUs, PATIENT_HANDSHAKE_TIMEOUT_MS, type EndpointPair, type EndpointTiming, type SideMaterial, type TlsOverride, type WireReport, type WireScenario } from './protocol.ts';

const VERSION: Record<'1.2' | '1.3', tls.SecureVersion> = { '1.2': 'TLSv1.2', '1.3': 'TLSv1.3' };

/**
 * One side's Node TLS options: the mode's settings, this side's credentials and trust, then the
 * scenario's overrides (a fault is data; this is the only place it turns into Node options).
 */
export function applyOverride<T extends tls.TlsOptions | tls.ConnectionOptions>(base: T, side: SideMaterial, o: TlsOverride): T {
  const opts: T = { ...base, ca: side.trust, rejectUnauthorized: o.verifyPeer !== false };
  if (o.sendCertificate !== false) Object.assign(opts, { cert: side.chain.join('\n'), key: side.key });
  if (side.crls?.length) opts.crl = side.crls; // Node turns on CRL checking (leaf and chain) when CRLs are given
  if (o.minVersion) opts.minVersion = VERSION[o.minVersion];
  if (o.maxVersion) opts.maxVersion = VERSION[o.maxVersion];
  if (o.ciphers !== undefined || o.ciphersuites !== undefined) opts.ciphers = [o.ciphersuites, o.ciphers].filter(Boolean).join(':');
  return opts;
}

/** The Connection Request credentials the lab ACS was given for the CPE (ManagementServer.ConnectionRequestUsername/Password). */
const CR_CREDENTIALS = { username: 'acs', password: 'cr-secret' };

/** Device.ManagementServer.ConnectionRequestURL from an Inform's ParameterList, if it is there. */
function connectionRequestUrlOf(informBody: Buffer): string | undefined {
  try {
    const env = decodeEnvelope(informBody.toString('utf8'));
    if (env.rpc.method !== 'Inform') return undefined;
    return env.rpc.ParameterList.find((p) => p.Name.endsWith('ManagementServer.ConnectionRequestURL'))?.Value;
  } catch {
    return undefined;
  }
}

/** A device that keeps rebooting (a script of Reboots) still ends: at most this many sessions follow the first. */
const MAX_FOLLOW_UP_SESSIONS = 3;

/** HTTP Basic credentials of the lab CPE, asked for only when there is no client certificate (server-auth-only TLS). */
const LAB_BASIC_AUTH = { username: 'cpe', password: 'handshake-lab' };

function flatHeaders(h: http.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

const HTTP_PLACEHOLDER_BODY = 'Handshake Lab: placeholder request (CWMP comes later)\n';

type Report = (r: WireReport) => void;

/**
 * The real endpoints of one session: the ACS is a Node `tls` server that requires and verifies a
 * client certificate; the CPE is a Node `tls` client with SNI, the lab trust store and Node's
 * hostname check. After the handshake the CPE sends one HTTP/1.1 POST (Node's http on the TLS
 * socket) and the ACS answers; then both close with close_notify.
 */
export class NodeEndpointPair implements EndpointPair {
  private readonly acs: tls.Server;
  private readonly acsHttp: http.Server;
  private readonly acsSockets = new Set<net.Socket>();
  private cpe: tls.TLSSocket | undefined;
  private readonly errored = new Set<Side>();

  constructor(
    private readonly config: SessionConfig,
    private readonly material: WireScenario,
    private readonly report: Report,
    private readonly timing: EndpointTiming = { patient: false },
  ) {
    const settings = tlsSettings(config);
    this.acsHttp = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        if (!config.cwmp) {
          const text = `Handshake Lab ACS: received ${body.length} bytes over mutual TLS\n`;
          res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(text), Connection: 'close' });
          res.end(text);
          return;
        }
        const reply = this.acsSession(req.socket as tls.TLSSocket).handle({ method: req.method ?? 'GET', path: req.url ?? '/', headers: flatHeaders(req.headers), body: body.toString('utf8') });
        for (const note of reply.notes) {
          if (note.kind === 'inform') this.informedCrUrl ??= connectionRequestUrlOf(body);
          if (note.kind === 'identity-mismatch') this.report({ type: 'error', side: 'acs', code: 'CWMP_IDENTITY_MISMATCH', message: `the client certificate names ${note.got ?? '?'} but the Inform comes from ${note.expected ?? '?'}`, tUs: nowUs() });
        }
        res.writeHead(reply.status, { ...reply.headers, 'Content-Length': Buffer.byteLength(reply.body) });
        res.end(reply.body);
        if (reply.status === 204 && this.crState === 'waiting' && !this.crScheduled) {
          // The session is over; once this connection has closed the ACS asks the CPE to call back.
          this.crScheduled = true;
          req.socket.once('close', () => this.sendConnectionRequest());
        }
      });
    });
    if (timing.patient) {
      // Step mode: the CPE's next request may wait in the relay for minutes. Node would close an idle
      // keep-alive connection after 5 s and give up on headers after 60 s / a request after 300 s.
      this.acsHttp.keepAliveTimeout = 0;
      this.acsHttp.headersTimeout = 0;
      this.acsHttp.requestTimeout = 0;
    }
    const acs = (this.acs = tls.createServer({
      ...applyOverride(settings.server, material.acs, material.tls.acs),
      // Mutual TLS unless the scenario is server-auth-only (then the ACS asks for HTTP Basic credentials).
      requestCert: material.tls.acs.requestCertificate !== false,
      // Step mode: Node ends a handshake not finished 120 s after accept ('tlsClientError', handled
      // below by destroying the socket); a stepped handshake may take much longer. The session's
      // idle limit bounds it instead (Node reads 0 as its 120 s default, hence the largest timer).
      ...(timing.patient ? { handshakeTimeout: PATIENT_HANDSHAKE_TIMEOUT_MS } : {}),
    }));
    const watched = new WeakSet<tls.TLSSocket>();
    acs.on('keylog', (line: Buffer, sock: tls.TLSSocket) => {
      report({ type: 'keylog', side: 'acs', line: line.toString('latin1'), tUs: nowUs() });
      // Node's server verifies the client certificate after the handshake and, when it fails,
      // destroys the socket without an alert and without any event: the error is only on the
      // socket. Our 'secure' listener runs after Node's own, so it reads what Node decided.
      if (watched.has(sock)) return;
      watched.add(sock);
      sock.once('secure', () => {
        if (sock.authorizationError) this.verifyFailed('acs', String(sock.authorizationError), null);
      });
    });
    acs.on('connection', (raw: net.Socket) => {
      this.acsSockets.add(raw);
      raw.once('close', () => {
        this.acsSockets.delete(raw);
        report({ type: 'closed', side: 'acs', tUs: nowUs() });
      });
    });
    acs.on('tlsClientError', (err: NodeJS.ErrnoException, sock: tls.TLSSocket) => {
      this.error('acs', err);
      sock.destroy();
    });
    acs.on('secureConnection', (sock: tls.TLSSocket) => {
      this.secured('acs', sock);
      sock.on('error', (e) => this.error('acs', e));
      this.acsHttp.emit('connection', sock);
    });
  }

  /** The ACS listens on 127.0.0.1:0; resolves with its port. */
  async listen(): Promise<number> {
    return (await listenEphemeral(this.acs)).port;
  }

  /** The CPE connects to 127.0.0.1:port (the relay, or the ACS directly). */
  connect(port: number): void {
    this.cpePort = port;
    this.openCpe([]);
  }

  /** Where the CPE connects (the relay, or the ACS directly). */
  private cpePort = 0;

  /** One TLS connection of the CPE, carrying one CWMP session with these extra Inform events. */
  private openCpe(events: string[]): void {
    const { material, report } = this;
    const port = this.cpePort;
    let cpe: tls.TLSSocket;
    try {
      cpe = this.cpe = tls.connect({
      ...applyOverride(tlsSettings(this.config).client, material.cpe, material.tls.cpe),
      host: '127.0.0.1',
      port,
      // SNI must be a host name (RFC 6066 §3); for an IP URL Node sends none and checks the IP SAN.
      ...(isIP(material.acsHostname) ? { checkServerIdentity: (_h: string, cert: tls.PeerCertificate) => tls.checkServerIdentity(material.acsHostname, cert) } : { servername: material.acsHostname }),
      });
    } catch (e) {
      // The CPE cannot even start (e.g. its key does not match its certificate): no byte is sent.
      this.error('cpe', e as NodeJS.ErrnoException);
      report({ type: 'closed', side: 'cpe', tUs: nowUs() });
      return;
    }
    cpe.on('keylog', (line: Buffer) => report({ type: 'keylog', side: 'cpe', line: line.toString('latin1'), tUs: nowUs() })); // before any byte is sent
    cpe.on('error', (e) => this.error('cpe', e));
    cpe.once('close', () => {
      // After a Reboot, a FactoryReset or a Download the device informs again at once ('M Reboot',
      // '7 TRANSFER COMPLETE' …); with a Connection Request to come it is not done either.
      if (this.followUpPending) {
        this.followUpPending = false;
        this.openCpe([]);
      } else if (this.crState === 'waiting') this.cpeParked = true;
      else report({ type: 'closed', side: 'cpe', tUs: nowUs() });
    });
    cpe.once('secureConnect', () => {
      this.secured('cpe', cpe);
      if (this.config.cwmp) this.runCwmp(cpe, events);
      else this.placeholderRequest(cpe);
    });
  }

  // ---- TR-069 §3.2.2 Connection Request (plain HTTP, ACS → CPE) --------------------------------
  private cr: ConnectionRequestServer | undefined;
  private crUrl: string | undefined;
  /** off: none asked for; waiting: the ACS will send one after the first session; done/failed. */
  private crState: 'off' | 'waiting' | 'done' | 'failed' = 'off';
  private crScheduled = false;
  /** The CPE's first connection closed while a Connection Request was still to come. */
  private cpeParked = false;
  /** The ConnectionRequestURL the ACS learned from the Inform. */
  private informedCrUrl: string | undefined;

  async listenConnectionRequest(): Promise<number | undefined> {
    if (!this.config.cwmp || this.config.connectionRequest === 'off') return undefined;
    this.crState = 'waiting';
    this.cr = new ConnectionRequestServer({ credentials: () => CR_CREDENTIALS, onRequest: () => this.connectionRequested(), patient: this.timing.patient });
    return this.cr.listen();
  }

  connectionRequestVia(port: number): void {
    this.crUrl = `http://127.0.0.1:${port}${this.cr!.path}`;
  }

  /** The CPE accepted an authenticated Connection Request: a new session, '6 CONNECTION REQUEST'. */
  private connectionRequested(): void {
    if (this.crState !== 'waiting') return;
    this.crState = 'done';
    this.openCpe(['6 CONNECTION REQUEST']);
  }

  /** The ACS's side: after the first session, GET the ConnectionRequestURL with Digest credentials. */
  private sendConnectionRequest(): void {
    const url = this.informedCrUrl;
    const fail = (why: string) => {
      this.crState = 'failed';
      this.report({ type: 'error', side: 'acs', code: 'CWMP_CONNECTION_REQUEST_FAILED', message: why, tUs: nowUs() });
      if (this.cpeParked) this.report({ type: 'closed', side: 'cpe', tUs: nowUs() });
    };
    if (!url) return fail('the Inform carried no Device.ManagementServer.ConnectionRequestURL');
    const creds = this.config.connectionRequest === 'bad-credentials' ? { ...CR_CREDENTIALS, password: 'not-the-password' } : CR_CREDENTIALS;
    sendConnectionRequest(url, creds).then(
      (status) => {
        if (status !== 200 && status !== 204) fail(`the CPE answered the Connection Request with HTTP ${status}`);
      },
      (e: Error) => fail(`Connection Request to ${url} failed: ${e.message}`),
    );
  }

  /** Without CWMP: one HTTP/1.1 POST and its answer, then close_notify. */
  private placeholderRequest(cpe: tls.TLSSocket): void {
    const { material, report } = this;
    const req = http.request(
      {
        createConnection: () => cpe,
        method: 'POST',
        path: '/acs',
        headers: { Host: material.acsHostname, 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(HTTP_PLACEHOLDER_BODY) },
      },
      (res) => {
        res.resume();
        res.on('end', () => {
          report({ type: 'http', status: res.statusCode ?? 0, tUs: nowUs() });
          cpe.end(); // close_notify, then FIN
        });
      },
    );
    req.on('error', (e) => this.error('cpe', e));
    req.end(HTTP_PLACEHOLDER_BODY);
  }

  /** The ACS side of the CWMP session on one TLS connection (TR-069 §3.7), created on its first request. */
  private readonly acsSessions = new WeakMap<tls.TLSSocket, AcsSession>();
  private acsSessionCount = 0;
  private acsSession(sock: tls.TLSSocket): AcsSession {
    let s = this.acsSessions.get(sock);
    if (!s) {
      const cn = sock.getPeerCertificate()?.subject?.CN;
      // With a Connection Request the first session only informs; the ACS then calls the CPE back and
      // runs its script in the session the Connection Request starts (why an ACS sends one at all).
      // Follow-up sessions (after a reboot or a transfer) only inform and report; the script runs once.
      const index = this.acsSessionCount++;
      const scriptSession = this.config.connectionRequest === 'off' ? 0 : 1;
      const script = index === scriptSession ? this.config.rpcs.map(parseRpcSpec) : [];
      s = new AcsSession({
        script,
        clientCertificateCn: typeof cn === 'string' ? cn : null,
        // Without a client certificate, TR-069 Amd 6 §3.4.4 has the ACS ask for HTTP Basic credentials.
        ...(typeof cn === 'string' ? {} : { basicAuth: LAB_BASIC_AUTH }),
      });
      this.acsSessions.set(sock, s);
    }
    return s;
  }

  /**
   * The CPE side: a CWMP session over this TLS connection with Node's http client, one request at
   * a time on the one keep-alive socket; the CPE closes (close_notify) when the ACS says 204.
   */
  private device: CpeDevice | undefined;
  private followUpPending = false;
  private followUps = 0;

  private runCwmp(cpe: tls.TLSSocket, events: string[]): void {
    if (!this.device) {
      const [oui = '00D09E', serialNumber = 'HL0001'] = this.material.cpeId.split(/-(.*)/s);
      const model = new DataModel({ manufacturer: 'Handshake Lab', oui, productClass: 'HL-Router', serialNumber });
      if (this.crUrl) {
        // Where the ACS reaches this CPE (through the wiretap), and the credentials it must use.
        model.localSet('Device.ManagementServer.ConnectionRequestURL', this.crUrl);
        model.localSet('Device.ManagementServer.ConnectionRequestUsername', CR_CREDENTIALS.username);
        model.localSet('Device.ManagementServer.ConnectionRequestPassword', CR_CREDENTIALS.password);
        model.informDelivered?.();
      }
      this.device = new CpeDevice({ model, ns: '1-2', credentials: LAB_BASIC_AUTH, path: this.material.acsPath ?? '/' });
    }
    const session = this.device.nextSession(events);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    (agent as unknown as { createConnection: () => net.Socket }).createConnection = () => cpe;
    const send = (r: HttpRequest) => {
      const req = http.request(
        { agent, method: r.method, path: r.path, headers: { Host: this.material.acsHostname, ...r.headers, 'Content-Length': Buffer.byteLength(r.body) } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const next = session.receive({ status: res.statusCode ?? 0, headers: flatHeaders(res.headers), body: Buffer.concat(chunks).toString('utf8') });
            if (next) return send(next);
            this.report({ type: 'http', status: res.statusCode ?? 0, tUs: nowUs() });
            if (session.state === 'done' && session.nextSessionEvents.length > 0 && this.followUps < MAX_FOLLOW_UP_SESSIONS) {
              this.followUps++;
              this.followUpPending = true; // the simulated reboot / transfer: a new session once this one has closed
            }
            cpe.end(); // the session is over: close_notify, then FIN
          });
        },
      );
      req.on('error', (e) => this.error('cpe', e));
      req.end(r.body);
    };
    send(session.start());
  }

  /** Destroys every socket and closes the server. Idempotent. */
  destroy(): void {
    this.cr?.close();
    this.cpe?.destroy();
    for (const raw of this.acsSockets) raw.destroy();
    this.acsHttp.close();
    if (this.acs.listening) this.acs.close();
  }

  private readonly verified = new Set<Side>();

  /** This side's verifier rejected the peer's certificate: the X509_V_ERR it reported. */
  private verifyFailed(side: Side, nodeCode: string, message: string | null): void {
    if (this.verified.has(side)) return;
    this.verified.add(side);
    const v = x509ErrorOfNodeCode(nodeCode, message ?? '');
    if (v) this.report({ type: 'verify', side, name: v.name, code: v.code, depth: null, text: message ?? v.text, tUs: nowUs() });
  }

  private error(side: Side, err: NodeJS.ErrnoException): void {
    if (err.code) this.verifyFailed(side, err.code, err.message);
    if (this.errored.has(side)) return; // the first error is the cause; later ones are its echoes
    this.errored.add(side);
    this.report({ type: 'error', side, code: err.code ?? null, message: err.message, tUs: nowUs() });
  }

  private secured(side: Side, sock: tls.TLSSocket): void {
    const ae = sock.authorizationError as unknown as { code?: string } | string | null | undefined;
    const authorizationError = ae ? (typeof ae === 'string' ? ae : (ae.code ?? String(ae))) : null;
    if (authorizationError) this.verifyFailed(side, authorizationError, null);
    this.report({
      type: 'secure',
      side,
      authorized: sock.authorized,
      authorizationError,
      protocol: sock.getProtocol(),
      cipher: sock.getCipher()?.standardName ?? null,
      tUs: nowUs(),
    });
  }
}
