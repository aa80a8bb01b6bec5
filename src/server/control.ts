import type { StopReason } from '../protocol/events.ts';
import type { StepUnit } from '../protocol/ws.ts';

export type { StopReason };

/** What the relay holds in step mode, per connection and direction. */
export interface HeldState {
  conn: number;
  from: 'client' | 'server';
  /** Records (whole TLS records; chunks on a plain connection) waiting. */
  records: number;
  bytes: number;
}

/** What runSession plugs into a control while its session runs. */
export interface ControlImpl {
  step(unit: StepUnit): boolean;
  play(): boolean;
  abort(reason: StopReason): boolean;
}

/**
 * Steering for one running session (passed to runSession as `options.control`). In step mode the
 * wiretap relay holds every record on the wire until `step` releases it; `play` releases everything
 * and stops holding; `abort` ends the session at once with a clear outcome (abort.kind 'stopped').
 * Every method is safe to call at any time, including after the session ended (then it does nothing
 * and returns false). An abort before the session started ends it as soon as it starts.
 *
 * The wire side runs in another thread: `step` and `play` return true when the request was sent to a
 * running step-mode session (not whether a record was waiting); `pending`/`onHeld` follow what the
 * relay reports after every change.
 */
export class SessionControl {
  /** Set by runSession when the session starts; cleared when it ends. */
  private impl: ControlImpl | null = null;
  private held: HeldState[] = [];
  private readonly listeners = new Set<(held: HeldState[]) => void>();
  private pendingAbort: StopReason | null = null;

  constructor(readonly mode: 'run' | 'step' = 'run') {}

  /** Releases the next record (or the rest of the current flight). False when nothing is running in step mode. */
  step(unit: StepUnit): boolean {
    return this.impl?.step(unit) ?? false;
  }
  /** Releases everything held and lets the session run to its end. False when nothing is running in step mode. */
  play(): boolean {
    return this.impl?.play() ?? false;
  }
  /** Ends the session now: every socket, relay, process and timer is gone; the outcome says why. */
  abort(reason: StopReason = 'user'): boolean {
    if (!this.impl) {
      this.pendingAbort ??= reason;
      return false;
    }
    return this.impl.abort(reason);
  }

  /** What is held now. */
  get pending(): readonly HeldState[] {
    return this.held;
  }
  /** Called after every change of what is held. Returns an unsubscribe function. */
  onHeld(f: (held: HeldState[]) => void): () => void {
    this.listeners.add(f);
    return () => this.listeners.delete(f);
  }

  // ---- for runSession ----
  /** @internal */
  attach(impl: ControlImpl): void {
    this.impl = impl;
    if (this.pendingAbort !== null) impl.abort(this.pendingAbort);
  }
  /** @internal */
  detach(): void {
    this.impl = null;
    this.setHeld([]);
  }
  /** @internal */
  setHeld(held: HeldState[]): void {
    this.held = held;
    for (const f of this.listeners) f(held);
  }
}
