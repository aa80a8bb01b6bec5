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
  /** The user's prediction made before this session started (fault playground). */
  prediction?: Prediction | null;
  /** Replays (transcripts, captures): events not yet revealed (step/play reveals them). */
  pendingEvents?: number;
  /** Imported captures: event fields the wire cannot show (placeholders), e.g. 'config.verifier', 'outcome.cpe.verifiedPeer'. */
  unknown?: string[];
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
  /** Placeholders for `key`. */
  params?: Record<string, string | number>;
  /** With a key: further words (e.g. the server's message or a parser's reason) shown under it. */
  detail?: string;
}

/** What the service said about itself in `hello`. */
export interface ServerInfo {
  name: string;
  limits: Extract<ServerMessage, { type: 'hello' }>['limits'];
}

/** The central view: the ladder, the certificate chains, or two sessions side by side. */
export type CenterTab = 'ladder' | 'certificates' | 'compare';

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
  /** prefers-reduced-motion (or the user's choice): no animation, replays reveal at once. */
  reducedMotion: boolean;
  /** What Step (and Play) releases: one record or a whole flight. */
  stepUnit: StepUnit;
  server: ServerInfo | null;
  /** When the connection is lost: the time (ms epoch) of the next reconnection attempt. */
  reconnectAt: number | null;
  tab: CenterTab;
  /** The side panel (fault playground, outcome, sessions) is shown. */
  sidePanel: boolean;
  /** A capture being read by the import worker: its name and how far (0..1). */
  importing: { name: string; fraction: number } | null;
  /** The certificate opened in the certificate view: `<owner>:<depth>` (e.g. `acs:0`, the ACS leaf), or null for the default. */
  certSelected: string | null;
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
    reducedMotion: false,
    stepUnit: 'record',
    server: null,
    reconnectAt: null,
    tab: 'ladder',
    sidePanel: true,
    importing: null,
    certSelected: null,
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
  setReducedMotion(on: boolean): void;
  setStepUnit(unit: StepUnit): void;
  setServer(info: ServerInfo | null): void;
  setReconnectAt(at: number | null): void;
  setTab(tab: CenterTab): void;
  setSidePanel(on: boolean): void;
  setImporting(p: LabState['importing']): void;
  /** Open a certificate in the certificate view (`<owner>:<depth>`). */
  selectCert(id: string | null): void;
  /** Records the prediction a session was started with. */
  attachPrediction(id: string, p: Prediction | null): void;
  /** Replays: how many events are still to be revealed. */
  setPendingEvents(id: string, n: number): void;
  /** Forgets a session (and leaves compare/current pointing elsewhere). */
  removeSession(id: string): void;
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
    // A session is never compared with itself: making the compared one current ends the comparison.
    setCurrent: (current) => set((st) => ({ current, selected: null, hover: null, ...(current !== null && st.compareWith === current ? { compareWith: null } : {}) })),
    setCompareWith: (compareWith) => set({ compareWith }),
    select: (selected) => set({ selected, hover: null }),
    setHover: (hover) => set({ hover }),
    setPlayback: (p) => set({ playback: { ...get().playback, ...p } }),
    notify: (m) => set((st) => ({ notices: [...st.notices.slice(-4), { ...m, at: Date.now() + Math.random() }] })),
    dismissNotice: (at) => set((st) => ({ notices: st.notices.filter((n) => n.at !== at) })),
    reset: () => set({ current: null, compareWith: null, selected: null, hover: null, prediction: null, playback: { ...get().playback, playing: false } }),
    setReducedMotion: (reducedMotion) => set({ reducedMotion }),
    setStepUnit: (stepUnit) => set({ stepUnit }),
    setServer: (server) => set({ server }),
    setReconnectAt: (reconnectAt) => set({ reconnectAt }),
    setTab: (tab) => set({ tab }),
    setSidePanel: (sidePanel) => set({ sidePanel }),
    setImporting: (importing) => set({ importing }),
    selectCert: (certSelected) => set({ certSelected }),
    attachPrediction: (id, prediction) =>
      set((st) => {
        const s = st.sessions[id];
        return s ? { sessions: { ...st.sessions, [id]: { ...s, prediction } } } : {};
      }),
    setPendingEvents: (id, pendingEvents) =>
      set((st) => {
        const s = st.sessions[id];
        return s && s.pendingEvents !== pendingEvents ? { sessions: { ...st.sessions, [id]: { ...s, pendingEvents } } } : {};
      }),
    removeSession: (id) =>
      set((st) => {
        if (!st.sessions[id]) return {};
        const { [id]: _gone, ...sessions } = st.sessions;
        const order = st.order.filter((x) => x !== id);
        const current = st.current === id ? (order[order.length - 1] ?? null) : st.current;
        return {
          sessions,
          order,
          current,
          compareWith: st.compareWith === id || st.compareWith === current ? null : st.compareWith,
          ...(st.current === id ? { selected: null, hover: null } : {}),
        };
      }),
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

// ---- more selectors (the app shell) ----

/** The last event of a session when it is its outcome. */
export function outcomeOf(events: LabEvent[]): OutcomeEvent | null {
  const last = events[events.length - 1];
  if (last?.kind === 'outcome') return last;
  // Replays may reveal an outcome before trailing events in odd transcripts: look back a little.
  for (let i = events.length - 2; i >= 0 && i >= events.length - 8; i--) {
    const e = events[i]!;
    if (e.kind === 'outcome') return e;
  }
  return null;
}

export const selectSession =
  (id: string | null) =>
  (s: LabState): SessionView | null =>
    id ? (s.sessions[id] ?? null) : null;

/** Records the relay holds for the current session (step mode), summed over connections and directions. */
export const selectHeldRecords = (s: LabState): number => (selectCurrent(s)?.held ?? EMPTY).reduce((n, h: HeldState) => n + h.records, 0);

/**
 * Can Step do something now? A live step-mode session that is running (the relay may still be
 * about to hold the next record), or a replay with events still hidden.
 */
export const selectCanStep = (s: LabState): boolean => {
  const c = selectCurrent(s);
  if (!c || c.status !== 'running') return false;
  if (c.source === 'live') return c.mode === 'step';
  return (c.pendingEvents ?? 0) > 0;
};

/** A live session is running in this tab (Run is refused while one runs in step mode and holds records). */
export const selectRunning = (s: LabState): boolean => selectCurrent(s)?.status === 'running';
