import { readdirSync, readFileSync } from 'node:fs';
import { closeLabKeyPool } from '../material.ts';
import { closeSharedWireHost, sharedWireHost } from '../wire/host.ts';
import type { WireHost } from '../wire/protocol.ts';
import type { Gateway, GatewayHealth } from './server.ts';

/** Helpers shared by the gateway's test files (real server, real sessions). */

/** Open file descriptors of this process. */
export function openFds(): number {
  return readdirSync('/proc/self/fd').length;
}

/** Live child processes of this process (read from /proc, so counting spawns nothing). */
export function childPids(): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // pid (comm) state ppid …: comm may contain spaces and parentheses, so parse after the last ')'.
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(rest[1]) === process.pid && rest[0] !== 'Z') out.push(Number(name));
    } catch {
      // the process ended while we looked
    }
  }
  return out;
}

export async function health(gw: Gateway): Promise<GatewayHealth> {
  const res = await fetch(`${gw.url}healthz`);
  if (res.status !== 200) throw new Error(`/healthz answered ${res.status}`);
  return (await res.json()) as GatewayHealth;
}

/** Polls until `pred` holds (returns true) or the time is up (returns false). */
export async function until(pred: () => boolean | Promise<boolean>, timeoutMs = 5000, everyMs = 25): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (await pred()) return true;
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Closes gateways, then the shared wire worker and the key pool (so the test process can exit). */
export async function shutdown(...gateways: (Gateway | undefined)[]): Promise<void> {
  for (const g of gateways) await g?.close();
  await closeSharedWireHost();
  await closeLabKeyPool();
}

/** The shared wire host, with every session's wire side started `ms` late (keeps a run-mode session live for a moment). */
export function delayedHost(ms: number): WireHost {
  const inner = sharedWireHost();
  const timers = new Map<string, NodeJS.Timeout>();
  return {
    start(s, report) {
      timers.set(
        s.id,
        setTimeout(() => {
          timers.delete(s.id);
          inner.start(s, report);
        }, ms),
      );
    },
    finish(id) {
      clearTimeout(timers.get(id));
      timers.delete(id);
      inner.finish(id);
    },
    control(id, request) {
      inner.control(id, request);
    },
  };
}
