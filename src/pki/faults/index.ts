/** Public surface of the fault catalogue: definitions, patches, and the scenario builder. */
export * from './types.ts';
export {
  FAULTS,
  FaultError,
  getFault,
  listFaults,
  closestFaultIds,
  type FaultErrorCode,
  type FaultSpec,
  type FaultPatch,
  type CertPatch,
  type CrlPatch,
  type IssuerChoice,
  type TrustChoice,
} from './catalog.ts';
export {
  buildScenario,
  clearScenarioCache,
  mergePatches,
  applyCertPatch,
  EXPECTED_CPE_ID,
  INTERMEDIATE_SUBJECT,
  OTHER_CA_SUBJECT,
  ATTACKER_CA_SUBJECT,
  type BuildOptions,
} from './build.ts';
export { createCrl, type CrlOptions } from './crl.ts';
