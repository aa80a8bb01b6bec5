import { explain, type Explanation } from '../pki/faults/explain.ts';
import type { OutcomeEvent, SessionConfig } from '../protocol/events.ts';
import { listFaults, scenarioFor, wireScenario } from './faults.ts';
import { resolveConfig } from './modes.ts';
import { runSession } from './session.ts';

/** One row of the fault matrix: what really happened, and whether the explainer predicted it. */
export interface MatrixRow {
  fault: string;
  tls: '1.2' | '1.3';
  verifier: 'node' | 'openssl';
  ok: boolean;
  abortedBy: string | null;
  alert: { code: number; description: string; from: string } | null;
  verifyError: string | null;
  nodeError: string | null;
  agrees: boolean;
  /** What differed between prediction and reality (empty when agrees). */
  differences: string[];
  predicted: Explanation['verdict'];
  ms: number;
}

/** What a real session did, in the explainer's terms. */
export function observedVerdict(o: OutcomeEvent): { ok: boolean; abortedBy: string | null; alert: MatrixRow['alert']; verifyError: string | null; nodeError: string | null } {
  const alert = o.abort?.kind === 'alert' ? { code: o.abort.alert.code, description: o.abort.alert.description, from: o.abort.from } : null;
  // The verify error that decided the session: the aborting side's, else whichever side has one.
  const from = o.abortedBy === 'cpe' || o.abortedBy === 'acs' ? o[o.abortedBy] : null;
  const ve = from?.verifyError ?? o.cpe.verifyError ?? o.acs.verifyError;
  const err = from?.error ?? o.cpe.error ?? o.acs.error;
  return { ok: o.ok, abortedBy: o.abortedBy, alert, verifyError: ve?.name ?? null, nodeError: err?.code ?? null };
}

/** Compares a prediction with a real outcome; returns what differs. */
export function compare(predicted: Explanation['verdict'], o: OutcomeEvent): string[] {
  const seen = observedVerdict(o);
  const d: string[] = [];
  if (predicted.ok !== seen.ok) d.push(`ok: predicted ${predicted.ok}, real ${seen.ok}`);
  if (!seen.ok && predicted.abortedBy !== seen.abortedBy) d.push(`aborted by: predicted ${predicted.abortedBy}, real ${seen.abortedBy}`);
  const pa = predicted.alert ? `${predicted.alert.from}:${predicted.alert.code}` : 'none';
  const ra = seen.alert ? `${seen.alert.from}:${seen.alert.code}` : 'none';
  if (pa !== ra) d.push(`alert: predicted ${pa}, real ${ra}`);
  const pv = predicted.verifyError?.name ?? null;
  if (pv !== seen.verifyError) d.push(`verify error: predicted ${pv ?? 'none'}, real ${seen.verifyError ?? 'none'}`);
  return d;
}

/** One real session with `faults` (one id, or several combined) compared with the explainer's prediction. */
export async function runCell(faults: string | string[], tls: '1.2' | '1.3', verifier: 'node' | 'openssl'): Promise<MatrixRow> {
  const ids = typeof faults === 'string' ? [faults] : faults;
  const fault = ids.join('+');
  const config: SessionConfig = resolveConfig({ tls, faults: ids, verifier, deadlineMs: 15_000 });
  const scenario = await scenarioFor(config);
  const predicted = explain(scenario, { tls, kx: config.kx, verifier, cwmp: config.cwmp }).verdict;
  const t = performance.now();
  const r = await runSession(config, wireScenario(scenario));
  const seen = observedVerdict(r.outcome);
  const differences = compare(predicted, r.outcome);
  return { fault, tls, verifier, ...seen, agrees: differences.length === 0, differences, predicted, ms: Math.round(performance.now() - t) };
}

/** Every fault × TLS 1.2/1.3 × both verifiers, a few sessions at a time. */
export async function matrix(opts: { concurrency?: number; faults?: string[]; onRow?: (r: MatrixRow) => void } = {}): Promise<MatrixRow[]> {
  const ids = opts.faults ?? listFaults().map((f) => f.id);
  // Build every scenario first (certificates are cached per fault set), then run the sessions.
  for (const id of ids) await scenarioFor({ faults: [id] });
  const cells = ids.flatMap((fault) => (['1.2', '1.3'] as const).flatMap((tls) => (['node', 'openssl'] as const).map((verifier) => ({ fault, tls, verifier }))));
  const rows: MatrixRow[] = new Array(cells.length);
  let next = 0;
  const worker = async () => {
    while (next < cells.length) {
      const i = next++;
      const c = cells[i]!;
      rows[i] = await runCell(c.fault, c.tls, c.verifier);
      opts.onRow?.(rows[i]!);
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency ?? 4 }, worker));
  return rows;
}

/** The CLI's `faults --matrix`: a table (or JSON lines) and a summary; exit 0 when every prediction agreed. */
export async function runMatrix(o: { json: boolean; out: (s: string) => void }): Promise<number> {
  const t = performance.now();
  const rows = await matrix(
    o.json
      ? {
          onRow: (r) =>
            o.out(JSON.stringify({ fault: r.fault, tls: r.tls, verifier: r.verifier, ok: r.ok, abortedBy: r.abortedBy, alert: r.alert, verifyError: r.verifyError, nodeError: r.nodeError, agrees: r.agrees })),
        }
      : {},
  );
  const secs = ((performance.now() - t) / 1000).toFixed(1);
  const agree = rows.filter((r) => r.agrees).length;
  if (!o.json) {
    const w = Math.max(...rows.map((r) => r.fault.length));
    o.out(`${'fault'.padEnd(w)}  tls  verifier  result   aborted  alert                         verify error                              agrees`);
    for (const r of rows) {
      const alert = r.alert ? `${r.alert.description}(${r.alert.code}) from ${r.alert.from}` : 'no alert';
      o.out(
        `${r.fault.padEnd(w)}  ${r.tls}  ${r.verifier.padEnd(8)}  ${(r.ok ? 'ok' : 'FAILED').padEnd(7)}  ${(r.abortedBy ?? '-').padEnd(7)}  ${alert.padEnd(28)}  ${(r.verifyError ?? '-').padEnd(40)}  ${r.agrees ? 'yes' : `NO: ${r.differences.join('; ')}`}`,
      );
    }
    o.out(`\n${rows.length} sessions in ${secs} s; the explainer agreed with reality in ${agree} of ${rows.length}.`);
  } else {
    process.stderr.write(`${rows.length} sessions in ${secs} s; ${agree} agree\n`);
  }
  return agree === rows.length ? 0 : 1;
}
