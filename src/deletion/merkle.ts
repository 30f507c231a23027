// The Merkle log of the deletion ledger: Certificate Transparency's tree (RFC 6962 §2.1, restated in
// RFC 9162 §2.1), so that any CT tool can check Lethe's proofs. Pure functions over SHA-256 hashes.
//
// Conventions. Trees are given by their leaf hashes (`leafHash(entry)`, 32 bytes each), oldest first.
// Producing a proof from bad arguments (an index or size out of range) is a programming error and throws;
// verifying never throws on hostile input (any size, index or proof): it returns false.
import { createHash } from 'node:crypto';

/** Bytes in a SHA-256 hash, the size of every leaf hash, node hash and proof element. */
export const HASH_SIZE = 32;

const sha256 = (...parts: Uint8Array[]): Buffer => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
};

const LEAF_PREFIX = Uint8Array.of(0x00);
const NODE_PREFIX = Uint8Array.of(0x01);

/** The hash of a log entry: SHA-256(0x00 || data). The prefix keeps leaves and inner nodes apart. */
export function leafHash(data: Uint8Array): Buffer {
  return sha256(LEAF_PREFIX, data);
}

/** The hash of an inner node: SHA-256(0x01 || left || right). */
export function nodeHash(left: Uint8Array, right: Uint8Array): Buffer {
  return sha256(NODE_PREFIX, left, right);
}

/** The largest power of two strictly smaller than n (n ≥ 2): where RFC 6962 splits a tree of n leaves. */
function split(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2; // multiplication, not <<, so sizes past 2^31 stay right
  return k;
}

const isSize = (n: number): boolean => Number.isSafeInteger(n) && n >= 0;
const isHash = (h: unknown): h is Uint8Array => h instanceof Uint8Array && h.length === HASH_SIZE;
// Bit tests and shifts by arithmetic: JavaScript's bit operators would truncate sizes to 32 bits.
const odd = (x: number): boolean => x % 2 === 1;
const half = (x: number): number => Math.floor(x / 2);

function isPowerOfTwo(x: number): boolean {
  while (x > 1 && !odd(x)) x = half(x);
  return x === 1;
}

function checkLeafHashes(fn: string, leafHashes: readonly Uint8Array[]): void {
  for (let i = 0; i < leafHashes.length; i++) {
    const h = leafHashes[i];
    if (!(h instanceof Uint8Array) || h.length !== HASH_SIZE) {
      throw new Error(`${fn}: leaf hash ${i} must be ${HASH_SIZE} bytes, got ${h instanceof Uint8Array ? `${h.length} bytes` : typeof h}`);
    }
  }
}

/** MTH(D[lo:hi]) for hi > lo. Recursion depth is log2 of the size. */
function subtreeHash(leaves: readonly Uint8Array[], lo: number, hi: number): Buffer {
  if (hi - lo === 1) return Buffer.from(leaves[lo]);
  const k = split(hi - lo);
  return nodeHash(subtreeHash(leaves, lo, lo + k), subtreeHash(leaves, lo + k, hi));
}

/**
 * The Merkle Tree Hash MTH(D[n]) over n leaf hashes (RFC 6962 §2.1): for n > 1, with k the largest power of two
 * below n, nodeHash(MTH(D[0:k]), MTH(D[k:n])). One leaf is its own root; the empty tree's root is SHA-256("").
 */
export function rootHash(leafHashes: readonly Uint8Array[]): Buffer {
  checkLeafHashes('rootHash', leafHashes);
  return leafHashes.length === 0 ? sha256() : subtreeHash(leafHashes, 0, leafHashes.length);
}

/** PATH(m, D[lo:hi]) of RFC 6962 §2.1.1, appended to `out` from the leaf up. */
function path(leaves: readonly Uint8Array[], m: number, lo: number, hi: number, out: Buffer[]): void {
  if (hi - lo === 1) return;
  const k = split(hi - lo);
  if (m < k) {
    path(leaves, m, lo, lo + k, out);
    out.push(subtreeHash(leaves, lo + k, hi));
  } else {
    path(leaves, m - k, lo + k, hi, out);
    out.push(subtreeHash(leaves, lo, lo + k));
  }
}

/**
 * The audit path of leaf `index` in the tree of all `leafHashes` (RFC 6962 §2.1.1 PATH(index, D[n])): the sibling
 * hashes from the leaf up to the root. Throws if `index` is not an integer in [0, n).
 */
export function inclusionProof(leafHashes: readonly Uint8Array[], index: number): Buffer[] {
  checkLeafHashes('inclusionProof', leafHashes);
  const n = leafHashes.length;
  if (!Number.isSafeInteger(index) || index < 0 || index >= n) {
    throw new Error(`inclusionProof: leaf index ${index} is out of range for a tree of ${n} leaves (need 0 <= index < ${n})`);
  }
  const out: Buffer[] = [];
  path(leafHashes, index, 0, n, out);
  return out;
}

/**
 * Whether `proof` shows the leaf with hash `leafHash` at position `index` in the tree of `size` leaves whose root is
 * `root`: the iterative algorithm of RFC 9162 §2.1.3.2. False (never a throw) for an index out of range, a size that
 * is not a non-negative integer, or hashes that are not 32 bytes.
 *
 * Caution, as in the RFC: the proof pins the root, not the size. A proof can also pass for another size whose tree
 * puts the leaf's siblings on the same sides (leaf 0 of 3 and of 4 leaves, say), so a verifier must take size and
 * root together from one signed tree head.
 */
export function verifyInclusion(
  leafHash: Uint8Array,
  index: number,
  size: number,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): boolean {
  if (!isSize(size) || !Number.isSafeInteger(index) || index < 0 || index >= size) return false;
  if (!isHash(leafHash) || !isHash(root) || !Array.isArray(proof) || !proof.every(isHash)) return false;
  // fn: the index of the node on the leaf's path at the current level; sn: the last index at that level.
  let fn = index;
  let sn = size - 1;
  let r: Buffer = Buffer.from(leafHash);
  for (const p of proof) {
    if (sn === 0) return false; // more proof than tree
    if (odd(fn) || fn === sn) {
      r = nodeHash(p, r);
      // The last node of a level, with no right sibling, moves up unchanged until it is a right child.
      while (!odd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && r.equals(root);
}

/** SUBPROOF(m, D[lo:hi], b) of RFC 6962 §2.1.2, appended to `out` from the bottom up. */
function subproof(leaves: readonly Uint8Array[], m: number, lo: number, hi: number, whole: boolean, out: Buffer[]): void {
  const n = hi - lo;
  if (m === n) {
    // The old tree is this very subtree: the verifier knows its hash already if it is the whole old tree.
    if (!whole) out.push(subtreeHash(leaves, lo, hi));
    return;
  }
  const k = split(n);
  if (m <= k) {
    subproof(leaves, m, lo, lo + k, whole, out);
    out.push(subtreeHash(leaves, lo + k, hi));
  } else {
    subproof(leaves, m - k, lo + k, hi, false, out);
    out.push(subtreeHash(leaves, lo, lo + k));
  }
}

/**
 * The proof that the tree of the first `m` leaves is a prefix of the tree of the first `n` (RFC 6962 §2.1.2
 * PROOF(m, D[n])). Needs 0 < m <= n <= leafHashes.length, else throws: the RFCs define no proof from the empty
 * tree. For m = n the proof is empty (SUBPROOF(m, D[m], true) = {}).
 */
export function consistencyProof(leafHashes: readonly Uint8Array[], m: number, n: number): Buffer[] {
  checkLeafHashes('consistencyProof', leafHashes);
  if (!Number.isSafeInteger(m) || !Number.isSafeInteger(n) || m < 1 || m > n || n > leafHashes.length) {
    throw new Error(`consistencyProof: sizes m=${m}, n=${n} are out of range for ${leafHashes.length} leaves (need 0 < m <= n <= ${leafHashes.length})`);
  }
  const out: Buffer[] = [];
  subproof(leafHashes, m, 0, n, true, out);
  return out;
}

/**
 * Whether `proof` shows that the tree of `m` leaves with root `oldRoot` is a prefix of the tree of `n` leaves with
 * root `newRoot`: the algorithm of RFC 9162 §2.1.4.2 for 0 < m < n. For m = n, valid only with an empty proof and
 * equal roots. False (never a throw) for m = 0 (no proof defined), m > n, non-integer sizes or hashes that are not
 * 32 bytes. As with verifyInclusion, the proof pins the roots, while `n` is pinned only up to the tree's shape: take
 * sizes and roots from signed tree heads.
 */
export function verifyConsistency(
  m: number,
  n: number,
  oldRoot: Uint8Array,
  newRoot: Uint8Array,
  proof: readonly Uint8Array[],
): boolean {
  if (!isSize(m) || !isSize(n) || m < 1 || m > n) return false;
  if (!isHash(oldRoot) || !isHash(newRoot) || !Array.isArray(proof) || !proof.every(isHash)) return false;
  if (m === n) return proof.length === 0 && Buffer.from(oldRoot).equals(newRoot);
  if (proof.length === 0) return false; // step 1
  // Step 2: when m is a power of two, the old root is itself a node of the new tree, left out of the proof.
  const path = isPowerOfTwo(m) ? [oldRoot, ...proof] : proof;
  let fn = m - 1;
  let sn = n - 1;
  // Step 4: climb to the largest complete subtree that ends with the old tree's last leaf; path[0] is its hash.
  while (odd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  let fr: Buffer = Buffer.from(path[0]);
  let sr: Buffer = Buffer.from(path[0]);
  for (let i = 1; i < path.length; i++) {
    const c = path[i];
    if (sn === 0) return false; // more proof than tree
    if (odd(fn) || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      while (!odd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && fr.equals(oldRoot) && sr.equals(newRoot);
}

