import type { AcsRpc } from '../cwmp/engine/index.ts';
import type { ValueType } from '../cwmp/soap/index.ts';

/**
 * The `--rpc` mini-language for the ACS's script, one RPC per spec:
 *   gpv:NAME[,NAME…]            GetParameterValues (partial paths end in '.')
 *   gpn:PATH[:next]             GetParameterNames (NextLevel with ':next')
 *   spv:NAME[:TYPE]=VALUE[;…]   SetParameterValues (TYPE: string, boolean, unsignedInt, int, dateTime; default string)
 *   add:PATH  del:PATH          AddObject / DeleteObject
 *   reboot  factoryreset  getrpcmethods
 *   download:URL                Download (a simulated transfer ending in TransferComplete)
 */
export class RpcSpecError extends Error {
  override readonly name = 'RpcSpecError';
  readonly code = 'ERR_BAD_RPC';
}

export const DEFAULT_SCRIPT: readonly string[] = [
  'gpv:Device.DeviceInfo.SoftwareVersion,Device.ManagementServer.PeriodicInformInterval',
  'spv:Device.WiFi.SSID.1.SSID=HandshakeLab',
];

const TYPES: Record<string, ValueType> = {
  string: 'xsd:string',
  boolean: 'xsd:boolean',
  unsignedInt: 'xsd:unsignedInt',
  int: 'xsd:int',
  dateTime: 'xsd:dateTime',
};

export function parseRpcSpec(spec: string): AcsRpc {
  const i = spec.indexOf(':');
  const verb = (i < 0 ? spec : spec.slice(0, i)).toLowerCase();
  const arg = i < 0 ? '' : spec.slice(i + 1);
  const need = (what: string) => {
    if (!arg) throw new RpcSpecError(`--rpc ${JSON.stringify(spec)}: ${verb} needs ${what}`);
    return arg;
  };
  switch (verb) {
    case 'gpv':
      return { method: 'GetParameterValues', names: need('parameter names').split(',') };
    case 'gpn': {
      const next = arg.endsWith(':next');
      return { method: 'GetParameterNames', path: next ? arg.slice(0, -5) : arg, nextLevel: next };
    }
    case 'spv':
      return {
        method: 'SetParameterValues',
        list: need('NAME=VALUE').split(';').map((item) => {
          const eq = item.indexOf('=');
          if (eq < 1) throw new RpcSpecError(`--rpc ${JSON.stringify(spec)}: expected NAME=VALUE, got ${JSON.stringify(item)}`);
          const [name, type] = item.slice(0, eq).split(':') as [string, string | undefined];
          const t = type === undefined ? 'xsd:string' : TYPES[type];
          if (!t) throw new RpcSpecError(`--rpc ${JSON.stringify(spec)}: unknown type ${JSON.stringify(type)} (${Object.keys(TYPES).join(', ')})`);
          return { name, value: item.slice(eq + 1), type: t };
        }),
        parameterKey: 'handshake-lab',
      };
    case 'add':
      return { method: 'AddObject', objectName: need('an object path'), parameterKey: 'handshake-lab' };
    case 'del':
      return { method: 'DeleteObject', objectName: need('an object path'), parameterKey: 'handshake-lab' };
    case 'reboot':
      return { method: 'Reboot', commandKey: 'handshake-lab' };
    case 'factoryreset':
      return { method: 'FactoryReset' };
    case 'getrpcmethods':
      return { method: 'GetRPCMethods' };
    case 'download':
      return { method: 'Download', url: need('a URL'), commandKey: 'handshake-lab', fileSize: 1024 };
    default:
      throw new RpcSpecError(`--rpc ${JSON.stringify(spec)}: unknown RPC ${JSON.stringify(verb)} (gpv, gpn, spv, add, del, reboot, factoryreset, getrpcmethods, download)`);
  }
}
