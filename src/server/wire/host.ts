import { Worker } from 'node:worker_threads';
import { WireBatchSchema, type WireControl, type WireHost, type WireReport, type WireStart } from './protocol.ts';
import { WireSession } from './wire-session.ts';

/**
 * Runs sessions' wire sides (endpoints + relay) in one worker thread, so that their TLS work and
 * forwarding never wait behind the analysis, the event fan-out or anything else on this thread,
 * and the two cores are both used. Started on first use, restarted if it dies.
 */
export class WorkerWireHost implements WireHost {
  private worker: Worker | undefined;
  private readonly sessions = new Map<string, (r: WireReport) => void>();

  private ensure(): Worker {
    if (this.worker) return this.worker;
    // The worker is TypeScript like the rest: a small bootstrap registers tsx's loader in the
    // worker thread, then imports the entry point.
    const boot = `(async () => {
      const { register } = await import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))});
      register();
      await import(${JSON.stringify(new URL('./worker.ts', import.meta.url).href)});
    })().catch((e) => { throw e; });`;
    const w = new Worker(boot, { eval: true });
    w.on('message', (raw: unknown) => {
      const parsed = WireBatchSchema.safeParse(raw);
      if (!parsed.success) return;
      for (const m of parsed.data) {
        try {
          this.sessions.get(m.id)?.(m.report);
        } catch (e) {
          // A bug in one session's analysis must not take the process (and every other session) down.
          console.error(`wire host: session ${m.id} failed on a ${m.report.type} report:`, e);
        }
      }
    });
    const die = (why: string) => {
      if (this.worker !== w) return;
      this.worker = undefined;
      for (const report of this.sessions.values()) report({ type: 'failed', message: `the session worker ${why}` });
      this.sessions.clear();
    };
    w.on('error', (e) => die(`failed: ${e.message}`));
    w.on('exit', (code) => die(`exited with code ${code}`));
    w.unref(); // an idle host never keeps the process alive (after the listeners, which would ref it)
    this.worker = w;
    return w;
  }

  start(s: WireStart, report: (r: WireReport) => void): void {
    const w = this.ensure();
    this.sessions.set(s.id, report);
    w.postMessage({ type: 'start', ...s });
  }

  finish(id: string): void {
    this.sessions.delete(id);
    this.worker?.postMessage({ type: 'finish', id });
  }

  control(id: string, request: WireControl): void {
    if (!this.sessions.has(id)) return;
    this.worker?.postMessage({ ...request, id });
  }

  /** Sessions started and not yet finished. */
  get sessionCount(): number {
    return this.sessions.size;
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    if (w) await w.terminate();
  }
}

/** Runs wire sides on this thread (tests, debugging). */
export class InProcessWireHost implements WireHost {
  private readonly sessions = new Map<string, WireSession>();

  start(s: WireStart, report: (r: WireReport) => void): void {
    const ws = new WireSession(s, report);
    this.sessions.set(s.id, ws);
    void ws.run();
  }

  finish(id: string): void {
    this.sessions.get(id)?.destroy();
    this.sessions.delete(id);
  }

  control(id: string, request: WireControl): void {
    this.sessions.get(id)?.control(request);
  }

  /** Sessions started and not yet finished. */
  get sessionCount(): number {
    return this.sessions.size;
  }
}

let shared: WorkerWireHost | undefined;

export function sharedWireHost(): WorkerWireHost {
  shared ??= new WorkerWireHost();
  return shared;
}

export async function closeSharedWireHost(): Promise<void> {
  const s = shared;
  shared = undefined;
  await s?.close();
}
