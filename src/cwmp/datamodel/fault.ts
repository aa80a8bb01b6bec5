/**
 * CWMP CPE fault codes (TR-069 Amendment 6, §A.5.1, Table "Fault codes").
 * Only the 9000–9019 range is modelled here; 9020+ (DU / transfer faults) are out of scope.
 */

export type CpeFaultCode =
  | 9000 | 9001 | 9002 | 9003 | 9004 | 9005 | 9006 | 9007 | 9008 | 9009
  | 9010 | 9011 | 9012 | 9013 | 9014 | 9015 | 9016 | 9017 | 9018 | 9019;

export const FAULT_STRINGS: Readonly<Record<CpeFaultCode, string>> = {
  9000: 'Method not supported',
  9001: 'Request denied (no reason specified)',
  9002: 'Internal error',
  9003: 'Invalid arguments',
  9004: 'Resources exceeded',
  9005: 'Invalid parameter name',
  9006: 'Invalid parameter type',
  9007: 'Invalid parameter value',
  9008: 'Attempt to set a non-writable parameter',
  9009: 'Notification request rejected',
  9010: 'Download failure',
  9011: 'Upload failure',
  9012: 'File transfer server authentication failure',
  9013: 'Unsupported protocol for file transfer',
  9014: 'Download failure: unable to join multicast group',
  9015: 'Download failure: unable to contact file server',
  9016: 'Download failure: unable to access file',
  9017: 'Download failure: unable to complete download',
  9018: 'Download failure: file corrupted',
  9019: 'Download failure: file authentication failure',
};

/** One entry of SetParameterValuesFault (TR-069 §A.5.1: one per offending parameter). */
export interface ParameterFaultDetail {
  name: string;
  code: CpeFaultCode;
  string: string;
}

/**
 * A CWMP fault as carried in the SOAP Fault detail (cwmp:Fault).
 * `string` defaults to the standard fault string for the code; `details` carries
 * SetParameterValuesFault entries (only meaningful with code 9003 on SetParameterValues).
 */
export class CwmpFault extends Error {
  readonly code: CpeFaultCode;
  readonly string: string;
  readonly details: readonly ParameterFaultDetail[] | undefined;

  constructor(code: CpeFaultCode, string?: string, details?: readonly ParameterFaultDetail[]) {
    const s = string ?? FAULT_STRINGS[code];
    super(`CWMP fault ${code}: ${s}`);
    this.name = 'CwmpFault';
    this.code = code;
    this.string = s;
    this.details = details && details.length > 0 ? details : undefined;
  }

  /** Plain JSON form, e.g. for a SOAP serializer or the UI. */
  toJSON(): { code: CpeFaultCode; string: string; details?: ParameterFaultDetail[] } {
    return this.details
      ? { code: this.code, string: this.string, details: [...this.details] }
      : { code: this.code, string: this.string };
  }
}

/** Build a detail entry with the standard string, optionally followed by a reason. */
export function faultDetail(name: string, code: CpeFaultCode, reason?: string): ParameterFaultDetail {
  return { name, code, string: reason ? `${FAULT_STRINGS[code]}: ${reason}` : FAULT_STRINGS[code] };
}
