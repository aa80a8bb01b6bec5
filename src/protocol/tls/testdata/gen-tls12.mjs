// Regenerates tls12-openssl.json: real TLS 1.2 handshakes between `openssl s_server` and
// `openssl s_client` (mutual TLS, server requests a client certificate), captured as raw bytes by a
// TCP relay in between. Plaintext handshake records (before ChangeCipherSpec) are reassembled into
// whole handshake messages (4-byte header included) and stored as hex.
//
//   node src/protocol/tls/testdata/gen-tls12.mjs   (needs the `openssl` binary)
//
// The keys/certificates are throwaway, made fresh in a temp directory on each run.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hslab-'));
const ossl = (...args) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
fs.writeFileSync(path.join(dir, 'srv.ext'), 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:acs.lab.test,IP:127.0.0.1\n');
fs.writeFileSync(path.join(dir, 'cli.ext'), 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\nsubjectAltName=DNS:cpe-0001.lab.test\n');
ossl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '3650', '-subj', '/O=Handshake Lab/CN=Handshake Lab Root CA');
ossl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'srv.key', '-out', 'srv.csr', '-subj', '/O=Handshake Lab/CN=acs.lab.test');
ossl('x509', '-req', '-in', 'srv.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'srv.pem', '-days', '825', '-extfile', 'srv.ext');
ossl('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'cli.key', '-out', 'cli.csr', '-subj', '/O=Handshake Lab/CN=cpe-0001');
ossl('x509', '-req', '-in', 'cli.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'cli.pem', '-days', '825', '-extfile', 'cli.ext');
fs.writeFileSync(path.join(dir, 'srv-chain.pem'), fs.readFileSync(path.join(dir, 'srv.pem')));

function messages(stream) {
  const out = [];
  let hs = Buffer.alloc(0);
  let off = 0;
  while (off + 5 <= stream.length) {
    const type = stream[off];
    const len = stream.readUInt16BE(off + 3);
    const frag = stream.subarray(off + 5, off + 5 + len);
    off += 5 + len;
    if (type === 20) break; // ChangeCipherSpec: everything after is encrypted
    if (type !== 22) continue;
    hs = Buffer.concat([hs, frag]);
    while (hs.length >= 4 && hs.length >= 4 + hs.readUIntBE(1, 3)) {
      const n = 4 + hs.readUIntBE(1, 3);
      out.push(hs.subarray(0, n).toString('hex'));
      hs = hs.subarray(n);
    }
  }
  return out;
}

async function session(port, cipher, extra = []) {
  const server = spawn('openssl', ['s_server', '-accept', String(port), '-cert', 'srv.pem', '-key', 'srv.key', '-cert_chain', 'ca.pem', '-CAfile', 'ca.pem', '-Verify', '1', '-tls1_2', '-cipher', cipher, '-naccept', '1', '-quiet'], { cwd: dir, stdio: ['pipe', 'ignore', 'ignore'] });
  await new Promise((r) => setTimeout(r, 500));
  const c2s = [];
  const s2c = [];
  const relay = net.createServer((c) => {
    const s = net.connect(port, '127.0.0.1');
    c.on('data', (d) => { c2s.push(d); s.write(d); });
    s.on('data', (d) => { s2c.push(d); c.write(d); });
    c.on('end', () => s.end());
    s.on('end', () => c.end());
    c.on('error', () => {});
    s.on('error', () => {});
  });
  await new Promise((r) => relay.listen(port + 1, '127.0.0.1', r));
  const client = spawn('openssl', ['s_client', '-connect', `127.0.0.1:${port + 1}`, '-servername', 'acs.lab.test', '-cert', 'cli.pem', '-key', 'cli.key', '-CAfile', 'ca.pem', '-tls1_2', '-cipher', cipher, ...extra], { cwd: dir, stdio: ['pipe', 'ignore', 'ignore'] });
  setTimeout(() => client.stdin.end('Q\n'), 1500);
  await new Promise((r) => client.on('exit', r));
  server.kill();
  relay.close();
  return { cipher, client: messages(Buffer.concat(c2s)), server: messages(Buffer.concat(s2c)) };
}

const ecdhe = await session(44330, 'ECDHE-RSA-AES128-GCM-SHA256');
const rsa = await session(44340, 'AES128-GCM-SHA256');
const out = {
  source: 'Real TLS 1.2 mutual-TLS handshakes, OpenSSL s_server <-> s_client through a byte relay; produced by gen-tls12.mjs in this directory. Plaintext handshake messages only (up to ChangeCipherSpec), 4-byte header included, in wire order per direction.',
  openssl: execFileSync('openssl', ['version']).toString().trim(),
  sessions: { ecdhe, rsa },
};
fs.writeFileSync(new URL('./tls12-openssl.json', import.meta.url), JSON.stringify(out, null, 2) + '\n');
fs.rmSync(dir, { recursive: true, force: true });
console.log(JSON.stringify({ ecdhe: [ecdhe.client.length, ecdhe.server.length], rsa: [rsa.client.length, rsa.server.length] }));
