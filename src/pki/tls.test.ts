/** A real Node mutual-TLS handshake on loopback using the lab PKI. */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeyPool } from './keys.ts';
import { ACS_HOSTNAME, createLabPki, type LabPki } from './lab.ts';
import type { TlsCredentials } from './cert.ts';

interface Outcome {
  /** What the server's secureConnection handler saw; undefined if it never ran. */
  server: { authorized: boolean; peerCN?: string } | undefined;
  /** 'failed' if the client's own handshake failed. */
  client: { authorized: boolean; peerCN?: string; accepted: boolean } | 'failed';
}

/**
 * One handshake on 127.0.0.1:0. The server writes "ok" once it accepted the
 * client: with TLS 1.3 the client finishes before the server has judged the
 * client certificate, so `accepted` is how the client learns the verdict.
 */
async function handshake(serverCreds: TlsCredentials, clientCreds: TlsCredentials): Promise<Outcome> {
  let serverSide: Outcome['server'];
  const server = tls.createServer({ ...serverCreds, requestCert: true, rejectUnauthorized: true }, (socket) => {
    serverSide = { authorized: socket.authorized, peerCN: socket.getPeerCertificate().subject?.CN as string | undefined };
    socket.end('ok');
  });
  server.on('tlsClientError', () => undefined);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  try {
    const client = await new Promise<Outcome['client']>((resolve) => {
      const socket = tls.connect({ host: '127.0.0.1', port, servername: ACS_HOSTNAME, ...clientCreds });
      let received = '';
      socket.setEncoding('utf8');
      socket.on('data', (d: string) => (received += d));
      let secured = false;
      socket.on('secureConnect', () => {
        secured = true;
        const peerCN = socket.getPeerCertificate().subject?.CN as string | undefined;
        socket.once('close', () => resolve({ authorized: socket.authorized, peerCN, accepted: received === 'ok' }));
      });
      socket.on('error', () => undefined);
      socket.once('close', () => secured || resolve('failed'));
    });
    return { server: serverSide, client };
  } finally {
    server.close();
  }
}

describe('mutual TLS with the lab PKI', () => {
  const pool = new KeyPool({ size: 4 });
  let pki: LabPki;
  let other: LabPki;
  beforeAll(async () => {
    [pki, other] = await Promise.all([createLabPki({ pool }), createLabPki({ pool })]);
  });
  afterAll(() => pool.close());

  it('server and client both see authorized === true', async () => {
    const r = await handshake(pki.server, pki.client);
    expect(r.server).toEqual({ authorized: true, peerCN: '00D09E-HL0001' });
    expect(r.client).toEqual({ authorized: true, peerCN: ACS_HOSTNAME, accepted: true });
  });

  it('server rejects a CPE certificate from a different root', async () => {
    const r = await handshake(pki.server, { ...other.client, ca: pki.root.certPem });
    expect(r.server).toBeUndefined();
    expect(r.client).not.toMatchObject({ accepted: true });
  });

  it('client rejects an ACS certificate from a different root', async () => {
    const r = await handshake({ ...other.server, ca: pki.root.certPem }, pki.client);
    expect(r.client).toBe('failed');
    expect(r.server).toBeUndefined();
  });
});
