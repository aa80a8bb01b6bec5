import type { Field } from '../protocol/tls/fields.ts';
import type { LabEvent, MessageEvent, OutcomeEvent } from '../protocol/events.ts';
import { enumName } from '../protocol/tls/enums.ts';
import { CONTENT_TYPE } from '../protocol/tls/registry.ts';

/** Text rendering of events for the CLI: a packet list like tshark's, optional field trees (-V). */
export interface PrintOptions {
  verbose: boolean;
  color: boolean;
}

const C = { dim: '\x1b[2m', red: '\x1b[31m', green: '\x1b[32m', yellow: '\x1b[33m', blue: '\x1b[34m', magenta: '\x1b[35m', cyan: '\x1b[36m', reset: '\x1b[0m' };

function paint(o: PrintOptions, color: keyof typeof C, s: string): string {
  return o.color ? `${C[color]}${s}${C.reset}` : s;
}

function colorFor(m: MessageEvent): keyof typeof C {
  if (m.name === 'Alert' || m.name === 'EncryptedAlert') return 'red';
  if (m.name === 'ChangeCipherSpec') return 'yellow';
  if (m.name.endsWith('Hello') || m.name === 'HelloRetryRequest' || m.name === 'EncryptedExtensions' || m.name === 'ServerHelloDone') return 'blue';
  if (m.name.startsWith('Certificate')) return 'magenta';
  if (m.name.includes('KeyExchange') || m.name === 'Finished') return 'green';
  return 'cyan';
}

export function formatMessage(m: MessageEvent, n: number, o: PrintOptions): string {
  const arrow = `${m.from.toUpperCase()} → ${m.to.toUpperCase()}`.padEnd(17) + (m.conn ? `#${m.conn}` : '  ');
  const lock = !m.encrypted ? ' ' : m.decrypted ? '🔓' : '🔒';
  const rec = enumName(CONTENT_TYPE, m.record.contentType, 1);
  const line = `${String(n).padStart(4)} ${(m.t / 1000).toFixed(6).padStart(10)}  ${arrow}  ${lock} ${rec.padEnd(18)} ${paint(o, colorFor(m), m.name.padEnd(20))} ${m.summary}`;
  if (!o.verbose) return line;
  const tree = renderTree(m.fields, '      ');
  const err = m.error ? `\n      ${paint(o, 'red', `! ${m.error.code}: ${m.error.message}`)}` : '';
  const rec2 = `      record: type ${m.record.type}, version 0x${m.record.version.toString(16).padStart(4, '0')}, length ${m.record.length}, record #${m.record.index}${m.record.count > 1 ? ` (+${m.record.count - 1} earlier)` : ''}, flight ${m.flight}`;
  return `${line}\n${rec2}\n${tree}${err}`;
}

export function renderTree(fields: Field[], indent: string): string {
  const lines: string[] = [];
  const walk = (fs: Field[], depth: number) => {
    for (const f of fs) {
      lines.push(`${indent}${'  '.repeat(depth)}${f.name}: ${f.display}  [${f.start}..${f.end})${f.ref ? `  ${f.ref}` : ''}`);
      if (f.children) walk(f.children, depth + 1);
    }
  };
  walk(fields, 0);
  return lines.join('\n');
}

export function formatOutcome(o: OutcomeEvent, p: PrintOptions): string {
  const head = o.ok ? paint(p, 'green', '✔ OK') : paint(p, 'red', '✘ FAILED');
  const lines = [`${head}  ${o.summary}`];
  const n = o.negotiated;
  lines.push(`    negotiated: ${n.version ?? '-'}, ${n.cipherSuite ?? '-'}, group ${n.group ?? '-'}, server signature ${n.serverSignature ?? '-'}, client signature ${n.clientSignature ?? '-'}`);
  for (const side of ['cpe', 'acs', 'attacker'] as const) {
    const s = o[side];
    if (!s) continue;
    const parts = [`secure=${s.secure}`, `verified peer=${s.verifiedPeer ?? '-'}`];
    if (s.authorizationError) parts.push(`authorizationError=${s.authorizationError}`);
    if (s.verifyError) parts.push(`verify error=${s.verifyError.name} (${s.verifyError.code})`);
    if (s.error) parts.push(`error=${s.error.code ?? ''} ${s.error.message.split('\n')[0]}`);
    lines.push(`    ${side.toUpperCase()}: ${parts.join(', ')}`);
  }
  if (o.alerts.length) lines.push(`    alerts: ${o.alerts.map((a) => `${a.from.toUpperCase()} ${a.alert.levelName} ${a.alert.description}(${a.alert.code})${a.encrypted ? ' [encrypted]' : ''}`).join('; ')}`);
  lines.push(`    first to close: ${o.firstClose?.toUpperCase() ?? '-'}; ${o.durationMs.toFixed(1)} ms`);
  return lines.join('\n');
}

/** Streams events as text lines. */
export class TextPrinter {
  private n = 0;
  constructor(
    private readonly out: (s: string) => void,
    private readonly o: PrintOptions,
  ) {}

  event(e: LabEvent): void {
    switch (e.kind) {
      case 'session':
        this.out(paint(this.o, 'dim', `session ${e.id}: TLS ${e.config.tls}, ${e.config.kx.toUpperCase()}, ${e.config.cipher}${e.config.paper ? ' (paper mode)' : ''}; CPE → relay ${e.endpoints.relay.ip}:${e.endpoints.relay.port} → ACS ${e.endpoints.acs.ip}:${e.endpoints.acs.port}`));
        this.out(paint(this.o, 'dim', '   No       Time  Direction             Record             Message              Details'));
        break;
      case 'message':
        this.out(formatMessage(e, ++this.n, this.o));
        break;
      case 'tcp':
        this.out(paint(this.o, 'dim', `     ${(e.t / 1000).toFixed(6).padStart(10)}  TCP ${e.action}${e.from ? ` from ${e.from.toUpperCase()}` : ''}`));
        break;
      case 'error':
        this.out(paint(this.o, 'red', `     ${(e.t / 1000).toFixed(6).padStart(10)}  ! ${e.code}: ${e.message}`));
        break;
      case 'endpoint':
        if (e.what === 'error') this.out(paint(this.o, 'yellow', `     ${(e.t / 1000).toFixed(6).padStart(10)}  ${e.side.toUpperCase()} error: ${e.code ?? ''} ${(e.message ?? '').trim()}`));
        else if (e.what === 'verify' && e.verifyError)
          this.out(paint(this.o, 'yellow', `     ${(e.t / 1000).toFixed(6).padStart(10)}  ${e.side.toUpperCase()} rejects the peer's certificate: ${e.verifyError.name} (${e.verifyError.code}) ${e.verifyError.text}${e.verifyError.depth !== null ? ` at depth ${e.verifyError.depth}` : ''}`));
        else if (this.o.verbose) this.out(paint(this.o, 'dim', `     ${(e.t / 1000).toFixed(6).padStart(10)}  ${e.side.toUpperCase()} ${e.what}${e.what === 'secure' ? `: authorized=${e.authorized}${e.authorizationError ? ` (${e.authorizationError})` : ''}` : ''}`));
        break;
      case 'secret':
        if (this.o.verbose) this.out(paint(this.o, 'dim', `     ${(e.t / 1000).toFixed(6).padStart(10)}  key log from ${e.from.toUpperCase()}: ${e.label}`));
        break;
      case 'http': {
        const what = e.request ? `${e.request.method} ${e.request.path}` : `${e.response?.status ?? ''} ${e.response?.reason ?? ''}`;
        this.out(paint(this.o, 'cyan', `     ${(e.t / 1000).toFixed(6).padStart(10)}  HTTP${e.plain ? ' (plain, no TLS)' : ''}  ${e.from.toUpperCase()} → ${e.to.toUpperCase()}#${e.conn}  ${what}${e.bodyLength ? `  [${e.bodyLength}-byte body]` : ''}`));
        break;
      }
      case 'cwmp':
        this.out(paint(this.o, 'magenta', `     ${(e.t / 1000).toFixed(6).padStart(10)}  CWMP  ${e.from.toUpperCase()} → ${e.to.toUpperCase()}  ${e.summary}${e.id ? `  (cwmp:ID ${e.id})` : ''}`));
        break;
      case 'outcome':
        this.out(formatOutcome(e, this.o));
        break;
    }
  }
}
