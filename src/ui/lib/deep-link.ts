import { DEFAULT_SETUP, type Setup } from '../store.ts';

/**
 * Deep links: the scenario in the controls, encoded in the URL hash so a teacher can share it, e.g.
 * `#tls=1.3&faults=acs-expired&verifier=openssl&mode=run`. Only what differs from nothing is left
 * out: tls, verifier and mode are always written so a link reads on its own.
 *
 *   tls      1.3 | 1.2 | paper        (paper: TLS 1.2 static RSA as in the 2014 paper)
 *   cipher   IANA suite name          (optional)
 *   faults   fault ids, comma-separated, in order
 *   verifier node | openssl
 *   mode     run | step
 */

/** A problem with a link, as an i18n key and its parameters (shown to the user in words). */
export interface LinkProblem {
  key: string;
  params: Record<string, string>;
}

const FAULT_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const CIPHER = /^TLS_[A-Z0-9_]+$/;

export function encodeSetup(setup: Setup): string {
  const parts: string[] = [];
  parts.push(`tls=${setup.preset === 'tls13' ? '1.3' : setup.preset === 'tls12' ? '1.2' : 'paper'}`);
  if (setup.cipher) parts.push(`cipher=${encodeURIComponent(setup.cipher)}`);
  if (setup.faults.length) parts.push(`faults=${setup.faults.map(encodeURIComponent).join(',')}`);
  parts.push(`verifier=${setup.verifier}`);
  parts.push(`mode=${setup.mode}`);
  return parts.join('&');
}

/**
 * Reads a hash (with or without '#'). Returns the setup it describes (defaults for what it omits),
 * whether it described anything at all, and the problems found (each bad part is ignored, never fatal).
 */
export function decodeSetup(hash: string): { setup: Setup; present: boolean; problems: LinkProblem[] } {
  const text = hash.startsWith('#') ? hash.slice(1) : hash;
  const setup: Setup = { ...DEFAULT_SETUP, faults: [] };
  const problems: LinkProblem[] = [];
  if (text.trim() === '') return { setup, present: false, problems };
  let present = false;
  let kxRsa = false;
  let paperFlag = false;
  for (const part of text.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const name = eq < 0 ? part : part.slice(0, eq);
    let value: string;
    try {
      value = decodeURIComponent(eq < 0 ? '' : part.slice(eq + 1));
    } catch {
      problems.push({ key: 'link.badValue', params: { name, value: part.slice(eq + 1) } });
      continue;
    }
    switch (name) {
      case 'tls':
        if (value === '1.3') setup.preset = 'tls13';
        else if (value === '1.2') setup.preset = 'tls12';
        else if (value === 'paper') setup.preset = 'paper';
        else {
          problems.push({ key: 'link.badValue', params: { name, value } });
          continue;
        }
        break;
      case 'kx':
        if (value === 'rsa') kxRsa = true;
        else if (value !== 'ecdhe') {
          problems.push({ key: 'link.badValue', params: { name, value } });
          continue;
        }
        break;
      case 'paper':
        paperFlag = value === '' || value === '1' || value === 'true';
        break;
      case 'cipher':
        if (!CIPHER.test(value)) {
          problems.push({ key: 'link.badValue', params: { name, value } });
          continue;
        }
        setup.cipher = value;
        break;
      case 'faults':
      case 'fault': {
        for (const id of value.split(',').map((x) => x.trim()).filter(Boolean)) {
          if (!FAULT_ID.test(id)) problems.push({ key: 'link.badFault', params: { value: id } });
          else if (!setup.faults.includes(id)) setup.faults.push(id);
        }
        break;
      }
      case 'verifier':
        if (value !== 'node' && value !== 'openssl') {
          problems.push({ key: 'link.badValue', params: { name, value } });
          continue;
        }
        setup.verifier = value;
        break;
      case 'mode':
        if (value !== 'run' && value !== 'step') {
          problems.push({ key: 'link.badValue', params: { name, value } });
          continue;
        }
        setup.mode = value;
        break;
      default:
        problems.push({ key: 'link.unknownPart', params: { name } });
        continue;
    }
    present = true;
  }
  if (kxRsa && setup.preset === 'tls13') problems.push({ key: 'link.badValue', params: { name: 'kx', value: 'rsa' } });
  else if (paperFlag || kxRsa) setup.preset = 'paper';
  return { setup, present, problems };
}

/** Fault ids in a setup that the catalog does not know. */
export function unknownFaults(setup: Setup, known: readonly string[]): string[] {
  return setup.faults.filter((f) => !known.includes(f));
}
