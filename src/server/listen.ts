import type net from 'node:net';

/** Listens on an ephemeral port of `host` (loopback by default); resolves with the address, rejects on a listen error. */
export function listenEphemeral(server: net.Server, host = '127.0.0.1'): Promise<net.AddressInfo> {
  return listenAt(server, 0, host);
}

/** Listens on `port` of `host`; resolves with the address, rejects on a listen error (EADDRINUSE …). */
export function listenAt(server: net.Server, port: number, host = '127.0.0.1'): Promise<net.AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server.address() as net.AddressInfo);
    });
  });
}
