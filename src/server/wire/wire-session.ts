import { WiretapRelay } from '../relay.ts';
import { NodeEndpointPair } from './node-endpoints.ts';
import { nowUs, type WireReport, type WireStart } from './protocol.ts';

/**
 * The wire side of one session: the endpoints and, unless `direct`, the wiretap relay between
 * them. Everything it sees goes to `report`, in the order it happened.
 */
export class WireSession {
  private pair: NodeEndpointPair | undefined;
  private relay: WiretapRelay | undefined;
  private destroyed = false;

  constructor(
    private readonly start: WireStart,
    private readonly report: (r: WireReport) => void,
  ) {}

  async run(): Promise<void> {
    try {
      // Bad material (a key that does not match its certificate, a PEM Node cannot read) throws here.
      const pair = (this.pair = new NodeEndpointPair(this.start.config, this.start.scenario, this.report));
      const acsPort = await pair.listen();
      let relayPort: number | null = null;
      if (!this.start.direct) {
        const report = this.report;
        const us = (tMs: number) => Math.round(tMs * 1000);
        this.relay = new WiretapRelay(
          { host: '127.0.0.1', port: acsPort },
          {
            open: (conn, t, ep) => report({ type: 'open', conn, client: ep.client, server: ep.server, tUs: us(t) }),
            data: (conn, from, bytes, t) => report({ type: 'data', conn, from, bytes: bytes.slice(), tUs: us(t) }),
            end: (conn, from, t) => report({ type: 'fin', conn, from, tUs: us(t) }),
            reset: (conn, from, t, err) => report({ type: 'rst', conn, from, message: err.message, tUs: us(t) }),
            close: (conn, t) => report({ type: 'relay-closed', conn, tUs: us(t) }),
          },
          () => nowUs() / 1000,
        );
        relayPort = (await this.relay.listen()).port;
      }
      if (this.destroyed) return;
      this.report({ type: 'listening', acsPort, relayPort });
      pair.connect(relayPort ?? acsPort);
    } catch (e) {
      this.report({ type: 'failed', message: e instanceof Error ? e.message : String(e) });
    }
  }

  destroy(): void {
    this.destroyed = true;
    this.pair?.destroy();
    void this.relay?.close();
  }
}
