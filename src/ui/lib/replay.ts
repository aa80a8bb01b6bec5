import type { LabEvent, MessageEvent } from '../../protocol/events.ts';
import type { Transcript } from '../../protocol/transcript.ts';
import type { StepUnit } from '../../protocol/ws.ts';
import type { LabStoreApi, SessionView } from '../store.ts';

/**
 * Replays a finished session's events (a transcript file, or an imported capture) with no backend,
 * through the same store actions a live session uses, so the views cannot tell the difference.
 * Run mode reveals the events at the pace they were recorded (gaps capped, none with reduced motion);
 * step mode reveals one record (the messages one TLS record carried) or one flight per step.
 */

/** Longest pause between two revealed events in a timed replay (a live run over loopback is faster). */
export const MAX_GAP_MS = 400;

/** A frame at 60 Hz, rounded up (16.7 ms): a timed replay reveals at most one batch of events per frame. */
export const FRAME_MS = 17;

export interface ReplayTimers {
  set(cb: () => void, ms: number): unknown;
  clear(h: unknown): void;
}

const defaultTimers: ReplayTimers = {
  set: (cb, ms) => setTimeout(cb, ms),
  clear: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

const recordKey = (m: MessageEvent) => `${m.conn}/${m.from}/${m.record.index}`;
const flightKey = (m: MessageEvent) => `${m.conn}/${m.from}/${m.flight}`;

/**
 * Where the next step ends: the index just past the last event it reveals, starting at `from`.
 * A step reveals everything up to the next message, the messages of that record (or flight), and the
 * events that follow them until the next message (secrets, HTTP, CWMP, TCP close, the outcome).
 */
export function stepEnd(events: readonly LabEvent[], from: number, unit: StepUnit): number {
  let i = from;
  while (i < events.length && events[i]!.kind !== 'message') i++;
  if (i >= events.length) return events.length;
  const first = events[i] as MessageEvent;
  const key = unit === 'record' ? recordKey : flightKey;
  const k = key(first);
  i++;
  for (; i < events.length; i++) {
    const e = events[i]!;
    if (e.kind === 'message' && key(e) !== k) break;
  }
  return i;
}

/** Events before the first message (session, TCP open): shown as soon as a step replay opens. */
export function preludeEnd(events: readonly LabEvent[]): number {
  let i = 0;
  while (i < events.length && events[i]!.kind !== 'message') i++;
  return i;
}

export class Replay {
  private shown = 0;
  private timer: unknown = null;
  private running = false;
  private readonly timers: ReplayTimers;

  constructor(
    private readonly store: LabStoreApi,
    readonly id: string,
    private readonly events: readonly LabEvent[],
    timers: ReplayTimers = defaultTimers,
  ) {
    this.timers = timers;
  }

  get remaining(): number {
    return this.events.length - this.shown;
  }

  /** Run mode: reveal everything at the recorded pace (at once with reduced motion). Step mode: show the prelude and wait. */
  begin(mode: SessionView['mode'], reducedMotion: boolean): void {
    if (mode === 'step') this.revealTo(preludeEnd(this.events));
    else this.runToEnd(reducedMotion);
  }

  step(unit: StepUnit): boolean {
    if (this.remaining === 0) return false;
    this.stopTimer();
    this.revealTo(stepEnd(this.events, this.shown, unit));
    return true;
  }

  runToEnd(reducedMotion: boolean): void {
    this.stopTimer();
    if (reducedMotion) {
      this.revealTo(this.events.length);
      return;
    }
    this.running = true;
    const tick = () => {
      this.timer = null;
      if (!this.running || this.remaining === 0) return;
      // Reveal one frame's worth of the recording (every event within FRAME_MS of the first), then
      // wait until the next event is due: the recorded pace, one store update per frame at most
      // (a 600-message session recorded over loopback would otherwise re-render several times a frame).
      const start = this.shown;
      let end = start + 1;
      const t0 = this.events[start]?.t ?? 0;
      while (end < this.events.length && this.events[end]!.t - t0 < FRAME_MS) end++;
      this.revealTo(Math.min(end, this.events.length));
      if (this.remaining === 0) return;
      const wait = Math.min(MAX_GAP_MS, Math.max(FRAME_MS, this.events[end]!.t - t0));
      this.timer = this.timers.set(tick, wait);
    };
    tick();
  }

  /** Stops a timed replay where it is and ends the session as aborted (what stays on screen stays). */
  abort(): void {
    this.stopTimer();
    const s = this.store.getState();
    s.setPendingEvents(this.id, 0);
    if (s.sessions[this.id]?.status === 'running') s.endSession(this.id, 'aborted');
  }

  destroy(): void {
    this.stopTimer();
  }

  private stopTimer(): void {
    this.running = false;
    if (this.timer !== null) this.timers.clear(this.timer);
    this.timer = null;
  }

  private revealTo(end: number): void {
    const s = this.store.getState();
    if (!s.sessions[this.id]) {
      this.stopTimer();
      return;
    }
    if (end > this.shown) {
      s.pushEvents(this.id, this.events.slice(this.shown, end));
      this.shown = end;
    }
    s.setPendingEvents(this.id, this.remaining);
    if (this.remaining === 0) {
      this.running = false;
      if (s.sessions[this.id]?.status === 'running') s.endSession(this.id, 'finished');
    }
  }
}

// ---- the app's replays, by session id ----

const replays = new Map<string, Replay>();
/** The transcript a replayed session came from (exports without a service are made from it). */
const transcripts = new Map<string, Transcript>();

export function transcriptOf(id: string | null): Transcript | null {
  return id ? (transcripts.get(id) ?? null) : null;
}

let replaySeq = 0;

/** Opens a replay as a new session in the store and begins it. */
export function startReplay(
  store: LabStoreApi,
  input: { source: 'transcript' | 'capture'; label: string; events: LabEvent[]; mode: SessionView['mode']; transcript?: Transcript; unknown?: string[] },
  timers?: ReplayTimers,
): Replay {
  const st = store.getState();
  const first = input.events[0];
  const baseId = first?.kind === 'session' ? first.id : 'replay';
  let id = `${input.source}:${baseId}`;
  while (st.sessions[id]) id = `${input.source}:${baseId}#${++replaySeq}`;
  const config = first?.kind === 'session' ? first.config : null;
  if (input.transcript) transcripts.set(id, input.transcript);
  st.addSession({ id, source: input.source, label: input.label, config, mode: input.mode, pendingEvents: input.events.length, ...(input.unknown ? { unknown: input.unknown } : {}) });
  const r = new Replay(store, id, input.events, timers);
  replays.get(id)?.destroy();
  replays.set(id, r);
  r.begin(input.mode, st.reducedMotion);
  return r;
}

export function replayOf(id: string | null): Replay | null {
  return id ? (replays.get(id) ?? null) : null;
}

export function forgetReplay(id: string): void {
  replays.get(id)?.destroy();
  replays.delete(id);
  transcripts.delete(id);
}
