import http from 'node:http';
import type net from 'node:net';
import tls from 'node:tls';
import type { SessionConfig, Side } from '../../protocol/events.ts';
import { tlsSettings } from '../modes.ts';
import { nowUs, type EndpointPair, type TlsOverride, type WireReport, type WireScenario } from './protocol.ts';

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
  ) {
    const settings = tlsSettings(config);
    this.acsHttp = http.createServer((req, res) => {
      let n = 0;
      req.on('data', (c: Buffer) => (n += c.length));
      req.on('end', () => {
        const body = `Handshake Lab ACS: received ${n} bytes over mutual TLS\n`;
        res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(body), Connection: 'close' });
        res.end(body);
      });
    });
    const acs = (this.acs = tls.createServer({
      ...settings.server,
      key: material.acs.key,
      cert: material.acs.chain.join('\n'),
      ca: material.acs.trust,
      requestCert: true,
      rejectUnauthorized: true,
    }));
    acs.on('keylog', (line: Buffer) => report({ type: 'keylog', side: 'acs', line: line.toString('latin1'), tUs: nowUs() }));
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
  listen(): Promise<number> {
    return new Promise((resolve, reject) => {
      this.acs.once('error', reject);
      this.acs.listen(0, '127.0.0.1', () => {
        this.acs.off('error', reject);
        resolve((this.acs.address() as net.AddressInfo).port);
      });
    });
  }

  /** The CPE connects to 127.0.0.1:port (the relay, or the ACS directly). */
  connect(port: number): void {
    const { material, report } = this;
    const cpe = (this.cpe = tls.connect({
      ...tlsSettings(this.config).client,
      host: '127.0.0.1',
      port,
      servername: material.acsHostname,
      ca: material.cpe.trust,
      cert: material.cpe.chain.join('\n'),
      key: material.cpe.key,
      rejectUnauthorized: true,
    }));
    cpe.on('keylog', (line: Buffer) => report({ type: 'keylog', side: 'cpe', line: line.toString('latin1'), tUs: nowUs() })); // before any byte is sent
    cpe.on('error', (e) => this.error('cpe', e));
    cpe.once('close', () => report({ type: 'closed', side: 'cpe', tUs: nowUs() }));
    cpe.once('secureConnect', () => {
      this.secured('cpe', cpe);
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
    });
  }

  /** Destroys every socket and closes the server. Idempotent. */
  destroy(): void {
    this.cpe?.destroy();
    for (const raw of this.acsSockets) raw.destroy();
    this.acsHttp.close();
    if (this.acs.listening) this.acs.close();
  }

  private error(side: Side, err: NodeJS.ErrnoException): void {
    if (this.errored.has(side)) return; // the first error is the cause; later ones are its echoes
    this.errored.add(side);
    this.report({ type: 'error', side, code: err.code ?? null, message: err.message, tUs: nowUs() });
  }

  private secured(side: Side, sock: tls.TLSSocket): void {
    const ae = sock.authorizationError as unknown as { code?: string } | string | null | undefined;
    const authorizationError = ae ? (typeof ae === 'string' ? ae : (ae.code ?? String(ae))) : null;
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
