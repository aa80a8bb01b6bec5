import type { LabEvent } from '../../protocol/events.ts';
import { abortFacts } from './outcome.ts';

type T = (key: string, params?: Record<string, string | number>) => string;

/**
 * The words the aria-live narration says for an event, or null for events it leaves to the views
 * (secrets, endpoint reports, HTTP headers). One line per message, as the ladder draws it:
 * "CPE → ACS: ClientHello (TLS 1.3, 3 cipher suites)".
 */
export function narrate(e: LabEvent, t: T): string | null {
  const party = (p: string | null) => (p ? t(`app.party.${p}`) : t('app.party.unknown'));
  switch (e.kind) {
    case 'message': {
      const base = `${party(e.from)} → ${party(e.to)}: ${e.name}${e.summary ? ` (${e.summary})` : ''}`;
      if (e.alert) return `${base}. ${t('narration.alert', { level: e.alert.levelName, name: e.alert.description, code: e.alert.code })}`;
      return e.encrypted && !e.decrypted ? `${base}. ${t('narration.encrypted')}` : base;
    }
    case 'tcp':
      if (e.action === 'open') return t('narration.tcpOpen', { conn: e.conn });
      if (e.action === 'reset') return t('narration.tcpReset', { conn: e.conn, who: party(e.from) });
      if (e.action === 'close') return t('narration.tcpClose', { conn: e.conn });
      return null;
    case 'cwmp':
      return `${party(e.from)} → ${party(e.to)}: CWMP ${e.rpc}`;
    case 'error':
      return t('narration.pipelineError', { message: e.message });
    case 'outcome': {
      if (e.ok) return t('narration.outcomeOk');
      const f = abortFacts(e);
      if (f.how?.kind === 'alert') return t('narration.outcomeAlert', { who: party(f.how.from), name: f.how.alert.description, code: f.how.alert.code });
      if (f.how?.kind === 'close') return t('narration.outcomeClose', { who: party(f.how.from) });
      if (f.how?.kind === 'timeout') return t('narration.outcomeTimeout', { ms: Math.round(f.how.afterMs) });
      if (f.how?.kind === 'stopped') return t(`narration.outcomeStopped.${f.how.reason}`);
      return t('narration.outcomeFailed', { who: f.who === 'none' ? t('app.party.unknown') : party(f.who) });
    }
    default:
      return null;
  }
}
