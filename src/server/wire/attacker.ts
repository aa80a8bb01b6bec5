import type net from 'node:net';
import tls from 'node:tls';
import { listenEphemeral } from '../listen.ts';
import type { SessionConfig } from '../../protocol/events.ts';
import { tlsSettings } from '../modes.ts';
import { nowUs, PATIENT_HANDSHAKE_TIMEOUT_MS, type EndpointTiming, type WireReport, type WireScenario } from './protocol.ts';

const FORGED_BODY = 'Handshake Lab attacker: this answer did not come from the ACS\n';

/**
 * An on-path attacker (the `mitm` faults): it terminates the CPE's TLS with its own certificate
 * for the ACS's name, reads what the CPE sends, answers in the ACS's place, and tries to reach the
 * real ACS with a TLS connection of its own. It has no certificate the ACS trusts, so mutual TLS
 * stops it there; whether it gets the CPE's traffic depends only on the CPE's verification.
 */
export class AttackerEndpoint {
  private readonly server: tls.Server;
  private readonly sockets = new Set<net.Socket>();
  private upstream: tls.TLSSocket | undefined;
  private open = 0;
  private reportedClose = false;
  private readonly errors = new Set<string>();

  constructor(
    private readonly config: SessionConfig,
    private readonly scenario: WireScenario,
    /** Where the real ACS is reached (through the relay's second connection). */
    private readonly upstreamPort: number,
    private readonly report: (r: WireReport) => void,
    timing: EndpointTiming = { patient: false },
  ) {
    const attacker = scenario.attacker!;
    const settings = tlsSettings(config);
    // Step mode: no 120 s handshake deadline (see NodeEndpointPair); the session's idle limit bounds it.
    this.server = tls.createServer({ ...settings.server, key: attacker.key, cert: attacker.chain.join('\n'), ...(timing.patient ? { handshakeTimeout: PATIENT_HANDSHAKE_TIMEOUT_MS } : {}) });
    this.server.on('keylog', (line: Buffer) => report({ type: 'keylog', side: 'attacker', line: line.toString('latin1'), tUs: nowUs() }));
    this.server.on('connection', (raw: net.Socket) => this.track(raw));
    this.server.on('tlsClientError', (err: NodeJS.ErrnoException, sock: tls.TLSSocket) => {
      this.error(err);
      sock.destroy();
    });
    this.server.on('secureConnection', (sock: tls.TLSSocket) => {
      report({ type: 'secure', side: 'attacker', authorized: false, authorizationError: null, protocol: sock.getProtocol(), cipher: sock.getCipher()?.standardName ?? null, tUs: nowUs() });
      sock.on('error', (e) => this.error(e));
      this.connectUpstream();
      let answered = false;
      sock.on('data', (plain: Buffer) => {
        // The attacker reads the CPE's request in the clear; forwards it, and answers itself.
        this.upstream?.write(plain);
        if (answered) return;
        answered = true;
        sock.end(
          `HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(FORGED_BODY)}\r\nConnection: close\r\n\r\n${FORGED_BODY}`,
        );
      });
    });
  }

  async listen(): Promise<number> {
    return (await listenEphemeral(this.server)).port;
  }

  destroy(): void {
    this.upstream?.destroy();
    for (const s of this.sockets) s.destroy();
    if (this.server.listening) this.server.close();
  }

  private connectUpstream(): void {
    if (this.upstream) return;
    // No client certificate the ACS would accept: the attacker does not have the CPE's key.
    const up = (this.upstream = tls.connect({
      ...tlsSettings(this.config).client,
      host: '127.0.0.1',
      port: this.upstreamPort,
      servername: this.scenario.acsHostname,
      rejectUnauthorized: false,
    }));
    up.on('keylog', (line: Buffer) => this.report({ type: 'keylog', side: 'attacker', line: line.toString('latin1'), tUs: nowUs() }));
    up.on('error', (e) => this.error(e));
    this.open++;
    up.once('close', () => this.closed());
    up.resume();
  }

  private track(raw: net.Socket): void {
    this.sockets.add(raw);
    this.open++;
    raw.once('close', () => {
      this.sockets.delete(raw);
      this.closed();
    });
  }

  private closed(): void {
    if (--this.open > 0 || this.reportedClose) return;
    this.reportedClose = true;
    this.report({ type: 'closed', side: 'attacker', tUs: nowUs() });
  }

  private error(err: NodeJS.ErrnoException): void {
    const key = err.code ?? err.message;
    if (this.errors.has(key)) return;
    this.errors.add(key);
    this.report({ type: 'error', side: 'attacker', code: err.code ?? null, message: err.message, tUs: nowUs() });
  }
}
