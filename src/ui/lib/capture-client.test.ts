import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CAPTURE_ERROR_CODES, CAPTURE_NOTICE_CODES } from '../../capture/errors.ts';
import { handleCaptureRequest } from '../../capture/worker-handler.ts';
import { hasKey, translate } from '../i18n/index.ts';
import { CaptureImportError, errorKey, MAX_CAPTURE_BYTES, noticeKey, openCaptureFile, type WorkerLike } from './capture-client.ts';

const SHARED = join(import.meta.dirname, '../../../../shared/captures');
const hasShared = existsSync(join(SHARED, 'illustrated-tls12.pcap'));
if (!hasShared) {
  if (process.env.CI === 'true') throw new Error('../shared/captures is missing: CI needs it');
  console.warn('\n!!! SKIPPED capture client tests on the shared capture: ../shared/captures not found !!!\n');
}

/** A Worker stand-in running the real worker body, with structured cloning and asynchronous delivery like a Worker. */
function inProcessWorker(log: { transferred?: boolean; terminated?: boolean; hold?: boolean } = {}): () => WorkerLike {
  return () => {
    const w: WorkerLike = {
      onmessage: null,
      onerror: null,
      postMessage(message, transfer) {
        log.transferred = transfer.length === 1;
        const copy = structuredClone(message);
        if (log.hold) return;
        setTimeout(() => handleCaptureRequest(copy, (m) => setTimeout(() => w.onmessage?.({ data: structuredClone(m) }))));
      },
      terminate() {
        log.terminated = true;
      },
    };
    return w;
  };
}

const file = (name: string, bytes: Uint8Array) => new File([bytes as BlobPart], name);

async function rejection(p: Promise<unknown>): Promise<CaptureImportError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(CaptureImportError);
    return e as CaptureImportError;
  }
  throw new Error('expected a rejection');
}

describe('openCaptureFile', () => {
  it.runIf(hasShared)('capture + key log file → imported sessions, progress reported, the buffer transferred, the worker ended', async () => {
    const log: { transferred?: boolean; terminated?: boolean } = {};
    const progress: number[] = [];
    const pcap = file('illustrated-tls12.pcap', new Uint8Array(readFileSync(join(SHARED, 'illustrated-tls12.pcap'))));
    const keylog = file('illustrated-tls12.keylog', new Uint8Array(readFileSync(join(SHARED, 'illustrated-tls12.keylog'))));
    const sessions = await openCaptureFile(pcap, keylog, { createWorker: inProcessWorker(log), onProgress: (p) => progress.push(p.fraction) });
    expect(sessions).toHaveLength(1);
    expect(sessions[0]!.events.filter((e) => e.kind === 'message' && e.name === 'ApplicationData' && e.decrypted)).toHaveLength(2);
    expect(progress.at(-1)).toBe(1);
    expect(log).toEqual({ transferred: true, terminated: true });
  });

  it.runIf(hasShared)('without keys: the notice comes with a translated sentence', async () => {
    const pcap = file('c.pcap', new Uint8Array(readFileSync(join(SHARED, 'illustrated-tls12.pcap'))));
    const [s] = await openCaptureFile(pcap, undefined, { createWorker: inProcessWorker() });
    const n = s!.notices[0]!;
    expect(n.code).toBe('NO_KEYS');
    expect(translate('en', noticeKey(n), n.params)).toBe('Connection 0: the key log has no secret for this session (client random 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f). The handshake is shown; 5 encrypted record(s) stay encrypted.');
    expect(translate('zh', noticeKey(n), n.params)).toMatch(/^连接 0：密钥日志中没有此会话的密钥/);
  });

  it('a file that is not a capture, a cut capture: an error with its key and parameters, in both languages', async () => {
    const gz = await rejection(openCaptureFile(file('c.pcap.gz', Uint8Array.of(0x1f, 0x8b, 8, 0)), undefined, { createWorker: inProcessWorker() }));
    expect([gz.code, gz.key]).toEqual(['ERR_NOT_A_CAPTURE', 'capture.error.ERR_NOT_A_CAPTURE.gzip']);
    expect(translate('zh', gz.key, gz.params)).toMatch(/gzip/);
    const cut = Uint8Array.of(0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 60, 0, 0, 0, 60, 0, 0, 0, 9, 9);
    const t = await rejection(openCaptureFile(file('cut.pcap', cut), undefined, { createWorker: inProcessWorker() }));
    expect([t.code, t.key, t.params.number, t.params.offset]).toEqual(['ERR_TRUNCATED_CAPTURE', 'capture.error.ERR_TRUNCATED_CAPTURE.packet', 1, 40]);
    expect(translate('en', t.key, t.params)).toBe('The capture is cut short: the file ends at byte 40, inside packet 1.');
    expect(translate('zh', t.key, t.params)).toBe('抓包文件不完整：文件在第 40 字节处结束，位于第 1 个数据包之中。');
  });

  it('too large a file is refused before reading it; cancelling ends the worker', async () => {
    const big = file('big.pcap', new Uint8Array(4));
    Object.defineProperty(big, 'size', { value: MAX_CAPTURE_BYTES + 1 });
    const e = await rejection(openCaptureFile(big, undefined, { createWorker: () => { throw new Error('must not start'); } }));
    expect([e.code, e.key]).toEqual(['ERR_TOO_LARGE', 'capture.error.ERR_TOO_LARGE']);
    const log: { terminated?: boolean; hold?: boolean } = { hold: true };
    const ac = new AbortController();
    const p = openCaptureFile(file('a.pcap', new Uint8Array(8)), 'CLIENT_RANDOM', { createWorker: inProcessWorker(log), signal: ac.signal });
    await new Promise((r) => setTimeout(r, 5));
    ac.abort();
    expect((await rejection(p)).code).toBe('ERR_ABORTED');
    expect(log.terminated).toBe(true);
  });

  it('a worker that fails to load, or answers nonsense, is an error in words', async () => {
    const broken = (): WorkerLike => {
      const w: WorkerLike = { onmessage: null, onerror: null, postMessage: () => setTimeout(() => w.onerror?.({ message: 'script error' })), terminate: () => {} };
      return w;
    };
    expect((await rejection(openCaptureFile(file('a.pcap', new Uint8Array(8)), undefined, { createWorker: broken }))).code).toBe('ERR_WORKER');
    const nonsense = (): WorkerLike => {
      const w: WorkerLike = { onmessage: null, onerror: null, postMessage: () => setTimeout(() => w.onmessage?.({ data: { type: 'result', sessions: 'no' } })), terminate: () => {} };
      return w;
    };
    expect((await rejection(openCaptureFile(file('a.pcap', new Uint8Array(8)), undefined, { createWorker: nonsense }))).code).toBe('ERR_INTERNAL');
  });

  it('every error and notice code has its sentence in the i18n table', () => {
    const params = { hint: '', unit: '' };
    for (const code of [...CAPTURE_ERROR_CODES, 'ERR_BAD_REQUEST', 'ERR_INTERNAL', 'ERR_TOO_LARGE', 'ERR_KEYLOG_TOO_LARGE', 'ERR_READ', 'ERR_WORKER', 'ERR_ABORTED']) {
      expect(hasKey(errorKey(code, params)), code).toBe(true);
    }
    for (const hint of ['empty', 'gzip', 'keylog', 'json', 'text']) expect(hasKey(errorKey('ERR_NOT_A_CAPTURE', { hint }))).toBe(true);
    for (const unit of ['header', 'packet', 'block']) for (const c of ['ERR_TRUNCATED_CAPTURE', 'ERR_BAD_CAPTURE']) expect(hasKey(errorKey(c, { unit }))).toBe(true);
    for (const code of CAPTURE_NOTICE_CODES) expect(hasKey(`capture.notice.${code}`), code).toBe(true);
  });

  it('a capture its worker cannot be handed ends that worker and says why', async () => {
    const log = { terminated: false };
    const createWorker = (): WorkerLike => ({
      onmessage: null,
      onerror: null,
      postMessage() {
        throw new DOMException('could not be cloned', 'DataCloneError');
      },
      terminate() {
        log.terminated = true;
      },
    });
    const e = await rejection(openCaptureFile(file('a.pcap', new Uint8Array([0xd4, 0xc3, 0xb2, 0xa1])), undefined, { createWorker }));
    expect(e.code).toBe('ERR_WORKER');
    expect(log.terminated).toBe(true);
  });
});
