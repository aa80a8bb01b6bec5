import type { AnalyzedMessage, Peer } from './tls/connection.ts';
import { toHex } from './tls/fields.ts';
import { EVENT_SCHEMA_VERSION, type LabEvent, type LabEventBody, type MessageEvent, type Party } from './events.ts';

/** Who plays which TLS role on one connection. */
export type Roles = Record<Peer, Party>;
/** The lab's usual connection: the CPE is the TLS client and the ACS the server (TR-069 §3.3). */
export const ROLE: Roles = { client: 'cpe', server: 'acs' };

/**
 * Stamps event bodies with v, a monotonic seq and t, in the order they are emitted.
 * Used by live sessions and capture import alike.
 */
export class EventStream {
  private seq = 0;
  private lastT = 0;
  private closed = false;
  constructor(private readonly emit: (e: LabEvent) => void) {}

  /** After close, pushes are ignored (e.g. a socket closing after the outcome was decided). */
  close(): void {
    this.closed = true;
  }

  push(body: LabEventBody, t: number): LabEvent | undefined {
    if (this.closed) return undefined;
    // Events may be released after a held record; t stays the wire time but never runs backwards.
    this.lastT = Math.max(this.lastT, t);
    const e = { v: EVENT_SCHEMA_VERSION, seq: this.seq++, t: Math.round(this.lastT * 1000) / 1000, ...body } as LabEvent;
    this.emit(e);
    return e;
  }
}

/** Numbers flights per connection: consecutive messages from one side form one flight. */
export class FlightCounter {
  private last: Party | undefined;
  private n = 0;
  next(from: Party): number {
    if (from !== this.last) {
      this.n++;
      this.last = from;
    }
    return this.n;
  }
}

export function messageEventBody(m: AnalyzedMessage, conn: number, flight: number, roles: Roles = ROLE): Omit<MessageEvent, 'v' | 'seq' | 't'> {
  return {
    kind: 'message',
    conn,
    name: m.name,
    from: roles[m.from],
    to: roles[m.from === 'client' ? 'server' : 'client'],
    record: m.record,
    encrypted: m.encrypted,
    decrypted: m.decrypted,
    flight,
    summary: m.summary,
    fields: m.fields,
    hex: toHex(m.bytes),
    ...(m.alert ? { alert: m.alert } : {}),
    ...(m.error ? { error: m.error } : {}),
  };
}
