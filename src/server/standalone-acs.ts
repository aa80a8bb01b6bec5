import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { acsSpec, cpeSpec, issueCert, sharedLabCa, type IssuedCert } from '../pki/index.ts';
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
 * `lab acs`: the ACS on its own, for real devices and software nobody here wrote. It listens on
 * 127.0.0.1:PORT through the wiretap (the relay listens there and forwards to the ACS), with mutual
 * TLS from the lab PKI; it writes the lab CA and a ready CPE certificate and key to a folder for the
 * outside client. The ACS's own key log decrypts every connection; events stream like a session's.
 */
export interface StandaloneAcsOptions {
  port: number;
  host?: string;
  certDir: string;
  /** OUI-SerialNumber for the CPE certificate written to certDir (it must match the device's Inform). */
  cpeId: string;
  rpcs?: string[];
  onEvent: (e: LabEvent) => void;
}

export interface StandaloneAcs {
  port: number;
  files: { ca: string; cpeCert: string; cpeKey: string };
  close(): Promise<void>;
}

export async function startStandaloneAcs(o: StandaloneAcsOptions): Promise<StandaloneAcs> {
  const m = /^([0-9A-F]{6})-(.+)$/.exec(o.cpeId);
  if (!m) throw new Error(`--cpe-id must be OUI-SerialNumber with a 6-hex-digit upper-case OUI (TR-069 Amd 6 §3.4.4), e.g. 00D09E-HL0001, not ${JSON.stringify(o.cpeId)}`);
  const pool = labKeyPool();
  const root: IssuedCert = await sharedLabCa(pool);
  const [acs, cpe] = await Promise.all([issueCert(acsSpec(root), { pool }), issueCert(cpeSpec(root, { oui: m[1]!, serial: m[2]! }), { pool })]);
  mkdirSync(o.certDir, { recursive: true });
  const files = { ca: join(o.certDir, 'ca.pem'), cpeCert: join(o.certDir, 'cpe.pem'), cpeKey: join(o.certDir, 'cpe-key.pem') };
  writeFileSync(files.ca, root.certPem);
  writeFileSync(files.cpeCert, cpe.certPem);
  writeFileSync(files.cpeKey, cpe.keyPem, { mode: 0o600 });

  const config: SessionConfig = resolveConfig({ cwmp: true, rpcs: o.rpcs ?? [] , deadlineMs: 3_600_000 });
  const t0 = nowUs();
  const tOf = (us: number) => Math.max(0, (us - t0) / 1000);
  const stream = new EventStream(o.onEvent);
  const keys = new KeyLogStore();
  const conns = new Map<number, ConnectionPipeline>();
  const report = (r: WireReport) => {
    const { body, newSecret } = endpointEvent(r, keys);
    if (body && r.type !== 'closed') stream.push(body, 'tUs' in r ? tOf(r.tUs) : 0);
    if (newSecret) for (const c of conns.values()) c.analyzer?.secretsChanged();
  };
  // The lab's ACS endpoint (Node tls, requestCert, the lab CA as its only trust anchor, CWMP engine).
  const endpoints = new NodeEndpointPair(
    config,
    {
      acs: { chain: [acs.certPem], key: acs.keyPem, trust: [root.certPem] },
      cpe: { chain: [], key: '', trust: [] },
      acsHostname: 'acs.lab.test',
      tls: { acs: {}, cpe: {} },
      attacker: null,
      cpeId: o.cpeId,
    },
    report,
  );
  const acsPort = await endpoints.listen();
  const relay = new WiretapRelay(
    { host: '127.0.0.1', port: acsPort },
    {
      open(conn, t) {
        conns.set(conn, connectionPipeline(conn, ROLE, true, keys, stream));
        stream.push({ kind: 'tcp', conn, action: 'open', from: 'cpe' }, tOf(t * 1000));
      },
      data(conn, from, bytes, t) {
        conns.get(conn)?.feed(from, bytes.slice(), tOf(t * 1000));
      },
      end(conn, from, t) {
        stream.push({ kind: 'tcp', conn, action: 'half-close', from: ROLE[from] }, tOf(t * 1000));
      },
      reset(conn, from, t) {
        stream.push({ kind: 'tcp', conn, action: 'reset', from: ROLE[from] }, tOf(t * 1000));
      },
      close(conn, t) {
        conns.get(conn)?.finish(tOf(t * 1000));
        conns.delete(conn);
        stream.push({ kind: 'tcp', conn, action: 'close', from: null }, tOf(t * 1000));
      },
    },
    () => nowUs() / 1000,
  );
  const addr = await relay.listenOn(o.port, o.host ?? '127.0.0.1');
  return {
    port: addr.port,
    files,
    async close() {
      endpoints.destroy();
      await relay.close();
    },
  };
}
