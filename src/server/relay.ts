import net from 'node:net';
import { listenAt, listenEphemeral } from './listen.ts';

export type Direction = 'client' | 'server';

/** 0, 1, 2, … */
export function counter(): () => number {
  let n = 0;
  return () => n++;
}

/** What the wiretap reports. `t` is ms since the session clock's origin. */
export interface RelayTap {
  open(conn: number, t: number, endpoints: { client: net.AddressInfo; server: net.AddressInfo }): void;
  data(conn: number, from: Direction, bytes: Uint8Array, t: number): void;
  /** `from` sent FIN (half-close). */
  end(conn: number, from: Direction, t: number): void;
  /** `from`'s connection failed (reset or error); the other side is torn down. */
  reset(conn: number, from: Direction, t: number, error: Error): void;
  /** Both sockets of this connection are closed. */
  close(conn: number, t: number): void;
}

/**
 * A wiretap relay: client → relay → server on loopback. Every byte is handed to the tap and then
 * forwarded unchanged and in order; half-close (FIN) and close propagate; backpressure is kept.
 */
export class WiretapRelay {
  private readonly server: net.Server;
  private readonly sockets = new Set<net.Socket>();

  constructor(
    /** Where accepted connections are forwarded; may be set before the first connection arrives. */
    readonly target: { host: string; port: number },
    private readonly tap: RelayTap,
    private readonly clock: () => number,
    /** Numbers connections; several relays of one session share one counter, so numbers follow accept order. */
    private readonly connId: () => number = counter(),
  ) {
    this.server = net.createServer({ allowHalfOpen: true }, (c) => this.accept(c));
  }

  listen(host = '127.0.0.1'): Promise<net.AddressInfo> {
    return listenEphemeral(this.server, host);
  }

  /** Listens on a given port (0: any), e.g. the standalone ACS's 7547. */
  listenOn(port: number, host = '127.0.0.1'): Promise<net.AddressInfo> {
    return listenAt(this.server, port, host);
  }


  /** Stops listening and destroys every open socket. */
  close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: net.Socket): void {
    const conn = this.connId();
    const upstream = net.connect({ host: this.target.host, port: this.target.port, allowHalfOpen: true, noDelay: true });
    // Forward each chunk at once: Nagle's algorithm would hold small records back for an ACK.
    client.setNoDelay(true);
    this.sockets.add(client).add(upstream);
    let closed = 0;
    let failed = false;
    const onClose = (s: net.Socket) => () => {
      this.sockets.delete(s);
      if (++closed === 2) this.tap.close(conn, this.clock());
    };
    client.once('close', onClose(client));
    upstream.once('close', onClose(upstream));
    const fail = (from: Direction, other: net.Socket) => (err: Error) => {
      if (failed) return;
      failed = true;
      this.tap.reset(conn, from, this.clock(), err);
      other.destroy();
    };
    client.on('error', fail('client', upstream));
    upstream.on('error', fail('server', client));
    // The CPE talks to the ACS: report their addresses (the relay is invisible on the wire it shows).
    this.tap.open(conn, this.clock(), {
      client: { address: client.remoteAddress ?? '127.0.0.1', port: client.remotePort ?? 0, family: 'IPv4' },
      server: { address: this.target.host, port: this.target.port, family: 'IPv4' },
    });
    // Forward at once: what the CPE sends while the upstream connection is still being set up is
    // queued by the socket and written as soon as it connects.
    this.pipe(conn, 'client', client, upstream);
    this.pipe(conn, 'server', upstream, client);
  }

  private pipe(conn: number, from: Direction, src: net.Socket, dst: net.Socket): void {
    src.on('data', (chunk: Buffer) => {
      const t = this.clock();
      // Forward first (the peer is waiting), then report: the tap sees exactly the bytes forwarded.
      if (!dst.write(chunk)) {
        src.pause();
        dst.once('drain', () => src.resume());
      }
      this.tap.data(conn, from, new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength), t);
    });
    src.once('end', () => {
      this.tap.end(conn, from, this.clock());
      dst.end();
    });
  }
}
