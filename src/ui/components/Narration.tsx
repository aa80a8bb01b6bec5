import { useEffect, useRef, useState } from 'react';
import type { LabEvent } from '../../protocol/events.ts';
import { translate } from '../i18n/index.ts';
import { narrate } from '../lib/narration.ts';
import { labStore } from '../store.ts';

const KEEP = 6;

/**
 * The aria-live narration: every new message of the current session in words, as the ladder draws
 * it, then the outcome. Visually hidden; screen readers read each line as it is appended.
 */
export function Narration() {
  const [lines, setLines] = useState<{ key: number; text: string }[]>([]);
  const seen = useRef<{ session: string | null; count: number; events: LabEvent[] | null }>({ session: null, count: 0, events: null });
  const next = useRef(0);
  useEffect(() => {
    const sync = () => {
      const st = labStore.getState();
      const cur = st.current ? st.sessions[st.current] : undefined;
      const mark = seen.current;
      if (!cur) {
        mark.session = null;
        mark.count = 0;
        mark.events = null;
        return;
      }
      if (cur.events === mark.events && cur.id === mark.session) return;
      if (cur.id !== mark.session) {
        mark.session = cur.id;
        // Switching to a session already on screen: announce nothing old.
        mark.count = cur.status === 'running' ? 0 : cur.events.length;
      }
      mark.events = cur.events;
      const fresh = cur.events.slice(mark.count);
      mark.count = cur.events.length;
      const t = (k: string, p?: Record<string, string | number>) => translate(st.lang, k, p);
      const said = fresh.map((e) => narrate(e, t)).filter((x): x is string => x !== null);
      if (said.length) setLines((old) => [...old, ...said.map((text) => ({ key: next.current++, text }))].slice(-KEEP));
    };
    sync();
    return labStore.subscribe(sync);
  }, []);
  return (
    <div className="sr-only" role="log" aria-live="polite" aria-relevant="additions" data-testid="narration">
      {lines.map((l) => (
        <p key={l.key}>{l.text}</p>
      ))}
    </div>
  );
}
