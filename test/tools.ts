import { execFileSync } from 'node:child_process';

/**
 * External validators used by tests (openssl, tshark, xmllint, chromium). With CI=true a missing tool
 * fails the test; otherwise the suite is skipped with one loud line saying how to install it.
 */
export function hasTool(cmd: string, args: string[] = ['-v']): boolean {
  try {
    execFileSync(cmd, args, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export function requireTool(cmd: string, pkg: string, what: string, args: string[] = ['version']): boolean {
  const ok = hasTool(cmd, args);
  if (!ok) {
    if (process.env.CI === 'true') throw new Error(`${cmd} is required in CI for ${what} (apt-get install -y ${pkg})`);
    console.warn(`\n!!! SKIPPED ${what}: ${cmd} not installed (apt-get install -y ${pkg}) !!!\n`);
  }
  return ok;
}
