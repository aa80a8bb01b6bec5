/**
 * Regenerates the recorded wire fixtures in test/fixtures/ ON PURPOSE (npm run fixtures):
 * the exact bytes the relay saw in each direction, chunk by chunk, plus the key log, from live
 * sessions. Protocol tests replay them with no network, so they are deterministic.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { toHex } from '../src/protocol/tls/fields.ts';
import { closeLabKeyPool, labMaterial } from '../src/server/material.ts';
import { resolveConfig } from '../src/server/modes.ts';
import { runSession } from '../src/server/session.ts';

const MODES = { 'tls13-aes128gcm': {}, 'tls13-chacha20': { cipher: 'TLS_CHACHA20_POLY1305_SHA256' }, 'tls12-ecdhe': { tls: '1.2' }, paper: { paper: true } };

const material = await labMaterial();
for (const [name, req] of Object.entries(MODES)) {
  const r = await runSession(resolveConfig({ ...req, cwmp: false }), material); // fixtures: the placeholder exchange
  if (!r.outcome.ok) throw new Error(`${name}: ${r.outcome.summary}`);
  const chunks = r.wire.connections[0]!.events.flatMap((e) => (e.kind === 'data' ? [{ from: e.from, t: (e.tUs - r.wire.startEpochUs) / 1000, hex: toHex(e.bytes) }] : []));
  const file = join(import.meta.dirname, 'fixtures', `wire-${name}.json`);
  writeFileSync(file, JSON.stringify({ mode: name, note: 'recorded by test/make-wire-fixtures.ts from a live session', keyLog: r.keyLog, chunks }, null, 1) + '\n');
  console.log(`wrote ${file}: ${chunks.length} chunks`);
}
await closeLabKeyPool();
