import type { Strings } from './index.ts';

/** The app shell's strings. */
export const app: Strings = {
  'app.title': { en: 'Handshake Lab', zh: '握手实验室' },
  'app.tagline': { en: 'A real mutual-TLS handshake between a TR-069 ACS and a CPE, byte by byte', zh: 'TR-069 ACS 与 CPE 之间真实的双向 TLS 握手，逐字节呈现' },
};
