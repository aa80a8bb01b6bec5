import { listFaults } from '../../pki/faults/index.ts';
import type { Catalog } from '../../protocol/ws.ts';
import { DEFAULT_SCRIPT } from '../cwmp-script.ts';
import { LAB_SUITES } from '../modes.ts';
import { opensslAvailable } from '../wire/openssl-endpoints.ts';

/**
 * RPC scripts the server offers for the ACS's side of the CWMP session, in the `--rpc`
 * mini-language (src/server/cwmp-script.ts). Each one is run as a real session in the tests.
 */
export const RPC_SCRIPTS: Catalog['rpcScripts'] = [
  { id: 'default', rpcs: [...DEFAULT_SCRIPT] },
  { id: 'inventory', rpcs: ['gpn:Device.DeviceInfo.:next', 'gpv:Device.DeviceInfo.Manufacturer,Device.DeviceInfo.SerialNumber,Device.DeviceInfo.SoftwareVersion'] },
  { id: 'wifi', rpcs: ['gpv:Device.WiFi.SSID.1.SSID', 'spv:Device.WiFi.SSID.1.SSID=Classroom', 'gpv:Device.WiFi.SSID.1.SSID'] },
  { id: 'reboot', rpcs: ['reboot'] },
];

/** What `catalog` answers: every fault (both languages), the suites, the RPC scripts, the verifiers this machine can run. */
export function buildCatalog(): Catalog {
  return {
    faults: listFaults().map((f) => ({
      id: f.id,
      group: f.group,
      target: f.target,
      side: f.side,
      title: { en: f.title.en, zh: f.title.zh },
      explanation: { en: f.explanation.en, zh: f.explanation.zh },
      fix: { en: f.fix.en, zh: f.fix.zh },
      rule: f.rule,
    })),
    suites: LAB_SUITES.map((s) => ({ iana: s.iana, openssl: s.openssl, tls: s.tls, kx: s.kx })),
    rpcScripts: RPC_SCRIPTS.map((s) => ({ id: s.id, rpcs: [...s.rpcs] })),
    verifiers: opensslAvailable().ok ? ['node', 'openssl'] : ['node'],
  };
}
