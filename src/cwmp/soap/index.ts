/**
 * CWMP SOAP envelope codec (TR-069 Amendment 6, CWMP 1.0–1.4, SOAP 1.1). Pure: no I/O, runs in Node
 * and in the browser.
 */
export { encodeEnvelope, type EncodeOptions } from './encode.ts';
export { decodeEnvelope, isEmptyHttpBody, type DecodedEnvelope } from './decode.ts';
export { summarize } from './summarize.ts';
export { SoapError, isSoapError, type SoapErrorCode } from './errors.ts';
export {
  FAULT_CODES, faultInfo, faultString, isCwmpFaultCode, isFaultCodeInNs, isTransferFaultCodeInNs, isVendorFaultCode, type FaultCodeInfo, type FaultType,
} from './faults.ts';
export {
  CWMP_NS_VERSIONS, SOAP_ENC_NS, SOAP_ENV_NS, XSD_NS, XSI_NS, cwmpNsFromUri, cwmpNsUri, type CwmpNs,
} from './namespaces.ts';
export * from './types.ts';
