/** Namespace URIs used by CWMP envelopes. */
export const SOAP_ENV_NS = 'http://schemas.xmlsoap.org/soap/envelope/';
export const SOAP_ENC_NS = 'http://schemas.xmlsoap.org/soap/encoding/';
export const SOAP12_ENV_NS = 'http://www.w3.org/2003/05/soap-envelope';
export const XSD_NS = 'http://www.w3.org/2001/XMLSchema';
export const XSI_NS = 'http://www.w3.org/2001/XMLSchema-instance';

/** CWMP namespace versions. */
export type CwmpNs = '1-0' | '1-1' | '1-2' | '1-3' | '1-4';
export const CWMP_NS_VERSIONS: readonly CwmpNs[] = ['1-0', '1-1', '1-2', '1-3', '1-4'];

/**
 * The namespace URI the encoder writes for a CWMP version. CWMP 1.3 and 1.4 (TR-069 Amd 5/6) kept the
 * schema namespace `urn:dslforum-org:cwmp-1-2` (cwmp-1-3.xsd and cwmp-1-4.xsd both target it), so '1-3'
 * and '1-4' are written as cwmp-1-2. Decoding accepts the literal cwmp-1-3 / cwmp-1-4 URNs too.
 */
export function cwmpNsUri(ns: CwmpNs): string {
  const wire = ns === '1-3' || ns === '1-4' ? '1-2' : ns;
  return `urn:dslforum-org:cwmp-${wire}`;
}

/** The CWMP version named by a namespace URI, or undefined when it is not a CWMP namespace. */
export function cwmpNsFromUri(uri: string | undefined): CwmpNs | undefined {
  if (uri === undefined) return undefined;
  for (const v of CWMP_NS_VERSIONS) if (uri === `urn:dslforum-org:cwmp-${v}`) return v;
  return undefined;
}

/** Prefixes the encoder writes. */
export const PREFIX = { env: 'SOAP-ENV', enc: 'SOAP-ENC', xsd: 'xsd', xsi: 'xsi', cwmp: 'cwmp' } as const;
