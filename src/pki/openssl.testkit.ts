/**
 * Test helpers for driving the real `openssl` binary. Not part of the public API.
 *
 * Without openssl, tests are skipped with one loud warning - unless
 * CI=true, where they run (and fail) so a broken CI image cannot pass silently.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const HAVE_OPENSSL = spawnSync('openssl', ['version'], { encoding: 'utf8' }).status === 0;

/** True if openssl-backed tests should run; warns once per caller otherwise. */
export function opensslTestsEnabled(what: string): boolean {
  if (HAVE_OPENSSL || process.env.CI === 'true') return true;
  console.warn(`!!! SKIPPED ${what}: no 'openssl' binary on PATH - install it with: apt-get install -y openssl`);
  return false;
}

export interface OpensslResult {
  status: number;
  /** stdout + stderr */
  output: string;
}

export function openssl(args: string[], cwd: string): OpensslResult {
  const r = spawnSync('openssl', args, { cwd, encoding: 'utf8' });
  if (r.error) throw new Error(`could not run openssl (apt-get install -y openssl): ${r.error.message}`);
  return { status: r.status ?? -1, output: `${r.stdout}${r.stderr}` };
}

/** A temp dir for PEM files; call `cleanup()` in afterAll. */
export function pemDir(): { dir: string; write(name: string, pem: string): string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'hl-pki-'));
  return {
    dir,
    write(name, pem) {
      writeFileSync(join(dir, name), pem);
      return name;
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
