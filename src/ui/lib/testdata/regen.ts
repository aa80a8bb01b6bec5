/**
 * Regenerates the session fixtures beside this file from REAL sessions:
 *
 *   npx tsx src/ui/lib/testdata/regen.ts [NAME …]   (all, or just these)
 *
 * Each runs `npm run lab -- session --json …` (the real engine: endpoints, relay, decoders) and keeps
 * every event, trimmed of what the capture terminal and the ladder never read (field trees, message
 * bytes, SOAP text, certificate PEMs), so the files stay small. Times, ports and ids change on every
 * run; the tests assert structure (names, order, parties, grouping), never exact times.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LabEvent } from '../../../protocol/events.ts';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..', '..', '..');

const SCENARIOS: Record<string, string[]> = {
  /** TLS 1.3 with CWMP, the ACS's default RPCs, and the plain-HTTP Connection Request (bad Digest first, then good). */
  'tls13-connection-request': ['--connection-request'],
  /** The seed paper's TLS 1.2 static-RSA session. */
  paper: ['--paper'],
  /** OpenSSL's CPE rejects the expired ACS certificate with a fatal alert. */
  'acs-expired-openssl': ['--fault', 'acs-expired', '--verifier', 'openssl'],
  /** Node's CPE refuses the ACS's name after the handshake and closes without an alert. */
  'acs-hostname-mismatch': ['--fault', 'acs-hostname-mismatch'],
  /** A man in the middle the CPE does not detect; the ACS then refuses the attacker (no client certificate). */
  'mitm-verify-off': ['--fault', 'mitm-verify-off'],
  /** A man in the middle with its own CA: OpenSSL's CPE aborts with unknown_ca towards the attacker (three lifelines). */
  'mitm-openssl': ['--fault', 'mitm', '--verifier', 'openssl'],
};

const only = process.argv.slice(2);
for (const n of only) if (!(n in SCENARIOS)) throw new Error(`unknown fixture ${n}: ${Object.keys(SCENARIOS).join(', ')}`);

function trim(e: LabEvent): LabEvent {
  switch (e.kind) {
    case 'message':
      return { ...e, fields: [], hex: '' };
    case 'cwmp':
      return { ...e, xml: '' };
    case 'session':
      return { ...e, certificates: { cpe: { ...e.certificates.cpe, chain: [], trust: [] }, acs: { ...e.certificates.acs, chain: [], trust: [] } } };
    default:
      return e;
  }
}

for (const [name, args] of Object.entries(SCENARIOS)) {
  if (only.length && !only.includes(name)) continue;
  // A faulty session exits 1 (the session failed, as it should); its events are on stdout all the same.
  const run = spawnSync('npx', ['tsx', 'src/server/cli.ts', 'session', '--json', ...args], { cwd: root, encoding: 'utf8', maxBuffer: 64 << 20 });
  const out = run.stdout;
  if (!out.trim()) throw new Error(`${name}: no events (${run.stderr.trim().slice(0, 400)})`);
  const events = out
    .trim()
    .split('\n')
    .map((l) => trim(LabEvent.parse(JSON.parse(l))));
  writeFileSync(join(here, `${name}.jsonl`), events.map((e) => JSON.stringify(e)).join('\n') + '\n');
  process.stdout.write(`${name}: ${events.length} events\n`);
}
