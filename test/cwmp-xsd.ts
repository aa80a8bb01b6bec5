/** The shared CWMP schema validator (../shared/cwmp-xsd/validate, xmllint) for tests. */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { requireTool } from './tools.ts';

export const CWMP_VALIDATE = resolve(import.meta.dirname, '../../shared/cwmp-xsd/validate');

/** True when xmllint is here; with CI=true a missing xmllint throws, otherwise one loud line says what is skipped. */
export function haveXmllint(what: string): boolean {
  return requireTool('xmllint', 'libxml2-utils', what, ['--version']);
}

/** Runs the validator on files; status 0 means every file is valid. */
export function validateEnvelopes(files: string[]): { status: number | null; out: string } {
  if (!existsSync(CWMP_VALIDATE)) throw new Error(`the CWMP schema validator is missing at ${CWMP_VALIDATE}: the project expects ../shared/ beside its checkout (see ../shared/README.md)`);
  const r = spawnSync(CWMP_VALIDATE, files, { encoding: 'utf8' });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}
