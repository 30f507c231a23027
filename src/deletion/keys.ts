// The ledger's signing key and its signed tree heads. One Ed25519 key per Lethe home, kept in
// <home>/ledger-key.pem; a tree head binds a log size to its root hash at a time, under that key.
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, sign, verify, type KeyObject } from 'node:crypto';
import { closeSync, fchmodSync, fsyncSync, linkSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { HASH_SIZE } from './merkle.ts';

/** The key file's name inside a Lethe home. */
export const KEY_FILE = 'ledger-key.pem';

export interface LedgerKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** The public key as SPKI PEM, for publishing next to the log. */
  publicKeyPem: string;
  /** Hex SHA-256 of the raw 32-byte Ed25519 public key. */
  keyId: string;
}

/**
 * The home's ledger key, created on first use: a fresh Ed25519 key written as PKCS#8 PEM, mode 0o600.
 *
 * Safe against other processes doing the same at the same moment: the PEM goes to a private temporary file that is
 * then hard-linked to its final name. link(2) is atomic like rename(2) but, unlike rename, fails rather than
 * replace an existing file, so the first process to link wins, and every loser reads and uses the winner's key.
 * (A filesystem without hard links is reported as an error, not papered over with a non-atomic fallback.)
 */
export function loadOrCreateKey(home: string): LedgerKey {
  const path = join(home, KEY_FILE);
  const existing = readKey(path);
  if (existing) return existing;

  mkdirSync(home, { recursive: true });
  const pem = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
  const tmp = join(home, `.${KEY_FILE}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const fd = openSync(tmp, 'wx', 0o600);
    try {
      fchmodSync(fd, 0o600); // exactly 0o600, whatever the umask
      writeSync(fd, pem);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    try {
      linkSync(tmp, path);
      syncDir(home);
    } catch (e) {
      // EEXIST: another process created the key first; use its key, below.
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw new Error(`ledger key ${path}: cannot create (${(e as Error).message})`);
    }
  } finally {
    rmSync(tmp, { force: true });
  }
  const key = readKey(path);
  if (!key) throw new Error(`ledger key ${path}: vanished right after creation`);
  return key;
}

/** The key in `path`, or undefined if there is no such file. Throws, naming the file, if it holds no Ed25519 key. */
function readKey(path: string): LedgerKey | undefined {
  let pem: string;
  try {
    pem = readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(`ledger key ${path}: cannot read (${(e as Error).message})`);
  }
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(pem);
  } catch (e) {
    throw new Error(`ledger key ${path}: not a PEM private key (${(e as Error).message})`);
  }
  if (privateKey.asymmetricKeyType !== 'ed25519') {
    throw new Error(`ledger key ${path}: is a ${privateKey.asymmetricKeyType} key, expected Ed25519`);
  }
  const publicKey = createPublicKey(privateKey);
  return { privateKey, publicKey, publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }) as string, keyId: keyIdOf(publicKey) };
}

/** Best effort: make the new directory entry durable. Not every platform can fsync a directory. */
function syncDir(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // ignored: the key file itself was fsynced
  }
}

/** Hex SHA-256 of the raw 32-byte public key of an Ed25519 key (public, or private for its public half). */
export function keyIdOf(key: KeyObject): string {
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  if (pub.asymmetricKeyType !== 'ed25519') throw new Error(`keyIdOf: need an Ed25519 key, got ${pub.asymmetricKeyType ?? pub.type}`);
  const raw = Buffer.from(pub.export({ format: 'jwk' }).x ?? '', 'base64url');
  if (raw.length !== 32) throw new Error(`keyIdOf: Ed25519 public key is ${raw.length} bytes, expected 32`);
  return createHash('sha256').update(raw).digest('hex');
}

/** A signed statement that the log had `size` entries with root `rootHash` at `timestamp`. */
export interface TreeHead {
  size: number;
  /** Lowercase hex of the 32-byte Merkle root. */
  rootHash: string;
  /** UTC, exactly as Date.prototype.toISOString writes it: YYYY-MM-DDTHH:mm:ss.sssZ. */
  timestamp: string;
  /** keyIdOf the signing key. */
  keyId: string;
  /** Base64 (standard alphabet, padded) of the 64-byte Ed25519 signature of treeHeadMessage. */
  signature: string;
}

/** First line of every signed tree head message; the version changes if the format ever does. */
export const TREE_HEAD_CONTEXT = 'lethe-tree-head:v1';

const HEX_ROOT = new RegExp(`^[0-9a-f]{${HASH_SIZE * 2}}$`);
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const SIGNATURE_B64 = /^[A-Za-z0-9+/]{86}==$/; // 64 bytes

/** Whether a string shaped like an ISO time is a real one written canonically (no 24:00, no February 30). */
function sameInstant(iso: string): boolean {
  const t = new Date(iso);
  return !Number.isNaN(t.getTime()) && t.toISOString() === iso;
}

/** Why the fields cannot go into a tree head message, or undefined if they can. */
function headProblem(size: unknown, rootHash: unknown, timestamp: unknown): string | undefined {
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) return `size must be a non-negative integer, got ${String(size)}`;
  if (typeof rootHash !== 'string' || !HEX_ROOT.test(rootHash)) return `rootHash must be ${HASH_SIZE * 2} lowercase hex digits, got ${JSON.stringify(rootHash)}`;
  if (typeof timestamp !== 'string' || !ISO_UTC.test(timestamp) || !sameInstant(timestamp)) {
    return `timestamp must be a real UTC time written as YYYY-MM-DDTHH:mm:ss.sssZ, got ${JSON.stringify(timestamp)}`;
  }
  return undefined;
}

/**
 * The exact bytes a tree head's signature covers: the UTF-8 (all ASCII) of four lines joined by "\n", with no
 * trailing newline:
 *
 *   lethe-tree-head:v1
 *   <size in decimal, no sign, no leading zeros>
 *   <rootHash, 64 lowercase hex digits>
 *   <timestamp, YYYY-MM-DDTHH:mm:ss.sssZ>
 *
 * The signature is plain Ed25519 (RFC 8032, no prehash, no context) over these bytes, so anyone can check a head
 * with any Ed25519 implementation and the published public key. The key id is not signed: the key itself is what
 * the signature binds. Throws if a field is malformed.
 */
export function treeHeadMessage(size: number, rootHash: string, timestamp: string): Buffer {
  const problem = headProblem(size, rootHash, timestamp);
  if (problem) throw new Error(`tree head: ${problem}`);
  return Buffer.from(`${TREE_HEAD_CONTEXT}\n${size}\n${rootHash}\n${timestamp}`, 'utf8');
}

/**
 * Sign the head of a log of `size` entries with root `rootHash` (32 bytes, or their lowercase hex) at `timestamp`
 * (a Date, or a string as Date.prototype.toISOString writes it). Throws on a malformed field or a non-Ed25519 key.
 */
export function signTreeHead(
  key: Pick<LedgerKey, 'privateKey' | 'keyId'>,
  size: number,
  rootHash: string | Uint8Array,
  timestamp: string | Date,
): TreeHead {
  if (key.privateKey.type !== 'private' || key.privateKey.asymmetricKeyType !== 'ed25519') {
    throw new Error(`signTreeHead: need an Ed25519 private key, got a ${key.privateKey.asymmetricKeyType ?? ''} ${key.privateKey.type} key`);
  }
  if (typeof rootHash !== 'string' && rootHash.length !== HASH_SIZE) {
    throw new Error(`signTreeHead: rootHash must be ${HASH_SIZE} bytes, got ${rootHash.length}`);
  }
  const root = typeof rootHash === 'string' ? rootHash : Buffer.from(rootHash).toString('hex');
  if (timestamp instanceof Date && Number.isNaN(timestamp.getTime())) throw new Error('signTreeHead: timestamp is an invalid Date');
  const time = timestamp instanceof Date ? timestamp.toISOString() : timestamp;
  const signature = sign(null, treeHeadMessage(size, root, time), key.privateKey).toString('base64');
  return { size, rootHash: root, timestamp: time, keyId: key.keyId, signature };
}

/**
 * Whether `head` is signed by `publicKey` (a KeyObject, or SPKI PEM) and names it by its key id. Returns false for
 * any malformed or altered head; throws only if `publicKey` is not an Ed25519 key, which is the caller's mistake.
 */
export function verifyTreeHead(head: TreeHead, publicKey: KeyObject | string): boolean {
  const pub = toPublicKey(publicKey);
  if (typeof head !== 'object' || head === null) return false;
  const { size, rootHash, timestamp, keyId, signature } = head;
  if (headProblem(size, rootHash, timestamp) !== undefined) return false;
  if (keyId !== keyIdOf(pub)) return false;
  if (typeof signature !== 'string' || !SIGNATURE_B64.test(signature)) return false;
  return verify(null, treeHeadMessage(size, rootHash, timestamp), pub, Buffer.from(signature, 'base64'));
}

function toPublicKey(key: KeyObject | string): KeyObject {
  let pub: KeyObject;
  try {
    pub = typeof key === 'string' ? createPublicKey(key) : key.type === 'private' ? createPublicKey(key) : key;
  } catch (e) {
    throw new Error(`verifyTreeHead: the public key is not a readable PEM key (${(e as Error).message})`);
  }
  if (pub.asymmetricKeyType !== 'ed25519') throw new Error(`verifyTreeHead: need an Ed25519 public key, got ${pub.asymmetricKeyType ?? pub.type}`);
  return pub;
}
