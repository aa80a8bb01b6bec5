/** CWMP fault codes (TR-069 Amendment 6, fault code tables for CPE and ACS methods). */

export type FaultType = 'Client' | 'Server';

export interface FaultCodeInfo {
  code: number;
  /** Constant-style name, e.g. INVALID_PARAMETER_NAME. */
  name: string;
  /** The standard FaultString. */
  string: string;
  /** The SOAP faultcode to send with it: Client (the request was wrong) or Server (the receiver failed). */
  type: FaultType;
  /** Which side sends it: the ACS (8xxx, faults on CPE-to-ACS methods) or the CPE (9xxx). */
  sender: 'ACS' | 'CPE';
}

const t = (code: number, name: string, string: string, type: FaultType): FaultCodeInfo => ({
  code, name, string, type, sender: code < 9000 ? 'ACS' : 'CPE',
});

export const FAULT_CODES: readonly FaultCodeInfo[] = [
  t(8000, 'METHOD_NOT_SUPPORTED', 'Method not supported', 'Server'),
  t(8001, 'REQUEST_DENIED', 'Request denied (no reason specified)', 'Server'),
  t(8002, 'INTERNAL_ERROR', 'Internal error', 'Server'),
  t(8003, 'INVALID_ARGUMENTS', 'Invalid arguments', 'Client'),
  t(8004, 'RESOURCES_EXCEEDED', 'Resources exceeded', 'Server'),
  t(8005, 'RETRY_REQUEST', 'Retry request', 'Server'),
  t(9000, 'METHOD_NOT_SUPPORTED', 'Method not supported', 'Server'),
  t(9001, 'REQUEST_DENIED', 'Request denied (no reason specified)', 'Server'),
  t(9002, 'INTERNAL_ERROR', 'Internal error', 'Server'),
  t(9003, 'INVALID_ARGUMENTS', 'Invalid arguments', 'Client'),
  t(9004, 'RESOURCES_EXCEEDED', 'Resources exceeded', 'Server'),
  t(9005, 'INVALID_PARAMETER_NAME', 'Invalid parameter name', 'Client'),
  t(9006, 'INVALID_PARAMETER_TYPE', 'Invalid parameter type', 'Client'),
  t(9007, 'INVALID_PARAMETER_VALUE', 'Invalid parameter value', 'Client'),
  t(9008, 'NON_WRITABLE_PARAMETER', 'Attempt to set a non-writable parameter', 'Client'),
  t(9009, 'NOTIFICATION_REJECTED', 'Notification request rejected', 'Server'),
  t(9010, 'FILE_TRANSFER_FAILURE', 'File transfer failure', 'Server'),
  t(9011, 'UPLOAD_FAILURE', 'Upload failure', 'Server'),
  t(9012, 'FILE_TRANSFER_SERVER_AUTH_FAILURE', 'File transfer server authentication failure', 'Server'),
  t(9013, 'UNSUPPORTED_TRANSFER_PROTOCOL', 'Unsupported protocol for file transfer', 'Server'),
  t(9014, 'MULTICAST_JOIN_FAILURE', 'File transfer failure: unable to join multicast group', 'Server'),
  t(9015, 'FILE_SERVER_UNREACHABLE', 'File transfer failure: unable to contact file server', 'Server'),
  t(9016, 'FILE_ACCESS_FAILURE', 'File transfer failure: unable to access file', 'Server'),
  t(9017, 'DOWNLOAD_INCOMPLETE', 'File transfer failure: unable to complete download', 'Server'),
  t(9018, 'FILE_CORRUPTED', 'File transfer failure: file corrupted', 'Server'),
  t(9019, 'FILE_AUTHENTICATION_FAILURE', 'File transfer failure: file authentication failure', 'Server'),
];

const byCode = new Map(FAULT_CODES.map((f) => [f.code, f]));

/** The table entry for a fault code, or undefined for codes outside 8000–8005 / 9000–9019. */
export function faultInfo(code: number): FaultCodeInfo | undefined {
  return byCode.get(code);
}

/** Vendor fault ranges: 8800–8899 (ACS) and 9800–9899 (CPE). */
export function isVendorFaultCode(code: number): boolean {
  return (code >= 8800 && code <= 8899) || (code >= 9800 && code <= 9899);
}

/** Codes the CWMP schemas accept in cwmp:Fault/FaultCode (8000–8899 and 9000–9899). */
export function isCwmpFaultCode(code: number): boolean {
  return Number.isInteger(code) && ((code >= 8000 && code <= 8899) || (code >= 9000 && code <= 9899));
}

/** Standard FaultString for a code, or a generic text. */
export function faultString(code: number): string {
  return faultInfo(code)?.string ?? (isVendorFaultCode(code) ? 'Vendor fault' : 'Unknown fault');
}

/**
 * Whether a cwmp:Fault FaultCode exists in a CWMP namespace version. CWMP 1.0 enumerates 9000–9013 (and
 * 8000–8005); later versions take any code in 8000–8899 / 9000–9899.
 */
export function isFaultCodeInNs(ns: '1-0' | '1-1' | '1-2' | '1-3' | '1-4', code: number): boolean {
  if (!isCwmpFaultCode(code)) return false;
  if (ns !== '1-0') return true;
  return (code >= 9000 && code <= 9013) || (code >= 8000 && code <= 8005) || isVendorFaultCode(code);
}

/**
 * Whether a TransferComplete FaultStruct FaultCode exists in a CWMP namespace version: 0 (success) or a
 * transfer-related CPE fault. CWMP 1.0 knows 9001, 9002, 9010–9012; 1.1 adds 9014–9019 and the extension
 * and vendor ranges; the cwmp-1-2 schema allows 9001, 9002, 9010–9012, 9014–9020, 9033–9899.
 */
export function isTransferFaultCodeInNs(ns: '1-0' | '1-1' | '1-2' | '1-3' | '1-4', code: number): boolean {
  if (code === 0 || code === 9001 || code === 9002 || (code >= 9010 && code <= 9012)) return true;
  if (!Number.isInteger(code) || ns === '1-0') return false;
  if (code >= 9014 && code <= 9019) return true;
  if (ns === '1-1') return code >= 9020 && code <= 9899;
  return code === 9020 || (code >= 9033 && code <= 9899);
}
