import type { StepUnit } from '../protocol/ws.ts';

/** What the relay holds in step mode, per connection and direction. */
export interface HeldState {
  conn: number;
  from: 'client' | 'server';
  /** Records (whole TLS records; chunks on a plain connection) waiting. */
  records: number;
  bytes: number;
}

/**
 * Steering for one running session (passed to runSession as `options.control`). In step mode the
 * wiretap relay holds every record on the wire until `step` releases it; `play` releases everything
 * and stops holding; `abort` ends the session at once with a clear outcome. Every method is safe to
 * call at any time, including after the session ended (then it does nothing and returns false).
 */
export class SessionControl {
  /** Set by runSession when the session starts; cleared when it ends. */
  private impl: { step(unit: StepUnit): boolean; play(): boolean; abort(reason: string): boolean } | null = null;
  private held: HeldState[] = [];
  private readonly listeners = new Set<(held: HeldState[]) => void>();
  private pendingAbort: string | null = null;

  constructor(readonly mode: 'run' | 'step' = 'run') {}

  /** Releases the next record (or the rest of the current flight). False when nothing is running. */
  step(unit: StepUnit): boolean {
    return this.impl?.step(unit) ?? false;
  }
  play(): boolean {
    return this.impl?.play() ?? false;
  }
  abort(reason = 'aborted'): boolean {
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
  attach(impl: { step(unit: StepUnit): boolean; play(): boolean; abort(reason: string): boolean }): void {
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
