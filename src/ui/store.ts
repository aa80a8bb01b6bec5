import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import type { LabEvent, MessageEvent, OutcomeEvent, SessionConfig, SessionEventT } from '../protocol/events.ts';
import type { Catalog, ServerMessage, StartConfig, StepUnit } from '../protocol/ws.ts';
import type { Lang } from './i18n/index.ts';

/**
 * The UI's one store (zustand). Components read it only through the selector hooks below and
 * change it only through its actions; d3 and xterm controllers get plain data from selectors.
 * Views never parse bytes: everything here is events as the engine (or the capture importer) made them.
 */

export type HeldState = Extract<ServerMessage, { type: 'held' }>['pending'][number];

/** One session on screen: live from the service, replayed from a transcript, or imported from a capture. */
export interface SessionView {
  id: string;
  source: 'live' | 'transcript' | 'capture';
  /** A label for lists and the compare view (file name, or fault ids). */
  label: string;
  config: SessionConfig | null;
  mode: 'run' | 'step';
  events: LabEvent[];
  /** Step mode: what the relay holds now. */
  held: HeldState[];
  status: 'running' | 'ended';
  endReason: 'finished' | 'aborted' | 'failed' | 'idle' | null;
}

export type ConnectionStatus = 'connecting' | 'open' | 'closed';

/** What the user predicted before running a faulty session (the fault playground). */
export interface Prediction {
  /** Who aborts: a party, or 'none' when the session should succeed. */
  aborts: 'cpe' | 'acs' | 'none';
  /** Alert description the user expects (e.g. 'bad_certificate'), or 'none' for a close without alert. */
  alert: string | null;
}

/** The scenario being set up in the controls: exactly what `start` sends (deep links encode it). */
export type Setup = Required<Pick<StartConfig, 'faults' | 'verifier' | 'mode'>> & { preset: 'tls13' | 'tls12' | 'paper'; cipher: string | null };

export interface UiMessage {
  type: 'info' | 'error';
  /** i18n key, or null when `text` is a server's words. */
  key: string | null;
  text: string;
  at: number;
}

export interface LabState {
  lang: Lang;
  projector: boolean;
  connection: ConnectionStatus;
  catalog: Catalog | null;
  sessions: Record<string, SessionView>;
  /** Session ids in the order they appeared. */
  order: string[];
  current: string | null;
  /** The second session in the compare view. */
  compareWith: string | null;
  /** `seq` of the selected event (a TLS message, an HTTP message or a CWMP envelope) in the current session. */
  selected: number | null;
  /** Byte range [start, end) hovered in the selected message (from a field or from the hex view). */
  hover: { start: number; end: number } | null;
  setup: Setup;
  prediction: Prediction | null;
  /** Playback of a step-mode session: play with this many ms between records, or paused. */
  playback: { playing: boolean; intervalMs: number };
  /** Errors and notices in words on screen (newest last). */
  notices: UiMessage[];
}

export const DEFAULT_SETUP: Setup = { preset: 'tls13', cipher: null, faults: [], verifier: 'node', mode: 'run' };

export function initialState(lang: Lang = 'en'): LabState {
  return {
    lang,
    projector: false,
    connection: 'connecting',
    catalog: null,
    sessions: {},
    order: [],
    current: null,
    compareWith: null,
    selected: null,
    hover: null,
    setup: DEFAULT_SETUP,
    prediction: null,
    playback: { playing: false, intervalMs: 800 },
    notices: [],
  };
}

export interface LabActions {
  setLang(lang: Lang): void;
  setProjector(on: boolean): void;
  setConnection(status: ConnectionStatus): void;
  setCatalog(c: Catalog): void;
  setSetup(patch: Partial<Setup>): void;
  setPrediction(p: Prediction | null): void;
  /** A session appeared (started by the service, opened from a transcript or a capture). */
  addSession(s: Omit<SessionView, 'events' | 'held' | 'status' | 'endReason'> & Partial<Pick<SessionView, 'events' | 'status' | 'endReason'>>): void;
  /** Events arrive in order; duplicates (same seq) are ignored. */
  pushEvents(id: string, events: LabEvent[]): void;
  setHeld(id: string, held: HeldState[]): void;
  endSession(id: string, reason: NonNullable<SessionView['endReason']>): void;
  setCurrent(id: string | null): void;
  setCompareWith(id: string | null): void;
  select(seq: number | null): void;
  setHover(range: { start: number; end: number } | null): void;
  setPlayback(p: Partial<LabState['playback']>): void;
  notify(m: Omit<UiMessage, 'at'>): void;
  dismissNotice(at: number): void;
  reset(): void;
}

export type LabStore = LabState & LabActions;

export function createLabStore(init: LabState = initialState()) {
  return createStore<LabStore>()((set, get) => ({
    ...init,
    setLang: (lang) => set({ lang }),
    setProjector: (projector) => set({ projector }),
    setConnection: (connection) => set({ connection }),
    setCatalog: (catalog) => set({ catalog }),
    setSetup: (patch) => set({ setup: { ...get().setup, ...patch } }),
    setPrediction: (prediction) => set({ prediction }),
    addSession: (s) =>
      set((st) => ({
        sessions: { ...st.sessions, [s.id]: { events: [], held: [], status: 'running', endReason: null, ...s } },
        order: st.order.includes(s.id) ? st.order : [...st.order, s.id],
        current: s.id,
        selected: null,
        hover: null,
      })),
    pushEvents: (id, events) =>
      set((st) => {
        const s = st.sessions[id];
        if (!s || events.length === 0) return {};
        const last = s.events.length ? s.events[s.events.length - 1]!.seq : -1;
        const fresh = events.filter((e) => e.seq > last);
        if (fresh.length === 0) return {};
        const config = s.config ?? (fresh.find((e) => e.kind === 'session') as SessionEventT | undefined)?.config ?? null;
        return { sessions: { ...st.sessions, [id]: { ...s, config, events: [...s.events, ...fresh] } } };
      }),
    setHeld: (id, held) =>
      set((st) => {
        const s = st.sessions[id];
        return s ? { sessions: { ...st.sessions, [id]: { ...s, held } } } : {};
      }),
    endSession: (id, reason) =>
      set((st) => {
        const s = st.sessions[id];
        return s ? { sessions: { ...st.sessions, [id]: { ...s, status: 'ended', endReason: reason, held: [] } } } : {};
      }),
    setCurrent: (current) => set({ current, selected: null, hover: null }),
    setCompareWith: (compareWith) => set({ compareWith }),
    select: (selected) => set({ selected, hover: null }),
    setHover: (hover) => set({ hover }),
    setPlayback: (p) => set({ playback: { ...get().playback, ...p } }),
    notify: (m) => set((st) => ({ notices: [...st.notices.slice(-4), { ...m, at: Date.now() + Math.random() }] })),
    dismissNotice: (at) => set((st) => ({ notices: st.notices.filter((n) => n.at !== at) })),
    reset: () => set({ current: null, compareWith: null, selected: null, hover: null, prediction: null, playback: { ...get().playback, playing: false } }),
  }));
}

export type LabStoreApi = ReturnType<typeof createLabStore>;

/** The app's store. Tests create their own with createLabStore(). */
export const labStore: LabStoreApi = createLabStore();

export function useLab<T>(selector: (s: LabStore) => T): T {
  return useStore(labStore, selector);
}

// ---- selectors (pure; memoised where they build arrays) ----

const EMPTY: never[] = [];

export const selectCurrent = (s: LabState): SessionView | null => (s.current ? (s.sessions[s.current] ?? null) : null);

const messageCache = new WeakMap<LabEvent[], MessageEvent[]>();
/** The message events of a session, in order (cached per events array). */
export function messagesOf(events: LabEvent[]): MessageEvent[] {
  let m = messageCache.get(events);
  if (!m) messageCache.set(events, (m = events.filter((e): e is MessageEvent => e.kind === 'message')));
  return m;
}

export const selectEvents = (s: LabState): LabEvent[] => selectCurrent(s)?.events ?? EMPTY;
export const selectMessages = (s: LabState): MessageEvent[] => messagesOf(selectEvents(s));
export const selectOutcome = (s: LabState): OutcomeEvent | null => {
  const ev = selectEvents(s);
  const last = ev[ev.length - 1];
  return last?.kind === 'outcome' ? last : null;
};
export const selectSessionEvent = (s: LabState): SessionEventT | null => {
  const first = selectEvents(s)[0];
  return first?.kind === 'session' ? first : null;
};
export const selectSelectedEvent = (s: LabState): LabEvent | null =>
  s.selected === null ? null : (selectEvents(s).find((e) => e.seq === s.selected) ?? null);

export type { StepUnit };
