/** The gateway's limits. Every one is an option of startGateway; past a limit the client gets an `error` with a stable code. */
export interface GatewayLimits {
  /** Live sessions one WebSocket may run at once (`busy` past it). */
  sessionsPerConnection: number;
  /** Live sessions in the whole process (`busy` past it). */
  sessionsTotal: number;
  /** Largest client message, bytes (`too_large` past it; the connection stays open). */
  maxMessageBytes: number;
  /** Hard cap on a frame: the ws library closes the connection (1009) past it. Kept well above maxMessageBytes so that oversized messages normally get a `too_large` answer instead. */
  hardMaxFrameBytes: number;
  /** `start` messages one connection may send per minute (token bucket, burst = this many; `rate_limited` past it). */
  startsPerMinute: number;
  /** Finished sessions kept per connection for export (oldest forgotten first). */
  finishedPerConnection: number;
  /** Finished sessions kept for export in the whole process, oldest forgotten first (bounds memory with many clients: about 170 KiB each). */
  finishedTotal: number;
  /** Open WebSocket connections (the upgrade is refused with 503 past it). */
  connections: number;
  /** A client that does not read: once this many bytes wait in its send buffer, the connection is closed (1008) and its sessions aborted. */
  maxBufferedBytes: number;
  /**
   * All clients' send buffers together: past this, connections are closed and their sessions aborted,
   * largest backlog first (those that stopped reading for a second or more before those still
   * reading), until the total is below it again. Bounds memory when many clients read slowly at
   * once, each under maxBufferedBytes.
   */
  maxBufferedTotalBytes: number;
  /** Step mode: a session nobody stepped (or played) for this long ends with an `idle` outcome. */
  stepIdleMs: number;
  /** Ping interval; a client that did not answer the previous ping is disconnected. 0 disables. */
  heartbeatMs: number;
}

export const DEFAULT_LIMITS: GatewayLimits = {
  sessionsPerConnection: 4,
  sessionsTotal: 200,
  maxMessageBytes: 64 * 1024,
  hardMaxFrameBytes: 1024 * 1024,
  startsPerMinute: 30,
  finishedPerConnection: 16,
  finishedTotal: 256,
  connections: 1000,
  maxBufferedBytes: 32 * 1024 * 1024,
  maxBufferedTotalBytes: 256 * 1024 * 1024,
  stepIdleMs: 15 * 60_000,
  heartbeatMs: 30_000,
};

/** A token bucket: `capacity` tokens, refilled continuously at `perMinute` tokens a minute. */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly capacity: number,
    private readonly perMinute: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.tokens = capacity;
    this.last = now();
  }

  /** Takes one token; false when none is left. */
  take(): boolean {
    const t = this.now();
    this.tokens = Math.min(this.capacity, this.tokens + ((t - this.last) * this.perMinute) / 60_000);
    this.last = t;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Milliseconds until the next token. */
  retryAfterMs(): number {
    return this.tokens >= 1 ? 0 : Math.ceil(((1 - this.tokens) * 60_000) / this.perMinute);
  }
}
