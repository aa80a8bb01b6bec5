/** One-line descriptions of CWMP messages for UIs. */
import { faultString } from './faults.ts';
import type { CwmpMessage, ParameterValueStruct } from './types.ts';

const MAX_VALUE = 40;

function clip(s: string, max = MAX_VALUE): string {
  const one = s.replace(/\s+/g, ' ');
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}
function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
function more(n: number): string {
  return n > 1 ? ` (+${n - 1} more)` : '';
}
function firstValue(list: readonly ParameterValueStruct[]): string {
  const p = list[0];
  return p === undefined ? 'no parameters' : `${p.Name}=${clip(p.Value)}${more(list.length)}`;
}

/** e.g. `Inform 00D09E-HL0001: 1 BOOT, 2 params`, `GetParameterValues Device.DeviceInfo.`, `Fault 9005 Invalid parameter name`. */
export function summarize(rpc: CwmpMessage): string {
  switch (rpc.method) {
    case 'Inform': {
      const events = rpc.Event.map((e) => e.EventCode).join(', ') || 'no events';
      return `Inform ${rpc.DeviceId.OUI}-${rpc.DeviceId.SerialNumber}: ${events}, ${plural(rpc.ParameterList.length, 'param')}`;
    }
    case 'InformResponse':
      return `InformResponse MaxEnvelopes=${rpc.MaxEnvelopes}`;
    case 'TransferComplete':
      return rpc.FaultStruct.FaultCode === 0
        ? `TransferComplete ${rpc.CommandKey || '(no key)'}: success`
        : `TransferComplete ${rpc.CommandKey || '(no key)'}: fault ${rpc.FaultStruct.FaultCode} ${rpc.FaultStruct.FaultString || faultString(rpc.FaultStruct.FaultCode)}`;
    case 'GetRPCMethodsResponse':
      return `GetRPCMethodsResponse ${plural(rpc.MethodList.length, 'method')}`;
    case 'GetParameterNames':
      return `GetParameterNames ${rpc.ParameterPath || '(root)'}${rpc.NextLevel ? ' (next level)' : ''}`;
    case 'GetParameterNamesResponse':
      return `GetParameterNamesResponse ${plural(rpc.ParameterList.length, 'name')}`;
    case 'GetParameterValues':
      return `GetParameterValues ${rpc.ParameterNames[0] ?? '(none)'}${more(rpc.ParameterNames.length)}`;
    case 'GetParameterValuesResponse':
      return `GetParameterValuesResponse ${firstValue(rpc.ParameterList)}`;
    case 'SetParameterValues':
      return `SetParameterValues ${firstValue(rpc.ParameterList)}`;
    case 'SetParameterValuesResponse':
    case 'DeleteObjectResponse':
      return `${rpc.method} Status=${rpc.Status}${rpc.Status === 1 ? ' (reboot needed)' : ''}`;
    case 'AddObject':
    case 'DeleteObject':
      return `${rpc.method} ${rpc.ObjectName}`;
    case 'AddObjectResponse':
      return `AddObjectResponse instance ${rpc.InstanceNumber}, Status=${rpc.Status}`;
    case 'Reboot':
      return `Reboot${rpc.CommandKey ? ` ${rpc.CommandKey}` : ''}`;
    case 'Download':
      return `Download ${rpc.FileType}: ${clip(rpc.URL, 60)}`;
    case 'DownloadResponse':
      return `DownloadResponse Status=${rpc.Status}${rpc.Status === 1 ? ' (TransferComplete to follow)' : ''}`;
    case 'Fault': {
      const n = rpc.SetParameterValuesFault.length;
      return `Fault ${rpc.FaultCode} ${rpc.FaultString || faultString(rpc.FaultCode)}${n > 0 ? ` (${plural(n, 'parameter')})` : ''}`;
    }
    case 'GetRPCMethods':
    case 'TransferCompleteResponse':
    case 'RebootResponse':
    case 'FactoryReset':
    case 'FactoryResetResponse':
      return rpc.method;
  }
}
