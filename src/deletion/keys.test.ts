import { createHash, createPublicKey, generateKeyPairSync, verify, webcrypto, type KeyObject } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { KEY_FILE, loadOrCreateKey, signTreeHead, verifyTreeHead, type TreeHead } from './keys.ts';
import { runModule } from '../../test/support/child.ts';

const root = mkdtempSync(join(tmpdir(), 'lethe-ledger-keys-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let homes = 0;
const freshHome = () => join(root, `home-${homes++}`);

/** The raw 32-byte Ed25519 public key, cut from the end of its DER SubjectPublicKeyInfo (12 header bytes + 32). */
const rawPublicKey = (key: KeyObject): Buffer => {
  const der = key.export({ type: 'spki', format: 'der' });
  expect(der.length).toBe(44);
  return der.subarray(12);
};
const sha256hex = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** The documented message, built here from its description rather than by the module. */
const message = (h: Pick<TreeHead, 'size' | 'rootHash' | 'timestamp'>) =>
  Buffer.from(`lethe-tree-head:v1\n${h.size}\n${h.rootHash}\n${h.timestamp}`, 'utf8');

const ROOT_HEX = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const TIME = '2026-03-01T12:34:56.789Z';

describe('loadOrCreateKey', () => {
  it('creates the key once, private to the user, and reuses it', () => {
    const home = freshHome(); // does not exist yet
    const first = loadOrCreateKey(home);
    const file = join(home, KEY_FILE);
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(home)).toEqual([KEY_FILE]); // no temporary file left behind
    const pem = readFileSync(file, 'utf8');
    expect(pem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(first.privateKey.asymmetricKeyType).toBe('ed25519');
    expect(first.keyId).toBe(sha256hex(rawPublicKey(first.publicKey)));
    expect(first.keyId).toMatch(/^[0-9a-f]{64}$/);
    expect(createPublicKey(first.publicKeyPem).equals(first.publicKey)).toBe(true);

    const second = loadOrCreateKey(home);
    expect(second.keyId).toBe(first.keyId);
    expect(readFileSync(file, 'utf8')).toBe(pem);
  });

  it('uses, and never replaces, a key that is already there', () => {
    const home = freshHome();
    const mine = generateKeyPairSync('ed25519');
    loadOrCreateKey(home); // makes the directory
    const file = join(home, KEY_FILE);
    const pem = mine.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    writeFileSync(file, pem);
    expect(loadOrCreateKey(home).keyId).toBe(sha256hex(rawPublicKey(mine.publicKey)));
    expect(readFileSync(file, 'utf8')).toBe(pem);
  });

  it('a key file that is not an Ed25519 key is an error naming the file', () => {
    const home = freshHome();
    loadOrCreateKey(home);
    const file = join(home, KEY_FILE);
    writeFileSync(file, 'not a key\n');
    expect(() => loadOrCreateKey(home)).toThrow(`ledger key ${file}: not a PEM private key`);
    writeFileSync(file, generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }));
    expect(() => loadOrCreateKey(home)).toThrow(`ledger key ${file}: is a ec key, expected Ed25519`);
  });

  it('processes creating the key at the same moment all end up with the same one', async () => {
    const home = freshHome();
    const keysTs = new URL('./keys.ts', import.meta.url).href;
    const start = Date.now() + 1500;
    // Each child waits for the same instant, then loads the key: first commands on a fresh LETHE_HOME.
    const code = `const { loadOrCreateKey } = await import(${JSON.stringify(keysTs)});
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Math.max(0, ${start} - Date.now()));
      process.stdout.write(loadOrCreateKey(${JSON.stringify(home)}).keyId);`;
    const run = () => runModule(code);
    const results = await Promise.all([run(), run(), run()]);
    for (const r of results) {
      expect(r.err).toBe('');
      expect(r.code).toBe(0);
    }
    const ids = new Set(results.map((r) => r.out));
    expect(ids.size).toBe(1);
    expect(readdirSync(home)).toEqual([KEY_FILE]);
    const [id] = ids;
    expect(id).toBe(loadOrCreateKey(home).keyId);
    expect(id).toBe(sha256hex(rawPublicKey(createPublicKey(readFileSync(join(home, KEY_FILE), 'utf8')))));
  });
});

describe('signed tree heads', () => {
  const key = loadOrCreateKey(freshHome());
  const other = loadOrCreateKey(freshHome());
  const head = signTreeHead(key, 42, ROOT_HEX, TIME);

  it('carry the fields as given and verify with the key and with its PEM', () => {
    expect(head).toMatchObject({ size: 42, rootHash: ROOT_HEX, timestamp: TIME, keyId: key.keyId });
    expect(Buffer.from(head.signature, 'base64')).toHaveLength(64);
    expect(verifyTreeHead(head, key.publicKey)).toBe(true);
    expect(verifyTreeHead(head, key.publicKeyPem)).toBe(true);
    expect(verifyTreeHead(JSON.parse(JSON.stringify(head)) as TreeHead, key.publicKeyPem)).toBe(true);
  });

  it('verify independently, from the documented message, with node:crypto and with WebCrypto', async () => {
    const sig = Buffer.from(head.signature, 'base64');
    expect(verify(null, message(head), key.publicKey, sig)).toBe(true);
    expect(verify(null, message({ ...head, size: 43 }), key.publicKey, sig)).toBe(false);
    // Another implementation, given only the raw public key.
    const pub = await webcrypto.subtle.importKey('raw', rawPublicKey(key.publicKey), { name: 'Ed25519' }, false, ['verify']);
    expect(await webcrypto.subtle.verify({ name: 'Ed25519' }, pub, sig, message(head))).toBe(true);
  });

  it('fail when any signed field, the signature or the key id is changed, or against another key', () => {
    const sig = Buffer.from(head.signature, 'base64');
    sig[10] ^= 1;
    const altered: [string, TreeHead][] = [
      ['size', { ...head, size: 43 }],
      ['size 0', { ...head, size: 0 }],
      ['root', { ...head, rootHash: ROOT_HEX.replace(/^e/, 'f') }],
      ['root in capitals', { ...head, rootHash: ROOT_HEX.toUpperCase() }],
      ['timestamp', { ...head, timestamp: '2026-03-01T12:34:56.790Z' }],
      ['timestamp, same instant written differently', { ...head, timestamp: '2026-03-01T12:34:56.789+00:00' }],
      ['signature', { ...head, signature: sig.toString('base64') }],
      ['signature, not base64', { ...head, signature: '!'.repeat(88) }],
      ['signature, too short', { ...head, signature: head.signature.slice(4) }],
      ['key id', { ...head, keyId: other.keyId }],
    ];
    for (const [what, h] of altered) expect(verifyTreeHead(h, key.publicKey), what).toBe(false);
    expect(verifyTreeHead(head, other.publicKey)).toBe(false);
    expect(verifyTreeHead({ ...head, keyId: other.keyId }, other.publicKey)).toBe(false);
    expect(verifyTreeHead(null as unknown as TreeHead, key.publicKey)).toBe(false);
    expect(verifyTreeHead({ ...head, size: '42' } as unknown as TreeHead, key.publicKey)).toBe(false);
  });

  it('take the root as bytes and the time as a Date', () => {
    const h = signTreeHead(key, 0, Buffer.from(ROOT_HEX, 'hex'), new Date(TIME));
    expect(h.rootHash).toBe(ROOT_HEX);
    expect(h.timestamp).toBe(TIME);
    expect(verify(null, message(h), key.publicKey, Buffer.from(h.signature, 'base64'))).toBe(true);
  });

  it('refuse malformed fields with errors naming them', () => {
    expect(() => signTreeHead(key, -1, ROOT_HEX, TIME)).toThrow('tree head: size must be a non-negative integer, got -1');
    expect(() => signTreeHead(key, 1.5, ROOT_HEX, TIME)).toThrow(/size must be a non-negative integer, got 1.5/);
    expect(() => signTreeHead(key, 1, ROOT_HEX.toUpperCase(), TIME)).toThrow(/rootHash must be 64 lowercase hex digits/);
    expect(() => signTreeHead(key, 1, new Uint8Array(31), TIME)).toThrow('signTreeHead: rootHash must be 32 bytes, got 31');
    expect(() => signTreeHead(key, 1, ROOT_HEX, '2026-03-01')).toThrow(/timestamp must be a real UTC time written as YYYY-MM-DDTHH:mm:ss.sssZ, got "2026-03-01"/);
    expect(() => signTreeHead(key, 1, ROOT_HEX, '2026-02-30T00:00:00.000Z')).toThrow(/timestamp must be a real UTC time/);
    expect(() => signTreeHead(key, 1, ROOT_HEX, new Date(Number.NaN))).toThrow('signTreeHead: timestamp is an invalid Date');
    expect(() => signTreeHead({ ...key, privateKey: key.publicKey }, 1, ROOT_HEX, TIME)).toThrow(/need an Ed25519 private key/);
    expect(() => verifyTreeHead(head, 'not a key')).toThrow(/verifyTreeHead: the public key is not a readable PEM key/);
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey;
    expect(() => verifyTreeHead(head, ec)).toThrow('verifyTreeHead: need an Ed25519 public key, got ec');
  });
});
