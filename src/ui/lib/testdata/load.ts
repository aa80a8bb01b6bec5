import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LabEvent } from '../../../protocol/events.ts';

/** Fixture names (see regen.ts: real sessions, trimmed). */
export type Fixture = 'tls13-connection-request' | 'paper' | 'acs-expired-openssl' | 'acs-hostname-mismatch' | 'mitm-verify-off' | 'mitm-openssl';

const here = dirname(fileURLToPath(import.meta.url));

/** A recorded session's events, checked against the event schema. */
export function loadFixture(name: Fixture): LabEvent[] {
  return readFileSync(join(here, `${name}.jsonl`), 'utf8')
    .trim()
    .split('\n')
    .map((l) => LabEvent.parse(JSON.parse(l)));
}
