import type { Party } from '../../protocol/events.ts';
import { counter, StepGate, WiretapRelay } from '../relay.ts';
import { AttackerEndpoint } from './attacker.ts';
import { NodeEndpointPair } from './node-endpoints.ts';
import { OpensslEndpointPair } from './openssl-endpoints.ts';
import { nowUs, type EndpointPair, type WireControl, type WireReport, type WireStart } from './protocol.ts';

/**
 * The wire side of one session: the endpoints and, unless `direct`, the wiretap relay between
 * them. Everything it sees goes to `report`, in the order it happened. In step mode the relays
 * share one {@link StepGate}: what crosses them waits for `control` to release it.
 */
export class WireSession {
  private pair: EndpointPair | undefined;
  private readonly relays: WiretapRelay[] = [];
  private attacker: AttackerEndpoint | undefined;
  private destroyed = false;
  private readonly gate: StepGate | undefined;

  constructor(
    private readonly start: WireStart,
    private readonly report: (r: WireReport) => void,
  ) {
    if (start.step && !start.direct) this.gate = new StepGate((pending) => this.report({ type: 'held', pending }));
  }

  /** Step mode steering: release, play, or abort (destroy everything now). */
  control(c: WireControl): void {
    if (c.type === 'abort') this.destroy();
    else if (c.type === 'play') this.gate?.play();
    else this.gate?.release(c.unit);
  }

  async run(): Promise<void> {
    // The verifier decides who the endpoints are: Node's tls, or the openssl binary (s_server / s_client).
    const Pair = this.start.config.verifier === 'openssl' ? OpensslEndpointPair : NodeEndpointPair;
    let acsPort: number;
    const reported = new Set<string>();
    const report = (r: WireReport) => {
      if (r.type === 'error' || r.type === 'closed') reported.add(`${r.type}:${r.side}`);
      this.report(r);
    };
    try {
      // An ACS that cannot load its own certificate (a SHA-1 signature or an RSA-512 key below the
      // security level, a key that does not match) fails here: that is the session's outcome.
      const pair = (this.pair = new Pair(this.start.config, this.start.scenario, report, { patient: this.start.step === true }));
      acsPort = await pair.listen();
    } catch (e) {
      if (this.destroyed) return;
      const err = e as NodeJS.ErrnoException;
      const t = nowUs();
      if (!reported.has('error:acs')) report({ type: 'error', side: 'acs', code: err.code ?? null, message: err.message, tUs: t });
      if (!reported.has('closed:acs')) report({ type: 'closed', side: 'acs', tUs: t });
      report({ type: 'closed', side: 'cpe', tUs: t }); // the CPE has nothing to connect to
      return;
    }
    // Destroyed while something was starting: close what the start opened after destroy() ran.
    if (this.destroyed) return this.release();
    try {
      const pair = this.pair;
      let relayPort: number | null = null;
      if (!this.start.direct) {
        const { attacker } = this.start.scenario;
        if (attacker) {
          // CPE → relay (conn 0) → attacker ⇢ relay (conn 1) → ACS
          const upstreamPort = await this.tap(acsPort, { client: 'attacker', server: 'acs' });
          if (this.destroyed) return this.release();
          this.attacker = new AttackerEndpoint(this.start.config, this.start.scenario, upstreamPort, this.report, { patient: this.start.step === true });
          const attackerPort = await this.attacker.listen();
          if (this.destroyed) return this.release();
          relayPort = await this.tap(attackerPort, { client: 'cpe', server: 'attacker' });
        } else {
          relayPort = await this.tap(acsPort, { client: 'cpe', server: 'acs' }); // CPE → relay → ACS
        }
        // The Connection Request (TR-069 §3.2.2) goes the other way, in plain HTTP: ACS → relay → CPE.
        if (this.destroyed) return this.release();
        const crPort = await pair.listenConnectionRequest?.();
        if (this.destroyed) return this.release();
        if (crPort !== undefined) pair.connectionRequestVia!(await this.tap(crPort, { client: 'acs', server: 'cpe' }, false));
      }
      if (this.destroyed) return this.release();
      this.report({ type: 'listening', acsPort, relayPort });
      pair.connect(relayPort ?? acsPort);
    } catch (e) {
      if (this.destroyed) return this.release();
      this.report({ type: 'failed', message: e instanceof Error ? e.message : String(e) });
    }
  }

  private readonly connId = counter();

  /** A wiretap relay in front of `port`; resolves with the relay's own port. */
  private async tap(port: number, roles: { client: Party; server: Party }, tls = true): Promise<number> {
    const report = this.report;
    const us = (tMs: number) => Math.round(tMs * 1000);
    const relay = new WiretapRelay(
      { host: '127.0.0.1', port },
      {
        open: (conn, t, ep) => report({ type: 'open', conn, client: ep.client, server: ep.server, roles, tls, tUs: us(t) }),
        data: (conn, from, bytes, t) => report({ type: 'data', conn, from, bytes: bytes.slice(), tUs: us(t) }),
        end: (conn, from, t) => report({ type: 'fin', conn, from, tUs: us(t) }),
        reset: (conn, from, t, err) => report({ type: 'rst', conn, from, message: err.message, tUs: us(t) }),
        close: (conn, t) => report({ type: 'relay-closed', conn, tUs: us(t) }),
      },
      () => nowUs() / 1000,
      this.connId,
      // The CPE connects right after this relay listens: have its connection to the ACS (or the
      // attacker) waiting. Not for the attacker's own way to the ACS, which it may never take.
      { gate: this.gate, tls, preconnect: tls && roles.client === 'cpe' },
    );
    this.relays.push(relay);
    return (await relay.listen()).port;
  }

  /** Destroys every socket, relay and process of the session; what the relays held is dropped. Idempotent. */
  destroy(): void {
    this.destroyed = true;
    this.gate?.drop(); // what was held is forgotten, never delivered
    this.release();
  }

  /** Closes whatever is open now (again, after a start that was still under way when destroy() ran). */
  private release(): void {
    this.pair?.destroy();
    this.attacker?.destroy();
    for (const r of this.relays) void r.close();
  }
}
