#!/usr/bin/env node
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { LabEvent } from '../protocol/events.ts';
import { FaultError, listFaults, scenarioFor, wireScenario } from './faults.ts';
import { closeLabKeyPool, labMaterial } from './material.ts';
import { opensslAvailable } from './wire/openssl-endpoints.ts';
import { ConfigError, LAB_SUITES, resolveConfig } from './modes.ts';
import { TextPrinter } from './printer.ts';
import { startStandaloneAcs } from './standalone-acs.ts';
import { runStandaloneCpe } from './standalone-cpe.ts';
import { closeSharedWireHost } from './wire/host.ts';
import { runSession, sessionPcapng, type SessionResult } from './session.ts';

const USAGE = `Handshake Lab — real mutual-TLS between a TR-069 ACS and a CPE, seen byte by byte.

Usage:
  npm run lab -- session [--tls 1.2|1.3] [--kx ecdhe|rsa] [--paper] [--cipher NAME]
                         [--fault ID [--fault ID2 …]] [--verifier node|openssl] [--cwmp] [--rpc SPEC …] [--connection-request]
                         [--json] [--pcap FILE] [--keylog FILE] [-V] [--deadline MS]
  npm run lab -- acs [--port 7547] [--cert-dir DIR] [--cpe-id OUI-SerialNumber] [--rpc SPEC …] [--json]
                        the ACS on its own, for outside CPEs: mutual TLS from the lab PKI, CA and a CPE certificate
                        written to DIR (default ./lab-certs), every connection through the wiretap, decrypted
  npm run lab -- cpe --acs URL [--ca FILE] [--cert FILE --key FILE] [--cpe-id OUI-SerialNumber] [--json]
                        our CPE against an outside ACS, through the wiretap with the CPE's own key log
  npm run lab -- faults [--matrix] [--json]
                        the fault catalog (id, side, title); --matrix runs every fault × TLS 1.2/1.3 × both verifiers
  npm run lab -- serve [--host 127.0.0.1] [--port 8080]
                        the web app and live sessions over a WebSocket (what npm start runs, after building
                        the app); PORT in the environment sets the port too; a non-loopback --host needs a join code
  npm run lab -- demo        (a TLS 1.3 session, then the 2014 paper's TLS 1.2 RSA session)
  npm run lab -- help

Options:
  --tls 1.2|1.3     TLS version (default 1.3; 1.2 with --paper)
  --kx ecdhe|rsa    key exchange (rsa only with TLS 1.2)
  --paper           the seed paper's sequence: TLS 1.2, static RSA, AES128-GCM-SHA256, no tickets
  --cipher NAME     cipher suite, IANA or OpenSSL name: ${LAB_SUITES.map((s) => s.iana).join(', ')}
  --json            exactly one event per line on stdout (JSON), nothing else
  --pcap FILE       write a pcapng (synthesized Ethernet/IPv4/TCP, key log in a Decryption Secrets Block)
  --keylog FILE     write the key log in SSLKEYLOGFILE format
  -V, --verbose     print every message's field tree
  --deadline MS     end the session after MS milliseconds whatever happens (default 10000)
  --fault ID        inject a certificate/TLS fault (repeatable; see "faults")
  --cwmp            after the handshake, a CWMP session: Inform, the ACS's RPCs, 204 (the default with the node verifier)
  --no-cwmp         one placeholder HTTP POST and its answer instead
  --rpc SPEC        an RPC of the ACS's script (repeatable; implies --cwmp): gpv:NAME[,NAME] gpn:PATH[:next]
                    spv:NAME[:TYPE]=VALUE[;…] add:PATH del:PATH reboot factoryreset getrpcmethods download:URL
  --connection-request   after the first CWMP session the ACS sends a Connection Request (plain HTTP, Digest);
                         the CPE calls back with a new TLS session ('6 CONNECTION REQUEST')
  --connection-request-bad-credentials   the same with a wrong Digest password: the CPE answers 401
  --server-auth-only  no client certificate: the ACS sends no CertificateRequest and, with --cwmp, asks the CPE
                    for HTTP Basic credentials inside TLS (TR-069 Amendment 6 §3.4.4)
  --verifier V      who verifies certificates: node (Node.js tls, default) or openssl (the openssl binary as s_server/s_client)
`;

class UsageError extends Error {}

function die(msg: string): never {
  process.stderr.write(`lab: ${msg}\nRun "npm run lab -- help" for usage.\n`);
  process.exit(2);
}

function parse(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        tls: { type: 'string' },
        kx: { type: 'string' },
        paper: { type: 'boolean' },
        cipher: { type: 'string' },
        json: { type: 'boolean' },
        pcap: { type: 'string' },
        keylog: { type: 'string' },
        verbose: { type: 'boolean', short: 'V' },
        deadline: { type: 'string' },
        fault: { type: 'string', multiple: true },
        verifier: { type: 'string' },
        matrix: { type: 'boolean' },
        cwmp: { type: 'boolean' },
        'no-cwmp': { type: 'boolean' },
        rpc: { type: 'string', multiple: true },
        'connection-request': { type: 'boolean' },
        'server-auth-only': { type: 'boolean' },
        port: { type: 'string' },
        host: { type: 'string' },
        'cert-dir': { type: 'string' },
        'cpe-id': { type: 'string' },
        acs: { type: 'string' },
        ca: { type: 'string' },
        cert: { type: 'string' },
        key: { type: 'string' },
        'connection-request-bad-credentials': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    // parseArgs names the offending flag: "Unknown option '--foo'", "Option '--tls <value>' argument missing".
    throw new UsageError((e as Error).message);
  }
}

function writeArtifacts(r: SessionResult, pcap: string | undefined, keylog: string | undefined): void {
  if (keylog) writeFileSync(keylog, r.keyLog);
  if (pcap) writeFileSync(pcap, sessionPcapng(r));
}

async function session(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv);
  if (positionals.length) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}`);
  let deadlineMs: number | undefined;
  if (values.deadline !== undefined) {
    deadlineMs = Number(values.deadline);
    if (!/^\d+$/.test(values.deadline)) throw new UsageError(`--deadline takes a whole number of milliseconds, not ${JSON.stringify(values.deadline)}`);
  }
  let config;
  try {
    config = resolveConfig({ tls: values.tls, kx: values.kx, cipher: values.cipher, paper: values.paper, deadlineMs, faults: values.fault, verifier: values.verifier, cwmp: values['no-cwmp'] ? false : values.cwmp, rpcs: values.rpc, connectionRequest: values['connection-request-bad-credentials'] ? 'bad-credentials' : values['connection-request'] ? 'on' : 'off', serverAuthOnly: values['server-auth-only'] });
  } catch (e) {
    if (e instanceof ConfigError) throw new UsageError(e.message);
    throw e;
  }
  const json = values.json === true;
  const printer = new TextPrinter((s) => process.stdout.write(s + '\n'), { verbose: values.verbose === true, color: process.stdout.isTTY === true });
  const onEvent = json ? (e: LabEvent) => process.stdout.write(JSON.stringify(e) + '\n') : (e: LabEvent) => printer.event(e);
  let scenario;
  try {
    scenario = await scenarioFor(config); // unknown fault ids and conflicts fail here, before anything starts
  } catch (e) {
    if (e instanceof FaultError) throw new UsageError(e.message);
    throw e;
  }
  if (config.verifier === 'openssl' && !opensslAvailable().ok) throw new UsageError('--verifier openssl needs the openssl binary, which is not installed (apt-get install -y openssl)');
  const result = await runSession(config, wireScenario(scenario), onEvent);
  writeArtifacts(result, values.pcap, values.keylog);
  if (!json && (values.pcap || values.keylog)) {
    if (values.pcap) process.stdout.write(`pcapng written to ${values.pcap} (open it in Wireshark: already decrypted)\n`);
    if (values.keylog) process.stdout.write(`key log written to ${values.keylog}\n`);
  }
  return result.outcome.ok ? 0 : 1;
}

async function faults(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv);
  if (positionals.length) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}`);
  if (values.matrix) {
    const { runMatrix } = await import('./matrix.ts');
    return runMatrix({ json: values.json === true, out: (s) => process.stdout.write(s + '\n') });
  }
  const all = listFaults();
  if (values.json) {
    for (const f of all) process.stdout.write(JSON.stringify({ id: f.id, group: f.group, side: f.side, target: f.target, title: f.title, rule: f.rule }) + '\n');
    return 0;
  }
  const w = Math.max(...all.map((f) => f.id.length));
  for (const f of all) process.stdout.write(`${f.id.padEnd(w)}  ${f.side.padEnd(4)}  ${f.group.padEnd(10)}  ${f.title.en}\n`);
  return 0;
}

async function standaloneAcs(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv);
  if (positionals.length) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}`);
  const port = values.port === undefined ? 7547 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port takes a TCP port number, not ${JSON.stringify(values.port)}`);
  const certDir = values['cert-dir'] ?? 'lab-certs';
  const json = values.json === true;
  const printer = new TextPrinter((s) => process.stdout.write(s + '\n'), { verbose: values.verbose === true, color: process.stdout.isTTY === true });
  let acs;
  try {
    acs = await startStandaloneAcs({
      port,
      certDir,
      cpeId: values['cpe-id'] ?? '00D09E-HL0001',
      ...(values.rpc ? { rpcs: values.rpc } : {}),
      onEvent: json ? (e) => process.stdout.write(JSON.stringify(e) + '\n') : (e) => printer.event(e),
    });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const info = [
    `ACS listening on https://127.0.0.1:${acs.port}/ (mutual TLS; the certificate is for acs.lab.test) through the wiretap`,
    `for a client: CA ${acs.files.ca}, CPE certificate ${acs.files.cpeCert}, key ${acs.files.cpeKey}`,
    `e.g. curl --cacert ${acs.files.ca} --cert ${acs.files.cpeCert} --key ${acs.files.cpeKey} --resolve acs.lab.test:${acs.port}:127.0.0.1 -H 'Content-Type: text/xml' --data-binary @inform.xml https://acs.lab.test:${acs.port}/`,
    'Ctrl-C stops it.',
  ];
  for (const l of info) process.stderr.write(l + '\n');
  await new Promise<void>((resolve) => process.once('SIGINT', resolve).once('SIGTERM', resolve));
  await acs.close();
  return 0;
}

async function standaloneCpe(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv);
  if (positionals.length) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}`);
  if (!values.acs) throw new UsageError('cpe needs --acs URL (e.g. https://127.0.0.1:7547/)');
  const json = values.json === true;
  const printer = new TextPrinter((s) => process.stdout.write(s + '\n'), { verbose: values.verbose === true, color: process.stdout.isTTY === true });
  let result;
  try {
    result = await runStandaloneCpe({
      acsUrl: values.acs,
      ...(values.ca ? { caFile: values.ca } : {}),
      ...(values.cert ? { certFile: values.cert } : {}),
      ...(values.key ? { keyFile: values.key } : {}),
      ...(values['cpe-id'] ? { cpeId: values['cpe-id'] } : {}),
      onEvent: json ? (e) => process.stdout.write(JSON.stringify(e) + '\n') : (e) => printer.event(e),
    });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  if (!json) process.stdout.write(result.ok ? `CWMP session with ${values.acs} done (last HTTP status ${result.status}).\n` : `The session with ${values.acs} did not complete (last HTTP status ${result.status ?? 'none'}).\n`);
  return result.ok ? 0 : 1;
}

async function serve(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv);
  if (positionals.length) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}`);
  const portText = values.port ?? process.env.PORT;
  const port = portText === undefined ? 8080 : Number(portText);
  if (!/^\d+$/.test(portText ?? '8080') || port > 65535) throw new UsageError(`--port (or PORT) takes a TCP port number, not ${JSON.stringify(portText)}`);
  const host = values.host ?? '127.0.0.1';
  const { startGateway, isLoopbackHost } = await import('./gateway/index.ts');
  let gw;
  try {
    gw = await startGateway({ host, port });
  } catch (e) {
    throw new UsageError(`cannot listen on ${host}:${port}: ${(e as Error).message}`);
  }
  const err = (s: string) => process.stderr.write(s + '\n');
  if (!isLoopbackHost(host)) {
    const { networkInterfaces } = await import('node:os');
    const lan = Object.values(networkInterfaces()).flat().filter((a) => a && a.family === 'IPv4' && !a.internal).map((a) => a!.address);
    err(`WARNING: listening on ${host}: anyone who can reach this machine on port ${gw.port} can load the lab. Sessions need the join code.`);
    err(`Join code: ${gw.joinCode}`);
    for (const a of host === '0.0.0.0' ? lan : [host]) err(`  students open http://${a}:${gw.port}/?join=${gw.joinCode}`);
  }
  err(`Handshake Lab on ${gw.url} (WebSocket ${gw.wsUrl}, health ${gw.url}healthz). Ctrl-C stops it.`);
  await new Promise<void>((resolve) => process.once('SIGINT', resolve).once('SIGTERM', resolve));
  await gw.close();
  return 0;
}

async function demo(): Promise<number> {
  const out = (s: string) => process.stdout.write(s + '\n');
  const printer = (verbose: boolean) => new TextPrinter(out, { verbose, color: process.stdout.isTTY === true });
  out('Handshake Lab demo: two real mutual-TLS sessions between an ACS and a CPE, through a wiretap relay.\n');
  out('1) TLS 1.3 (default mode). 🔓 marks a record that was encrypted on the wire and decrypted from the key log.\n');
  const material = await labMaterial();
  let p = printer(false);
  const a = await runSession(resolveConfig({}), material, (e) => p.event(e));
  out('\n2) Paper mode: TLS 1.2 with static-RSA key exchange, as analysed in the 2014 paper.\n');
  p = printer(false);
  const b = await runSession(resolveConfig({ paper: true }), material, (e) => p.event(e));
  if (opensslAvailable().ok) {
    out('\n3) A fault: the ACS certificate has expired, and the CPE is the real openssl binary (s_client -verify_return_error).\n');
    p = printer(false);
    const config = resolveConfig({ faults: ['acs-expired'], verifier: 'openssl' });
    await runSession(config, wireScenario(await scenarioFor(config)), (e) => p.event(e));
  }
  out('\nTry: npm run lab -- session -V   (field trees)  |  npm run lab -- faults   (the fault catalog)  |  npm run lab -- session --pcap s.pcapng   (open in Wireshark)');
  return a.outcome.ok && b.outcome.ok ? 0 : 1;
}

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  switch (cmd) {
    case 'session':
      return session(rest);
    case 'faults':
      return faults(rest);
    case 'acs':
      return standaloneAcs(rest);
    case 'cpe':
      return standaloneCpe(rest);
    case 'serve':
      return serve(rest);
    case 'demo':
      if (rest.length) throw new UsageError(`demo takes no arguments, got ${JSON.stringify(rest[0])}`);
      return demo();
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(USAGE);
      return 0;
    default:
      throw new UsageError(`unknown command ${JSON.stringify(cmd)}`);
  }
}

main(process.argv.slice(2))
  .then(async (code) => {
    await closeLabKeyPool();
    await closeSharedWireHost();
    process.exitCode = code;
  })
  .catch((e: unknown) => {
    if (e instanceof UsageError) die(e.message);
    process.stderr.write(`lab: ${(e as Error).stack ?? String(e)}\n`);
    process.exit(1);
  });
