/** Remembered display preferences (projector mode) and the system's reduced-motion setting. */
const PROJECTOR_KEY = 'handshake-lab.projector';

export function initialProjector(): boolean {
  try {
    return globalThis.localStorage?.getItem(PROJECTOR_KEY) === '1';
  } catch {
    return false;
  }
}

export function rememberProjector(on: boolean): void {
  try {
    globalThis.localStorage?.setItem(PROJECTOR_KEY, on ? '1' : '0');
  } catch {
    /* storage blocked */
  }
}

/** Watches prefers-reduced-motion; calls `f` now and on every change. Returns the unsubscribe function. */
export function watchReducedMotion(f: (reduce: boolean) => void): () => void {
  const mq = globalThis.matchMedia?.('(prefers-reduced-motion: reduce)');
  if (!mq) {
    f(false);
    return () => {};
  }
  f(mq.matches);
  const h = (e: MediaQueryListEvent) => f(e.matches);
  mq.addEventListener('change', h);
  return () => mq.removeEventListener('change', h);
}
