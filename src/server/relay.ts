import net from 'node:net';
import { RecordDeframer } from '../protocol/tls/deframer.ts';
import type { StepUnit } from '../protocol/ws.ts';
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
 * With a {@link StepGate} (step mode) every record waits in the relay until the gate releases it,
 * and the tap sees it when it is forwarded; without one, bytes are forwarded as they come.
 */
export class WiretapRelay {
  private readonly server: net.Server;
  private readonly sockets = new Set<net.Socket>();

  constructor(
    /** Where accepted connections are forwarded; may be set before the first connection arrives (with `preconnect`: before `listen()`). */
    readonly target: { host: string; port: number },
    private readonly tap: RelayTap,
    private readonly clock: () => number,
    /** Numbers connections; several relays of one session share one counter, so numbers follow accept order. */
    private readonly connId: () => number = counter(),
    private readonly options: {
      /** Step mode: hold what arrives until the gate releases it (shared by the session's relays). */
      gate?: StepGate | undefined;
      /** The connections carry TLS (default true); false: plain TCP, held per chunk in step mode. */
      tls?: boolean | undefined;
      /** Connect upstream as soon as `listen()` resolves, for the first client (default false; not with `listenOn()`, which serves many). */
      preconnect?: boolean | undefined;
    } = {},
  ) {
    this.server = net.createServer({ allowHalfOpen: true }, (c) => this.accept(c));
  }

  async listen(host = '127.0.0.1'): Promise<net.AddressInfo> {
    const a = await listenEphemeral(this.server, host);
    if (this.options.preconnect) this.preconnect();
    return a;
  }

  /** The upstream connection opened ahead of the first client (`options.preconnect`), and what drops it. */
  private spare: { socket: net.Socket; drop: () => void } | null = null;

  /**
   * Opens the first upstream connection now, so that the client's first bytes find it ready: the
   * connect and the server's accept happen while the client is still being set up, instead of
   * one after the other once it has connected. The spare is handed over only untouched: one that
   * failed, was closed or half-closed by the server, or got bytes before any client came is
   * dropped, and the client gets a fresh connection, whose fate is reported as usual.
   */
  private preconnect(): void {
    const socket = this.connectUpstream();
    const drop = () => {
      if (this.spare?.socket === socket) this.spare = null;
      this.sockets.delete(socket);
      socket.destroy();
    };
    this.spare = { socket, drop };
    this.sockets.add(socket);
    socket.once('error', drop).once('end', drop).once('close', drop);
  }

  /** The connection to forward a new client to: the untouched spare, or a fresh one. */
  private upstream(): net.Socket {
    const spare = this.spare;
    this.spare = null;
    if (spare) {
      const { socket, drop } = spare;
      socket.off('error', drop).off('end', drop).off('close', drop);
      if (!socket.destroyed && !socket.readableEnded && socket.readableLength === 0) return socket;
      drop();
    }
    return this.connectUpstream();
  }

  /** A new connection to the target (half-open allowed, Nagle off: each record goes at once). */
  private connectUpstream(): net.Socket {
    return net.connect({ host: this.target.host, port: this.target.port, allowHalfOpen: true, noDelay: true });
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
    const upstream = this.upstream();
    // Forward each chunk at once: Nagle's algorithm would hold small records back for an ACK.
    client.setNoDelay(true);
    this.sockets.add(client).add(upstream);
    if (this.options.gate) {
      this.acceptHeld(conn, client, upstream, this.options.gate);
      return;
    }
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
    this.reportOpen(conn, client);
    // Forward at once: what the CPE sends while the upstream connection is still being set up is
    // queued by the socket and written as soon as it connects.
    this.pipe(conn, 'client', client, upstream);
    this.pipe(conn, 'server', upstream, client);
  }

  /** The CPE talks to the ACS: report their addresses (the relay is invisible on the wire it shows). */
  private reportOpen(conn: number, client: net.Socket): void {
    this.tap.open(conn, this.clock(), {
      client: { address: client.remoteAddress ?? '127.0.0.1', port: client.remotePort ?? 0, family: 'IPv4' },
      server: { address: this.target.host, port: this.target.port, family: 'IPv4' },
    });
  }

  /** Step mode: both directions go through the gate; the tap sees bytes, FIN and reset when they are released. */
  private acceptHeld(conn: number, client: net.Socket, upstream: net.Socket, gate: StepGate): void {
    let closed = 0;
    const onClose = (s: net.Socket) => () => {
      this.sockets.delete(s);
      if (++closed < 2) return;
      gate.closed(conn);
      this.tap.close(conn, this.clock());
    };
    client.once('close', onClose(client));
    upstream.once('close', onClose(upstream));
    const tls = this.options.tls !== false;
    const sink = (from: Direction, src: net.Socket, dst: net.Socket) => ({
      data: (bytes: Uint8Array) => {
        if (dst.destroyed) return;
        const t = this.clock();
        // Released records are written back to back (play, a whole flight): wait for one drain, not one per write.
        if (!dst.write(bytes) && !src.isPaused()) {
          src.pause();
          dst.once('drain', () => src.resume());
        }
        // A plain Uint8Array view, as in run mode (a Buffer's slice() is not a copy).
        this.tap.data(conn, from, new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), t);
      },
      end: () => {
        this.tap.end(conn, from, this.clock());
        if (!dst.destroyed) dst.end();
      },
      reset: (err: Error) => {
        this.tap.reset(conn, from, this.clock(), err);
        dst.destroy();
      },
    });
    const lanes = {
      client: gate.lane(conn, 'client', sink('client', client, upstream), tls),
      server: gate.lane(conn, 'server', sink('server', upstream, client), tls),
    };
    let failed = false;
    const fail = (from: Direction) => (err: Error) => {
      if (failed) return;
      failed = true;
      gate.reset(lanes[from], err);
    };
    client.on('error', fail('client'));
    upstream.on('error', fail('server'));
    this.reportOpen(conn, client);
    for (const [from, src] of [['client', client], ['server', upstream]] as const) {
      src.on('data', (chunk: Buffer) => gate.data(lanes[from], chunk));
      src.once('end', () => gate.end(lanes[from]));
    }
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

// ---- step mode ------------------------------------------------------------------------------

/** What a step gate holds in one direction of one connection. */
export interface HeldLane {
  conn: number;
  from: Direction;
  /** Whole TLS records waiting (chunks on a plain connection, or once a stream turned out not to be TLS). */
  records: number;
  bytes: number;
}

/** Where a lane's items go when released: the relay's forwarding and reporting for one direction. */
interface LaneSink {
  /** Forward to the peer and report, now. */
  data(bytes: Uint8Array): void;
  /** Forward the FIN and report it. */
  end(): void;
  /** Report the sender's reset and tear the other socket down. */
  reset(error: Error): void;
}

type LaneItem = { kind: 'data'; lane: Lane; bytes: Uint8Array } | { kind: 'end' } | { kind: 'reset'; error: Error };

/** One direction of one connection through a gated relay. */
class Lane {
  /** Held items in arrival order; the first one is always data (markers behind nothing are delivered at once). */
  readonly items: LaneItem[] = [];
  /** Record boundaries (null: hold per chunk — a plain connection, a stream that is not TLS, or after play). */
  deframer: RecordDeframer | null;
  /** Bytes pushed into the deframer that no record has covered yet (a record's start). */
  private tail: Uint8Array[] = [];
  private tailLength = 0;
  /** The peer's socket is gone: what this lane carries can no longer be delivered. */
  deadEnd = false;

  constructor(
    readonly conn: number,
    readonly from: Direction,
    readonly sink: LaneSink,
    tls: boolean,
  ) {
    this.deframer = tls ? new RecordDeframer() : null;
  }

  /** Splits arriving bytes into the units step mode holds: whole records, or the chunk as it came. */
  split(chunk: Uint8Array): Uint8Array[] {
    const d = this.deframer;
    if (!d) return [chunk];
    this.tail.push(chunk);
    this.tailLength += chunk.length;
    let records: Uint8Array[] = [];
    let failed = false;
    try {
      records = d.push(chunk).map((r) => r.bytes);
    } catch {
      failed = true;
    }
    let covered = 0;
    for (const r of records) covered += r.length;
    this.dropTail(covered);
    if (failed || d.failed) {
      // Not TLS (any more): what is left goes as it came, and so does everything after it.
      this.deframer = null;
      const rest = this.takeTail();
      if (rest.length) records.push(rest);
    }
    return records;
  }

  /** The start of a record that has not completed (at FIN, or when holding stops). */
  takeTail(): Uint8Array {
    if (this.tailLength === 0) return new Uint8Array(0);
    const out = this.tail.length === 1 ? this.tail[0]! : Buffer.concat(this.tail, this.tailLength);
    this.tail = [];
    this.tailLength = 0;
    return out;
  }

  private dropTail(n: number): void {
    this.tailLength -= n;
    while (n > 0) {
      const first = this.tail[0]!;
      if (first.length <= n) {
        this.tail.shift();
        n -= first.length;
      } else {
        this.tail[0] = first.subarray(n);
        n = 0;
      }
    }
  }

  /** Records and bytes held. */
  held(): { records: number; bytes: number } {
    let records = 0;
    let bytes = 0;
    for (const i of this.items) {
      if (i.kind !== 'data') continue;
      records++;
      bytes += i.bytes.length;
    }
    return { records, bytes };
  }
}

/**
 * Step mode for the relays of one session: every TLS record that reaches a relay waits there (the
 * bytes physically stay in this process) until a step releases it. Record boundaries come from the
 * pure deframer; a plain connection (the Connection Request) is held per chunk. A FIN or a reset
 * stays behind the bytes its sender sent before it. Arrival order across connections and directions
 * is kept: `release('record')` forwards the oldest held record; `release('flight')` forwards every
 * held record of the oldest one's connection and direction and lets that direction's next records
 * through until a record arrives from elsewhere (which is held); `play()` forwards everything and
 * stops holding. After every change of what is held, `onHeld` gets the new state.
 */
export class StepGate {
  private holding = true;
  private dropped = false;
  /** Held data items of every lane, in arrival order. */
  private queue: Extract<LaneItem, { kind: 'data' }>[] = [];
  /** Flight mode: records of this lane pass until a record arrives from another. */
  private auto: Lane | null = null;
  private readonly lanes: Lane[] = [];
  private last = '[]';

  constructor(private readonly onHeld: (held: HeldLane[]) => void) {}

  /** What is held now, per connection and direction (connection order, client before server). */
  held(): HeldLane[] {
    const out: HeldLane[] = [];
    for (const l of this.lanes) {
      const h = l.held();
      if (h.records) out.push({ conn: l.conn, from: l.from, ...h });
    }
    return out.sort((a, b) => a.conn - b.conn || (a.from === b.from ? 0 : a.from === 'client' ? -1 : 1));
  }

  /** Releases the oldest held record, or the rest of its flight. False when nothing is held. */
  release(unit: StepUnit): boolean {
    if (this.dropped) return false;
    const head = this.queue[0];
    if (!head) return false;
    if (unit === 'record') {
      this.auto = null;
      this.queue.shift();
      this.deliverFront(head.lane);
    } else {
      const lane = head.lane;
      this.queue = this.queue.filter((i) => i.lane !== lane);
      while (lane.items.length) this.deliverFront(lane);
      this.auto = lane;
    }
    this.changed();
    return true;
  }

  /** Releases everything held (in arrival order) and stops holding for good. */
  play(): void {
    if (this.dropped || !this.holding) return;
    this.holding = false;
    this.auto = null;
    const queue = this.queue;
    this.queue = [];
    for (const item of queue) this.deliverFront(item.lane);
    // Starts of records still incomplete go too: from now on bytes pass as they come.
    for (const l of this.lanes) {
      const rest = l.takeTail();
      l.deframer = null;
      if (rest.length && !l.deadEnd) l.sink.data(rest);
    }
    this.changed();
  }

  /** The session is over: forget everything held, deliver nothing more. */
  drop(): void {
    this.dropped = true;
    this.queue = [];
    for (const l of this.lanes) l.items.length = 0;
    this.lanes.length = 0;
    this.auto = null;
  }

  // ---- for the relays -------------------------------------------------------------------------

  /** @internal A direction of a new connection. */
  lane(conn: number, from: Direction, sink: LaneSink, tls: boolean): Lane {
    const l = new Lane(conn, from, sink, tls);
    if (!this.dropped) this.lanes.push(l);
    return l;
  }

  /** @internal Bytes arrived from `lane`'s sender. */
  data(lane: Lane, chunk: Uint8Array): void {
    if (this.dropped || lane.deadEnd) return;
    if (!this.holding) {
      lane.sink.data(chunk);
      return;
    }
    let change = false;
    for (const bytes of lane.split(chunk)) {
      if (this.auto === lane && lane.items.length === 0) {
        lane.sink.data(bytes); // the flight being released goes on
        continue;
      }
      if (this.auto !== lane) this.auto = null; // a record from elsewhere ends the flight
      const item = { kind: 'data' as const, lane, bytes };
      lane.items.push(item);
      this.queue.push(item);
      change = true;
    }
    if (change) this.changed();
  }

  /** @internal `lane`'s sender sent FIN: it follows the bytes it sent before. */
  end(lane: Lane): void {
    this.marker(lane, { kind: 'end' });
  }

  /** @internal `lane`'s sender failed (reset, error): reported after the bytes it sent before. */
  reset(lane: Lane, error: Error): void {
    if (this.dropped) return;
    // Nothing can reach the failed socket any more: what waits for it is dropped.
    for (const other of this.lanes) {
      if (other.conn !== lane.conn || other === lane) continue;
      other.deadEnd = true;
      this.dropData(other);
    }
    this.marker(lane, { kind: 'reset', error });
  }

  /** @internal Both sockets of `conn` closed: nothing held for it can be delivered. */
  closed(conn: number): void {
    if (this.dropped) return;
    for (let i = this.lanes.length - 1; i >= 0; i--) {
      const l = this.lanes[i]!;
      if (l.conn !== conn) continue;
      l.deadEnd = true;
      this.dropData(l);
      this.lanes.splice(i, 1);
    }
    this.changed();
  }

  private marker(lane: Lane, m: Extract<LaneItem, { kind: 'end' | 'reset' }>): void {
    if (this.dropped) return;
    // An unfinished record the sender will never complete goes before its FIN.
    const rest = lane.takeTail();
    if (rest.length) this.data(lane, rest);
    if (lane.items.length === 0) this.deliver(lane, m);
    else lane.items.push(m);
  }

  /** Forwards the lane's first item (data) and the markers right behind it. */
  private deliverFront(lane: Lane): void {
    const first = lane.items.shift();
    if (first) this.deliver(lane, first);
    while (lane.items[0] && lane.items[0].kind !== 'data') this.deliver(lane, lane.items.shift()!);
  }

  private deliver(lane: Lane, item: LaneItem): void {
    if (item.kind === 'data') {
      if (!lane.deadEnd) lane.sink.data(item.bytes);
    } else if (item.kind === 'end') lane.sink.end();
    else lane.sink.reset(item.error);
  }

  /** Drops `lane`'s held data (its markers are still delivered, in order). */
  private dropData(lane: Lane): void {
    if (!lane.items.some((i) => i.kind === 'data')) return;
    this.queue = this.queue.filter((i) => i.lane !== lane);
    const markers = lane.items.filter((i) => i.kind !== 'data');
    lane.items.length = 0;
    if (this.auto === lane) this.auto = null;
    for (const m of markers) this.deliver(lane, m);
    this.changed();
  }

  private changed(): void {
    if (this.dropped) return;
    const held = this.held();
    const key = JSON.stringify(held);
    if (key === this.last) return;
    this.last = key;
    this.onHeld(held);
  }
}
