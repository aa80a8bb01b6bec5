import type { Catalog, StartConfig } from '../../protocol/ws.ts';
import type { Setup } from '../store.ts';

/** The three modes of the controls and what each means on the wire. */
export const PRESETS = {
  tls13: { tls: '1.3', kx: 'ecdhe', paper: false },
  tls12: { tls: '1.2', kx: 'ecdhe', paper: false },
  paper: { tls: '1.2', kx: 'rsa', paper: true },
} as const satisfies Record<Setup['preset'], { tls: '1.2' | '1.3'; kx: 'ecdhe' | 'rsa'; paper: boolean }>;

export type Preset = Setup['preset'];
export const PRESET_IDS = Object.keys(PRESETS) as Preset[];

/** Cipher suites of the catalog that fit a preset (same TLS version and key exchange). */
export function suitesFor(catalog: Catalog | null, preset: Preset): Catalog['suites'] {
  if (!catalog) return [];
  const p = PRESETS[preset];
  return catalog.suites.filter((s) => s.tls === p.tls && s.kx === p.kx);
}

/** What `start` sends for a setup. A cipher that does not fit the preset is left out (the server picks its default). */
export function startConfig(setup: Setup, catalog: Catalog | null = null): StartConfig {
  const p = PRESETS[setup.preset];
  const cfg: StartConfig = { tls: p.tls, kx: p.kx, faults: [...setup.faults], verifier: setup.verifier, mode: setup.mode };
  if (p.paper) cfg.paper = true;
  if (setup.cipher && (!catalog || suitesFor(catalog, setup.preset).some((s) => s.iana === setup.cipher))) cfg.cipher = setup.cipher;
  return cfg;
}

/** The preset a session's config corresponds to. */
export function presetOf(config: { tls: string; kx: string; paper: boolean }): Preset {
  if (config.paper) return 'paper';
  return config.tls === '1.2' ? 'tls12' : 'tls13';
}
