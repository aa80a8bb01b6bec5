import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { cpeSpec, issueCert, sharedLabCa } from '../pki/index.ts';
import type { LabEvent, SessionConfig } from '../protocol/events.ts';
import { EventStream, ROLE } from '../protocol/session-events.ts';
import { KeyLogStore } from '../protocol/tls/keylog.ts';
import { connectionPipeline, endpointEvent, type ConnectionPipeline } from './pipeline.ts';
import { labKeyPool } from './material.ts';
import { resolveConfig } from './modes.ts';
import { WiretapRelay } from './relay.ts';
import { NodeEndpointPair } from './wire/node-endpoints.ts';
import { nowUs, type WireReport } from './wire/protocol.ts';

/**
 * `lab cpe --acs URL`: our CPE (TR-181 model, CWMP engine, Node tls with SNI and hostname check)
 * against an outside ACS, through the wiretap with the CPE's own key log, so a real ACS's handshake
 * and CWMP replies are shown decrypted. Resolves when the session is over (or the deadline passes).
 */
export interface StandaloneCpeOptions {
  acsUrl: string;
  /** PEM files; without them the lab CA and a fresh lab CPE certificate are used. */
  caFile?: string;
  certFile?: string;
  keyFile?: string;
  cpeId?: string;
  deadlineMs?: number;
  onEvent: (e: LabEvent) => void;
}

export async function runStandaloneCpe(o: StandaloneCpeOptions): Promise<{ ok: boolean; status: number | null }> {
  let url: URL;
  try {
    url = new URL(o.acsUrl);
  } catch {
    throw new Error(`--acs must be an https:// URL, not ${JSON.stringify(o.acsUrl)}`);
  }
  if (url.protocol !== 'https:') throw new Error(`--acs must be an https:// URL (TR-069 over TLS), not ${url.protocol}`);
  if ((o.certFile === undefined) !== (o.keyFile === undefined)) throw new Error('--cert and --key go together');
  const read = (f: string, what: string) => {
    try {
      return readFileSync(f, 'utf8');
    } catch (e) {
      throw new Error(`cannot read the ${what} ${f}: ${(e as Error).message}`);
    }
  };
  const cpeId = o.cpeId ?? '00D09E-HL0001';
  const pool = labKeyPool();
  const root = await sharedLabCa(pool);
  const m = /^([0-9A-F]{6})-(.+)$/.exec(cpeId);
  if (!m) throw new Error(`--cpe-id must be OUI-SerialNumber, e.g. 00D09E-HL0001, not ${JSON.stringify(cpeId)}`);
  const own = o.certFile ? null : await issueCert(cpeSpec(root, { oui: m[1]!, serial: m[2]! }), { pool });
  const cpe = {
    chain: [o.certFile ? read(o.certFile, 'certificate') : own!.certPem],
    key: o.keyFile ? read(o.keyFile, 'key') : own!.keyPem,
    trust: [o.caFile ? read(o.caFile, 'CA file') : root.certPem],
  };
  const host = url.hostname;
  const port = Number(url.port || 443);
  const config: SessionConfig = resolveConfig({ cwmp: true, deadlineMs: o.deadlineMs ?? 30_000 });

  const t0 = nowUs();
  const tOf = (us: number) => Math.max(0, (us - t0) / 1000);
  const stream = new EventStream(o.onEvent);
  const keys = new KeyLogStore();
  let status: number | null = null;
  let verified: boolean | null = null;
  let finish!: () => void;
  const finished = new Promise<void>((r) => (finish = r));
  let pipeline: ConnectionPipeline | undefined;
  const report = (r: WireReport) => {
    if (r.type === 'secure') verified = r.authorized;
    else if (r.type === 'verify') verified = false;
    else if (r.type === 'http') status = r.status;
    else if (r.type === 'closed' && r.side === 'cpe') finish();
    const { body, newSecret } = endpointEvent(r, keys);
    if (body && r.type !== 'closed') stream.push(body, 'tUs' in r ? tOf(r.tUs) : 0);
    if (newSecret) pipeline?.analyzer?.secretsChanged();
  };
  const endpoints = new NodeEndpointPair(
    config,
    { acs: { chain: [], key: '', trust: [] }, cpe, acsHostname: host, tls: { acs: {}, cpe: {} }, attacker: null, cpeId, acsPath: url.pathname || '/' },
    report,
  );
  const relay = new WiretapRelay(
    { host: isIP(host) ? host : host === 'localhost' ? '127.0.0.1' : host, port },
    {
      open(conn, t) {
        pipeline = connectionPipeline(conn, ROLE, true, keys, stream);
        stream.push({ kind: 'tcp', conn, action: 'open', from: 'cpe' }, tOf(t * 1000));
      },
      data(_conn, from, bytes, t) {
        pipeline?.feed(from, bytes.slice(), tOf(t * 1000));
      },
      end(conn, from, t) {
        stream.push({ kind: 'tcp', conn, action: 'half-close', from: ROLE[from] }, tOf(t * 1000));
      },
      reset(conn, from, t) {
        stream.push({ kind: 'tcp', conn, action: 'reset', from: ROLE[from] }, tOf(t * 1000));
      },
      close(conn, t) {
        stream.push({ kind: 'tcp', conn, action: 'close', from: null }, tOf(t * 1000));
      },
    },
    () => nowUs() / 1000,
  );
  const relayAddr = await relay.listen();
  endpoints.connect(relayAddr.port);
  const deadline = setTimeout(finish, config.deadlineMs);
  await finished;
  clearTimeout(deadline);
  endpoints.destroy();
  await relay.close();
  pipeline?.finish(tOf(nowUs()));
  const s = status as number | null;
  return { ok: verified === true && s !== null && s >= 200 && s < 300, status: s };
}
