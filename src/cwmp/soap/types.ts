/**
 * CWMP RPC messages (TR-069 Amendment 6, Annex A), one type per message. Property names are the wire
 * element names, so what the UI shows matches the envelope. Every message carries `method`, the name of
 * its Body element (`Fault` for a SOAP Fault carrying cwmp:Fault).
 */

/** Value types a ParameterValueStruct may carry (its `xsi:type`). */
export type ValueType =
  | 'xsd:string'
  | 'xsd:int'
  | 'xsd:unsignedInt'
  | 'xsd:long'
  | 'xsd:unsignedLong'
  | 'xsd:boolean'
  | 'xsd:dateTime'
  /**
   * TR-069's base64. XML Schema has no `xsd:base64` type, so the encoder writes `SOAP-ENC:base64`
   * (the SOAP 1.1 encoding type, which validates); decode maps xsd:base64, xsd:base64Binary and
   * SOAP-ENC:base64 all to this.
   */
  | 'xsd:base64'
  | 'xsd:hexBinary';

export const VALUE_TYPES: readonly ValueType[] = [
  'xsd:string', 'xsd:int', 'xsd:unsignedInt', 'xsd:long', 'xsd:unsignedLong', 'xsd:boolean',
  'xsd:dateTime', 'xsd:base64', 'xsd:hexBinary',
];

/** Well-known event codes; any `\d+ WORD…`, `M Method`, `M X_…` or `X OUI …` code is allowed too. */
export type KnownEventCode =
  | '0 BOOTSTRAP' | '1 BOOT' | '2 PERIODIC' | '3 SCHEDULED' | '4 VALUE CHANGE' | '5 KICKED'
  | '6 CONNECTION REQUEST' | '7 TRANSFER COMPLETE' | '8 DIAGNOSTICS COMPLETE' | '9 REQUEST DOWNLOAD'
  | '10 AUTONOMOUS TRANSFER COMPLETE' | '11 DU STATE CHANGE COMPLETE' | '12 AUTONOMOUS DU STATE CHANGE COMPLETE'
  | 'M Reboot' | 'M ScheduleInform' | 'M Download' | 'M ScheduleDownload' | 'M Upload' | 'M ChangeDUState';
export type EventCode = KnownEventCode | (string & {});

export interface DeviceIdStruct {
  Manufacturer: string;
  /** Six upper-case hex digits. */
  OUI: string;
  ProductClass: string;
  SerialNumber: string;
}

export interface EventStruct {
  EventCode: EventCode;
  CommandKey: string;
}

export interface ParameterValueStruct {
  Name: string;
  /** The value as written on the wire (lexical form of `Type`). */
  Value: string;
  /** The value's `xsi:type`; 'xsd:string' when the envelope gave none. */
  Type: ValueType;
}

export interface ParameterInfoStruct {
  Name: string;
  Writable: boolean;
}

/** xsd:dateTime in its lexical form, e.g. `2024-05-01T12:00:00Z` (kept as text: CPEs send `0001-01-01T00:00:00Z` for "unknown"). */
export type DateTime = string;

/** 0 = applied; 1 = applied and committed, but takes effect only after a reboot or similar. */
export type Status = 0 | 1;

// ---- CPE → ACS ---------------------------------------------------------------------------------

export interface Inform {
  method: 'Inform';
  DeviceId: DeviceIdStruct;
  Event: EventStruct[];
  MaxEnvelopes: number;
  CurrentTime: DateTime;
  RetryCount: number;
  ParameterList: ParameterValueStruct[];
}
export interface InformResponse {
  method: 'InformResponse';
  MaxEnvelopes: number;
}

export interface TransferCompleteFaultStruct {
  /** 0 = success, else 9001/9002/9010–9019 (… or 9800–9899 vendor). */
  FaultCode: number;
  FaultString: string;
}
export interface TransferComplete {
  method: 'TransferComplete';
  CommandKey: string;
  FaultStruct: TransferCompleteFaultStruct;
  StartTime: DateTime;
  CompleteTime: DateTime;
}
export interface TransferCompleteResponse {
  method: 'TransferCompleteResponse';
}

// ---- either direction ----------------------------------------------------------------------------

export interface GetRPCMethods {
  method: 'GetRPCMethods';
}
export interface GetRPCMethodsResponse {
  method: 'GetRPCMethodsResponse';
  MethodList: string[];
}

// ---- ACS → CPE -----------------------------------------------------------------------------------

export interface GetParameterNames {
  method: 'GetParameterNames';
  ParameterPath: string;
  NextLevel: boolean;
}
export interface GetParameterNamesResponse {
  method: 'GetParameterNamesResponse';
  ParameterList: ParameterInfoStruct[];
}

export interface GetParameterValues {
  method: 'GetParameterValues';
  ParameterNames: string[];
}
export interface GetParameterValuesResponse {
  method: 'GetParameterValuesResponse';
  ParameterList: ParameterValueStruct[];
}

export interface SetParameterValues {
  method: 'SetParameterValues';
  ParameterList: ParameterValueStruct[];
  ParameterKey: string;
}
export interface SetParameterValuesResponse {
  method: 'SetParameterValuesResponse';
  Status: Status;
}

export interface AddObject {
  method: 'AddObject';
  /** Path of the multi-instance object, ending in '.'. */
  ObjectName: string;
  ParameterKey: string;
}
export interface AddObjectResponse {
  method: 'AddObjectResponse';
  InstanceNumber: number;
  Status: Status;
}

export interface DeleteObject {
  method: 'DeleteObject';
  /** Path of the instance, ending in '.'. */
  ObjectName: string;
  ParameterKey: string;
}
export interface DeleteObjectResponse {
  method: 'DeleteObjectResponse';
  Status: Status;
}

export interface Reboot {
  method: 'Reboot';
  CommandKey: string;
}
export interface RebootResponse {
  method: 'RebootResponse';
}

export interface Download {
  method: 'Download';
  CommandKey: string;
  /** e.g. '1 Firmware Upgrade Image', '3 Vendor Configuration File'. */
  FileType: string;
  URL: string;
  Username: string;
  Password: string;
  FileSize: number;
  TargetFileName: string;
  DelaySeconds: number;
  SuccessURL: string;
  FailureURL: string;
}
export interface DownloadResponse {
  method: 'DownloadResponse';
  /** 0 = download done and applied; 1 = not yet done (a TransferComplete will follow). */
  Status: Status;
  StartTime: DateTime;
  CompleteTime: DateTime;
}

export interface FactoryReset {
  method: 'FactoryReset';
}
export interface FactoryResetResponse {
  method: 'FactoryResetResponse';
}

// ---- faults --------------------------------------------------------------------------------------

export interface SetParameterValuesFault {
  ParameterName: string;
  FaultCode: number;
  FaultString?: string;
}

/** A SOAP 1.1 Fault whose `detail` holds cwmp:Fault. */
export interface Fault {
  method: 'Fault';
  /** SOAP faultcode: 'Client' or 'Server' (as in TR-069); encode defaults it from the fault table. Decode always sets it. */
  faultcode?: string;
  /** SOAP faultstring; encode defaults it to 'CWMP fault'. Decode always sets it. */
  faultstring?: string;
  FaultCode: number;
  FaultString?: string;
  /** Per-parameter faults, only for a fault in response to SetParameterValues. */
  SetParameterValuesFault: SetParameterValuesFault[];
}

export type CwmpMessage =
  | Inform | InformResponse
  | TransferComplete | TransferCompleteResponse
  | GetRPCMethods | GetRPCMethodsResponse
  | GetParameterNames | GetParameterNamesResponse
  | GetParameterValues | GetParameterValuesResponse
  | SetParameterValues | SetParameterValuesResponse
  | AddObject | AddObjectResponse
  | DeleteObject | DeleteObjectResponse
  | Reboot | RebootResponse
  | Download | DownloadResponse
  | FactoryReset | FactoryResetResponse
  | Fault;

export type CwmpMethod = CwmpMessage['method'];

/** Every `method` this codec encodes and decodes. */
export const CWMP_METHODS: readonly CwmpMethod[] = [
  'Inform', 'InformResponse', 'TransferComplete', 'TransferCompleteResponse',
  'GetRPCMethods', 'GetRPCMethodsResponse', 'GetParameterNames', 'GetParameterNamesResponse',
  'GetParameterValues', 'GetParameterValuesResponse', 'SetParameterValues', 'SetParameterValuesResponse',
  'AddObject', 'AddObjectResponse', 'DeleteObject', 'DeleteObjectResponse', 'Reboot', 'RebootResponse',
  'Download', 'DownloadResponse', 'FactoryReset', 'FactoryResetResponse', 'Fault',
];

/** CWMP methods defined by the schemas that this codec does not model (decode gives ERR_UNSUPPORTED_RPC). */
export const UNSUPPORTED_CWMP_METHODS: readonly string[] = [
  'SetParameterAttributes', 'GetParameterAttributes', 'ScheduleInform', 'Upload', 'GetQueuedTransfers',
  'GetAllQueuedTransfers', 'ScheduleDownload', 'CancelTransfer', 'ChangeDUState', 'SetVouchers', 'GetOptions',
  'AutonomousTransferComplete', 'DUStateChangeComplete', 'AutonomousDUStateChangeComplete', 'Kicked',
  'RequestDownload',
].flatMap((m) => [m, `${m}Response`]);
