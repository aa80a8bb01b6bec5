/**
 * RSA key generation and a small background-refilled key pool.
 *
 * Keys always come from Node's native generator (`crypto.generateKeyPair`,
 * OpenSSL in the libuv thread pool) - never from node-forge's pure-JS prime
 * search - so generating keys never blocks the event loop.
 */
import { generateKeyPair, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import forge from 'node-forge';
import { PkiError } from './errors.ts';

const generateKeyPairAsync = promisify(generateKeyPair);

export const MIN_KEY_BITS = 512;
export const MAX_KEY_BITS = 16384;
export const DEFAULT_KEY_BITS = 2048;

/** One RSA key pair, in every form the PKI needs (all precomputed). */
export interface RsaKey {
  readonly bits: number;
  /** Node key object: used for fast native signing. */
  readonly keyObject: KeyObject;
  /** PKCS#8 PEM, ready for Node `tls` (`key`). */
  readonly privateKeyPem: string;
  readonly forgePrivate: forge.pki.rsa.PrivateKey;
  readonly forgePublic: forge.pki.rsa.PublicKey;
}

/** Throws `ERR_BAD_KEY_SIZE` unless `bits` is an integer in [512, 16384]. */
export function assertKeyBits(bits: unknown): asserts bits is number {
  if (typeof bits !== 'number' || !Number.isInteger(bits) || bits < MIN_KEY_BITS || bits > MAX_KEY_BITS) {
    throw new PkiError(
      'ERR_BAD_KEY_SIZE',
      `RSA key size must be an integer between ${MIN_KEY_BITS} and ${MAX_KEY_BITS} bits, got ${String(bits)}`,
    );
  }
}

/** Wraps a Node private KeyObject (RSA) into an {@link RsaKey}. */
export function rsaKeyFromKeyObject(keyObject: KeyObject): RsaKey {
  const privateKeyPem = keyObject.export({ type: 'pkcs8', format: 'pem' }).toString();
  const forgePrivate = forge.pki.privateKeyFromPem(privateKeyPem);
  return {
    bits: forgePrivate.n.bitLength(),
    keyObject,
    privateKeyPem,
    forgePrivate,
    forgePublic: forge.pki.setRsaPublicKey(forgePrivate.n, forgePrivate.e),
  };
}

/** Generates a fresh RSA key (e = 65537) off the main thread. */
export async function generateRsaKey(bits: number = DEFAULT_KEY_BITS): Promise<RsaKey> {
  assertKeyBits(bits);
  const { privateKey } = await generateKeyPairAsync('rsa', { modulusLength: bits, publicExponent: 0x10001 });
  return rsaKeyFromKeyObject(privateKey);
}

export interface KeyPoolOptions {
  /** Keys kept ready per key size (default 4: two sessions' worth). */
  size?: number;
  /** Max key generations running at once, across sizes (default 2). */
  concurrency?: number;
}

interface Shelf {
  keys: RsaKey[];
  pending: number;
  lastError?: unknown;
}

/**
 * Pre-generated RSA keys per key size. `take()` pops a ready key (or
 * generates one on demand when empty) and schedules a background refill.
 * There are no timers: refills are plain promises on libuv work, and
 * `close()` stops refilling and awaits in-flight generations, so nothing
 * keeps the process alive afterwards.
 */
export class KeyPool {
  readonly size: number;
  readonly concurrency: number;
  private readonly shelves = new Map<number, Shelf>();
  private readonly jobs = new Set<Promise<void>>();
  private closed = false;

  constructor(options: KeyPoolOptions = {}) {
    this.size = Math.max(1, Math.floor(options.size ?? 4));
    this.concurrency = Math.max(1, Math.floor(options.concurrency ?? 2));
  }

  /** Number of ready keys of this size. */
  available(bits: number = DEFAULT_KEY_BITS): number {
    return this.shelves.get(bits)?.keys.length ?? 0;
  }

  /** Fills the shelf for `bits` to `size` keys; resolves when full. */
  async warm(bits: number = DEFAULT_KEY_BITS): Promise<void> {
    assertKeyBits(bits);
    const shelf = this.shelf(bits);
    this.refill();
    while (shelf.keys.length < this.size) {
      if (this.closed) throw new PkiError('ERR_POOL_CLOSED', 'KeyPool is closed');
      if (this.jobs.size === 0) {
        // Nothing running yet shelf is short: the last generation failed.
        throw new PkiError('ERR_BAD_KEY_SIZE', `could not generate ${bits}-bit RSA keys`, {
          cause: shelf.lastError,
        });
      }
      await Promise.race(this.jobs);
    }
  }

  /** Returns a never-before-used key of `bits` bits. */
  async take(bits: number = DEFAULT_KEY_BITS): Promise<RsaKey> {
    assertKeyBits(bits);
    if (this.closed) throw new PkiError('ERR_POOL_CLOSED', 'KeyPool is closed');
    const key = this.shelf(bits).keys.pop();
    this.refill();
    return key ?? generateRsaKey(bits);
  }

  /** Stops background refills and waits for in-flight generations. Idempotent. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.allSettled([...this.jobs]);
    this.shelves.clear();
  }

  private shelf(bits: number): Shelf {
    let shelf = this.shelves.get(bits);
    if (!shelf) this.shelves.set(bits, (shelf = { keys: [], pending: 0 }));
    return shelf;
  }

  /** Starts generations for every short shelf, within the concurrency cap. */
  private refill(): void {
    for (const [bits, shelf] of this.shelves) {
      while (!this.closed && this.jobs.size < this.concurrency && shelf.keys.length + shelf.pending < this.size) {
        shelf.pending++;
        const job: Promise<void> = generateRsaKey(bits)
          .then(
            (key) => {
              shelf.lastError = undefined;
              if (!this.closed) shelf.keys.push(key);
            },
            (err: unknown) => {
              shelf.lastError = err;
            },
          )
          .finally(() => {
            shelf.pending--;
            this.jobs.delete(job);
            if (shelf.lastError === undefined) this.refill();
          });
        this.jobs.add(job);
      }
    }
  }
}
