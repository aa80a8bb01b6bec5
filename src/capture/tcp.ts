import { TCP_ACK, TCP_FIN, TCP_RST, TCP_SYN, type TcpSegment } from './packet.ts';

/**
 * TCP stream reassembly (RFC 9293 sequence space), one connection per 4-tuple at a time:
 * - each direction's byte stream starts at its SYN's sequence number + 1, or at the first segment
 *   seen when the capture began mid-connection;
 * - a segment ahead of the next expected byte waits until the gap fills (out of order);
 * - bytes already delivered are dropped (retransmissions, overlaps: the first copy wins);
 * - FIN is delivered in stream order (after the bytes before it), RST at once;
 * - a SYN on a 4-tuple whose connection ended (or with another ISN) starts a new connection.
 * Payloads are delivered as views into the capture, never copied. Times are the capture's µs.
 */
export type Dir = 0 | 1;

export interface TcpEndpoint {
  ip: string;
  port: number;
}

export interface TcpConnection {
  /** Index in order of first appearance in the capture, from 0. */
  id: number;
  /** a is the sender of the first segment seen; direction 0 is a → b. */
  a: TcpEndpoint;
  b: TcpEndpoint;
  /** The TCP client's direction: the SYN's sender (or the SYN|ACK's receiver); null when the capture missed both. */
  clientDir: Dir | null;
  /** µs of the first segment (the SYN when captured). */
  firstUs: number;
  lastUs: number;
  ended: boolean;
}

export interface StreamSink {
  /** A new connection (its first segment). */
  open(c: TcpConnection): void;
  data(c: TcpConnection, dir: Dir, bytes: Uint8Array, us: number): void;
  fin(c: TcpConnection, dir: Dir, us: number): void;
  rst(c: TcpConnection, dir: Dir, us: number): void;
  /** At the end of the capture: `missing` bytes of this direction were never captured; what follows them is not delivered. */
  gap(c: TcpConnection, dir: Dir, missing: number, us: number): void;
}

interface Pending {
  off: number;
  bytes: Uint8Array;
  /** Length on the wire (more than bytes.length when the snapshot length cut it). */
  len: number;
}

interface DirState {
  started: boolean;
  synSeen: boolean;
  isn: number;
  /** Sequence number of stream offset 0. */
  origin: number;
  /** Bytes delivered in order. */
  base: number;
  ooo: Pending[];
  finOff: number | null;
  finDone: boolean;
}

interface Conn extends TcpConnection {
  dirs: [DirState, DirState];
  reset: boolean;
}

export interface TcpStats {
  segments: number;
  /** Segments whose bytes had all been delivered already. */
  retransmissions: number;
  /** Segments that arrived ahead of a gap and waited. */
  outOfOrder: number;
}

const newDir = (): DirState => ({ started: false, synSeen: false, isn: 0, origin: 0, base: 0, ooo: [], finOff: null, finDone: false });

export class TcpReassembler {
  private readonly conns = new Map<string, Conn>();
  private readonly all: Conn[] = [];
  readonly stats: TcpStats = { segments: 0, retransmissions: 0, outOfOrder: 0 };

  constructor(private readonly sink: StreamSink) {}

  get connections(): readonly TcpConnection[] {
    return this.all;
  }

  push(s: TcpSegment, us: number): void {
    this.stats.segments++;
    const k1 = `${s.src}|${s.srcPort}`;
    const k2 = `${s.dst}|${s.dstPort}`;
    const key = k1 < k2 ? `${k1}|${k2}` : `${k2}|${k1}`;
    const syn = (s.flags & TCP_SYN) !== 0;
    const ack = (s.flags & TCP_ACK) !== 0;
    let c = this.conns.get(key);
    if (c) {
      const d = this.dirOf(c, s);
      const st = c.dirs[d];
      const reused = syn && !ack && (c.ended || (st.synSeen && st.isn !== s.seq));
      if (reused) {
        this.end(c, us);
        c = undefined;
      } else if (c.ended) {
        return; // the last ACK after both FINs, or anything after a reset
      }
    }
    if (!c) {
      c = {
        id: this.all.length,
        a: { ip: s.src, port: s.srcPort },
        b: { ip: s.dst, port: s.dstPort },
        clientDir: null,
        firstUs: us,
        lastUs: us,
        ended: false,
        dirs: [newDir(), newDir()],
        reset: false,
      };
      this.conns.set(key, c);
      this.all.push(c);
      this.sink.open(c);
    }
    c.lastUs = Math.max(c.lastUs, us);
    const d = this.dirOf(c, s);
    const st = c.dirs[d];
    if (s.flags & TCP_RST) {
      c.reset = true;
      c.ended = true;
      this.sink.rst(c, d, us);
      return;
    }
    let dataSeq = s.seq;
    if (syn) {
      if (ack) c.clientDir ??= d === 0 ? 1 : 0;
      else c.clientDir ??= d;
      if (!st.started) {
        st.started = st.synSeen = true;
        st.isn = s.seq;
        st.origin = (s.seq + 1) >>> 0;
      }
      dataSeq = (s.seq + 1) >>> 0;
    } else if (!st.started) {
      st.started = true;
      st.origin = s.seq;
    }
    // Offset in this direction's stream, unwrapped around the bytes delivered so far.
    const off = st.base + ((dataSeq - ((st.origin + st.base) >>> 0)) | 0);
    const len = s.payloadLen;
    if (len > 0) {
      if (off + len <= st.base || (off + s.payload.length <= st.base && s.payload.length === len)) {
        this.stats.retransmissions++;
      } else if (off <= st.base && st.ooo.length === 0) {
        this.deliver(c, d, st, { off, bytes: s.payload, len }, us);
      } else {
        if (off > st.base) this.stats.outOfOrder++;
        insert(st.ooo, { off, bytes: s.payload, len });
      }
    }
    if (s.flags & TCP_FIN && st.finOff === null) st.finOff = off + len;
    this.drain(c, d, st, us);
  }

  /** End of capture: report gaps, deliver FINs still waiting behind them. */
  finish(): void {
    for (const c of this.all) if (!c.ended) this.end(c, c.lastUs);
  }

  private end(c: Conn, us: number): void {
    if (c.ended) return;
    c.ended = true;
    for (const d of [0, 1] as const) {
      const st = c.dirs[d];
      const next = st.ooo[0]?.off ?? st.finOff;
      if (next !== undefined && next !== null && next > st.base) this.sink.gap(c, d, next - st.base, us);
      if (st.finOff !== null && !st.finDone) {
        st.finDone = true;
        this.sink.fin(c, d, us);
      }
    }
  }

  private dirOf(c: Conn, s: TcpSegment): Dir {
    return s.src === c.a.ip && s.srcPort === c.a.port ? 0 : 1;
  }

  private deliver(c: Conn, d: Dir, st: DirState, p: Pending, us: number): void {
    const end = p.off + p.bytes.length;
    if (end <= st.base) return;
    this.sink.data(c, d, p.bytes.subarray(st.base - p.off), us);
    st.base = end;
  }

  private drain(c: Conn, d: Dir, st: DirState, us: number): void {
    while (st.ooo.length && st.ooo[0]!.off <= st.base) this.deliver(c, d, st, st.ooo.shift()!, us);
    if (st.finOff !== null && !st.finDone && st.base >= st.finOff) {
      st.finDone = true;
      this.sink.fin(c, d, us);
      if (c.dirs[0].finDone && c.dirs[1].finDone) c.ended = true;
    }
  }
}

/** Inserts keeping `ooo` sorted by offset (stable: an earlier copy of the same bytes stays first). */
function insert(ooo: Pending[], p: Pending): void {
  let lo = 0;
  let hi = ooo.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ooo[mid]!.off <= p.off) lo = mid + 1;
    else hi = mid;
  }
  ooo.splice(lo, 0, p);
}
