import { buildScenario, FaultError, listFaults } from '../pki/faults/index.ts';
import type { Scenario } from '../pki/faults/types.ts';
import type { SessionConfig } from '../protocol/events.ts';
import { labKeyPool } from './material.ts';
import type { WireScenario } from './wire/protocol.ts';

export { FaultError, listFaults };

/** The scenario a session config asks for: the correct lab PKI with the config's faults applied (cached per fault set). */
export async function scenarioFor(config: Pick<SessionConfig, 'faults'>): Promise<Scenario> {
  return buildScenario(config.faults, { pool: labKeyPool() });
}

/** What the wire side needs of a scenario. */
export function wireScenario(s: Scenario): WireScenario {
  return { acs: s.acs, cpe: s.cpe, acsHostname: s.acsHostname, tls: s.tls, attacker: s.attacker, cpeId: s.expectedCpeId };
}
