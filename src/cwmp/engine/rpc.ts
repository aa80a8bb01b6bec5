/**
 * The ACS's script: friendly descriptions of ACS → CPE RPCs, turned into the codec's wire messages.
 * Pure.
 */
import type { CwmpMessage, ValueType } from '../soap/index.ts';

/** One ACS → CPE RPC of a session script. Omitted keys default to ''. */
export type AcsRpc =
  | { method: 'GetRPCMethods' }
  | { method: 'GetParameterNames'; path: string; nextLevel?: boolean }
  | { method: 'GetParameterValues'; names: readonly string[] }
  | {
    method: 'SetParameterValues';
    /** `type` is the xsi:type to send (default 'xsd:string'); the CPE checks it against the parameter (9006). */
    list: readonly { name: string; value: string; type?: ValueType }[];
    parameterKey?: string;
  }
  | { method: 'AddObject'; objectName: string; parameterKey?: string }
  | { method: 'DeleteObject'; objectName: string; parameterKey?: string }
  | { method: 'Reboot'; commandKey?: string }
  | {
    method: 'Download';
    commandKey?: string;
    /** Default '1 Firmware Upgrade Image'. */
    fileType?: string;
    url: string;
    username?: string;
    password?: string;
    fileSize?: number;
    targetFileName?: string;
    delaySeconds?: number;
    successURL?: string;
    failureURL?: string;
  }
  | { method: 'FactoryReset' };

export type AcsRpcMethod = AcsRpc['method'];

/** The wire message for a script entry. */
export function rpcToMessage(rpc: AcsRpc): CwmpMessage {
  switch (rpc.method) {
    case 'GetRPCMethods':
      return { method: 'GetRPCMethods' };
    case 'GetParameterNames':
      return { method: 'GetParameterNames', ParameterPath: rpc.path, NextLevel: rpc.nextLevel ?? false };
    case 'GetParameterValues':
      return { method: 'GetParameterValues', ParameterNames: [...rpc.names] };
    case 'SetParameterValues':
      return {
        method: 'SetParameterValues',
        ParameterList: rpc.list.map((p) => ({ Name: p.name, Value: p.value, Type: p.type ?? 'xsd:string' })),
        ParameterKey: rpc.parameterKey ?? '',
      };
    case 'AddObject':
      return { method: 'AddObject', ObjectName: rpc.objectName, ParameterKey: rpc.parameterKey ?? '' };
    case 'DeleteObject':
      return { method: 'DeleteObject', ObjectName: rpc.objectName, ParameterKey: rpc.parameterKey ?? '' };
    case 'Reboot':
      return { method: 'Reboot', CommandKey: rpc.commandKey ?? '' };
    case 'Download':
      return {
        method: 'Download',
        CommandKey: rpc.commandKey ?? '',
        FileType: rpc.fileType ?? '1 Firmware Upgrade Image',
        URL: rpc.url,
        Username: rpc.username ?? '',
        Password: rpc.password ?? '',
        FileSize: rpc.fileSize ?? 0,
        TargetFileName: rpc.targetFileName ?? '',
        DelaySeconds: rpc.delaySeconds ?? 0,
        SuccessURL: rpc.successURL ?? '',
        FailureURL: rpc.failureURL ?? '',
      };
    case 'FactoryReset':
      return { method: 'FactoryReset' };
  }
}

/** ACS → CPE request methods (what a CPE must answer with `<method>Response` or a Fault). */
export const CPE_RPC_METHODS: readonly string[] = [
  'GetRPCMethods', 'GetParameterNames', 'GetParameterValues', 'SetParameterValues', 'AddObject', 'DeleteObject',
  'Reboot', 'Download', 'FactoryReset',
];

/** Best-effort cwmp:ID of an envelope the codec refused (so a Fault can still carry it). */
export function sniffId(raw: string): string | undefined {
  const m = /<(?:[\w.-]+:)?ID\b[^>]*>([^<]{0,64})<\/(?:[\w.-]+:)?ID>/.exec(raw);
  return m?.[1];
}

/** Best-effort CWMP namespace version of an envelope the codec refused. */
export function sniffNs(raw: string): '1-0' | '1-1' | '1-2' | '1-3' | '1-4' | undefined {
  const m = /urn:dslforum-org:cwmp-(1-[0-4])\b/.exec(raw);
  return m?.[1] as '1-0' | '1-1' | '1-2' | '1-3' | '1-4' | undefined;
}
