import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { consistencyProof, inclusionProof, leafHash, nodeHash, rootHash, verifyConsistency, verifyInclusion } from './merkle.ts';

// ---- An independent reference, written straight from RFC 6962 §2.1 over the entries themselves ----

const sha = (...parts: (Uint8Array | number[])[]): Buffer => {
  const h = createHash('sha256');
  for (const p of parts) h.update(Uint8Array.from(p));
  return h.digest();
};
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const unhex = (s: string): Buffer => Buffer.from(s, 'hex');

/** k: the largest power of two smaller than n, by logarithm (the module uses a doubling loop). */
const refSplit = (n: number): number => 2 ** (Math.ceil(Math.log2(n)) - 1);

/** MTH(D[n]) by the RFC's definition, slicing arrays of entries. */
function refMth(d: Uint8Array[]): Buffer {
  if (d.length === 0) return sha([]);
  if (d.length === 1) return sha([0], d[0]);
  const k = refSplit(d.length);
  return sha([1], refMth(d.slice(0, k)), refMth(d.slice(k)));
}

/** PATH(m, D[n]). */
function refPath(m: number, d: Uint8Array[]): Buffer[] {
  if (d.length === 1) return [];
  const k = refSplit(d.length);
  return m < k ? [...refPath(m, d.slice(0, k)), refMth(d.slice(k))] : [...refPath(m - k, d.slice(k)), refMth(d.slice(0, k))];
}

/** SUBPROOF(m, D[n], b). */
function refSubproof(m: number, d: Uint8Array[], b: boolean): Buffer[] {
  if (m === d.length) return b ? [] : [refMth(d)];
  const k = refSplit(d.length);
  return m <= k
    ? [...refSubproof(m, d.slice(0, k), b), refMth(d.slice(k))]
    : [...refSubproof(m - k, d.slice(k), false), refMth(d.slice(0, k))];
}

/** The side of each audit path element, leaf first ('L': the sibling is on the left), from PATH's recursion. */
function sides(m: number, n: number): string {
  if (n === 1) return '';
  const k = refSplit(n);
  return m < k ? sides(m, k) + 'R' : sides(m - k, n - k) + 'L';
}

/** Tree height: the number of levels above the leaves. */
const height = (n: number): number => Math.ceil(Math.log2(n));

// Entries of varied lengths, the empty one included.
const ENTRIES = Array.from({ length: 33 }, (_, i) => new TextEncoder().encode('x'.repeat(i % 5) + `entry ${i}`));
ENTRIES[7] = new Uint8Array(0);
const LEAVES = ENTRIES.map((e) => leafHash(e));

/** A copy of `b` with one bit flipped. */
const flip = (b: Uint8Array, byte = 0): Buffer => {
  const c = Buffer.from(b);
  c[byte] ^= 1;
  return c;
};

/** `arr` with element `i` replaced by `v`, or left out. */
const replaced = <T>(arr: T[], i: number, v: T): T[] => arr.map((x, j) => (j === i ? v : x));
const dropped = <T>(arr: T[], i: number): T[] => arr.filter((_, j) => j !== i);

describe('hashes and roots', () => {
  it('hash leaves and nodes with the 0x00 and 0x01 prefixes', () => {
    expect(hex(leafHash(Uint8Array.of(1, 2)))).toBe(hex(sha([0, 1, 2])));
    expect(hex(nodeHash(Uint8Array.of(3), Uint8Array.of(4, 5)))).toBe(hex(sha([1, 3, 4, 5])));
  });

  it('the empty tree has the root SHA-256("")', () => {
    expect(hex(rootHash([]))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('three leaves hash as H(1 || H(1 || l0 || l1) || l2)', () => {
    const [a, b, c] = [[10], [20, 21], []].map((d) => sha([0], d));
    const want = sha([1], sha([1], a, b), c);
    expect(hex(rootHash([a, b, c]))).toBe(hex(want));
  });

  it('equals the reference Merkle Tree Hash for 0..33 leaves', () => {
    for (let n = 0; n <= 33; n++) expect(hex(rootHash(LEAVES.slice(0, n))), `n=${n}`).toBe(hex(refMth(ENTRIES.slice(0, n))));
  });

  it('rejects leaf hashes that are not 32 bytes, naming the leaf', () => {
    expect(() => rootHash([LEAVES[0], new Uint8Array(31)])).toThrow('rootHash: leaf hash 1 must be 32 bytes, got 31 bytes');
  });
});

describe('Certificate Transparency reference vectors', () => {
  // The RFC 6962 test vectors shared by the CT implementations (e.g. transparency-dev/merkle testonly).
  const ct = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map((h) => leafHash(unhex(h)));
  const roots = [
    '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
    'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
    'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
    'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
    '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
    'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
    '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
  ];

  it('roots of sizes 1..8', () => {
    for (let n = 1; n <= 8; n++) expect(hex(rootHash(ct.slice(0, n))), `n=${n}`).toBe(roots[n - 1]);
  });

  it('inclusion proofs of leaves 0 and 5 in the tree of 8', () => {
    const p0 = [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ];
    const p5 = [
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ];
    expect(inclusionProof(ct, 0).map(hex)).toEqual(p0);
    expect(inclusionProof(ct, 5).map(hex)).toEqual(p5);
    expect(verifyInclusion(ct[5], 5, 8, p5.map(unhex), unhex(roots[7]))).toBe(true);
  });

  it('consistency proof from 2 to 8', () => {
    const p = ['5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4'];
    expect(consistencyProof(ct, 2, 8).map(hex)).toEqual(p);
    expect(verifyConsistency(2, 8, unhex(roots[1]), unhex(roots[7]), p.map(unhex))).toBe(true);
  });
});

describe('the example tree of RFC 6962 §2.1.3 (7 leaves)', () => {
  //             hash
  //            /    \
  //           k      l
  //          / \    / \
  //         g   h  i   j
  //        / \ / \ / \ |
  //        a b c d e f d6
  const d = Array.from({ length: 7 }, (_, i) => [0xd0 + i]);
  const [a, b, c, dd, e, f, j] = d.map((x) => sha([0], x));
  const g = sha([1], a, b);
  const h = sha([1], c, dd);
  const i = sha([1], e, f);
  const k = sha([1], g, h);
  const l = sha([1], i, j);
  const root = sha([1], k, l);
  const leaves = d.map((x) => leafHash(Uint8Array.from(x)));
  const names = new Map([a, b, c, dd, e, f, j, g, h, i, k, l].map((x, n) => [hex(x), 'abcdefjghikl'[n]]));
  const named = (proof: Buffer[]): string => proof.map((x) => names.get(hex(x)) ?? '?').join('');

  it('has the root hash(k, l)', () => {
    expect(hex(rootHash(leaves))).toBe(hex(root));
  });

  it('audit paths: d0 [b, h, l], d3 [c, g, l], d4 [f, j, k], d6 [i, k]', () => {
    expect(named(inclusionProof(leaves, 0))).toBe('bhl');
    expect(named(inclusionProof(leaves, 3))).toBe('cgl');
    expect(named(inclusionProof(leaves, 4))).toBe('fjk');
    expect(named(inclusionProof(leaves, 6))).toBe('ik');
    expect(inclusionProof(leaves, 0)).toHaveLength(3);
  });

  it('consistency proofs: 3 to 7 [c, d, g, l], 4 to 7 [l], 6 to 7 [i, j, k]', () => {
    expect(named(consistencyProof(leaves, 3, 7))).toBe('cdgl');
    expect(named(consistencyProof(leaves, 4, 7))).toBe('l');
    expect(named(consistencyProof(leaves, 6, 7))).toBe('ijk');
    expect(verifyConsistency(3, 7, sha([1], g, c), root, [c, dd, g, l])).toBe(true);
    expect(verifyConsistency(4, 7, k, root, [l])).toBe(true);
  });
});

describe('inclusion proofs', () => {
  it('equal the reference PATH and verify, for every leaf of every tree of 1..20 leaves', () => {
    for (let n = 1; n <= 20; n++) {
      const tree = LEAVES.slice(0, n);
      const root = refMth(ENTRIES.slice(0, n));
      for (let i = 0; i < n; i++) {
        const proof = inclusionProof(tree, i);
        expect(proof.map(hex), `n=${n} i=${i}`).toEqual(refPath(i, ENTRIES.slice(0, n)).map(hex));
        expect(proof.length).toBeLessThanOrEqual(height(n));
        expect(verifyInclusion(tree[i], i, n, proof, root), `n=${n} i=${i}`).toBe(true);
      }
    }
  });

  it('fail for an altered leaf, index, root or proof, and for a dropped or added element', () => {
    let checks = 0;
    const no = (ok: boolean, what: string) => {
      expect(ok, what).toBe(false);
      checks++;
    };
    for (let n = 1; n <= 20; n++) {
      const tree = LEAVES.slice(0, n);
      const root = rootHash(tree);
      for (let i = 0; i < n; i++) {
        const proof = inclusionProof(tree, i);
        const at = `n=${n} i=${i}`;
        no(verifyInclusion(flip(tree[i]), i, n, proof, root), `${at}: altered leaf`);
        no(verifyInclusion(LEAVES[n], i, n, proof, root), `${at}: a leaf not in the tree`);
        // Any other position, the first one past the end included: a path names exactly one leaf.
        for (let j = 0; j <= n; j++) if (j !== i) no(verifyInclusion(tree[i], j, n, proof, root), `${at}: index ${j}`);
        no(verifyInclusion(tree[i], -1, n, proof, root), `${at}: index -1`);
        no(verifyInclusion(tree[i], i + 0.5, n, proof, root), `${at}: index ${i + 0.5}`);
        no(verifyInclusion(tree[i], i, n, proof, flip(root, 31)), `${at}: altered root`);
        no(verifyInclusion(tree[i], i, n, proof, rootHash(LEAVES.slice(0, n + 1))), `${at}: the next tree's root`);
        for (let p = 0; p < proof.length; p++) {
          no(verifyInclusion(tree[i], i, n, replaced(proof, p, flip(proof[p], p)), root), `${at}: element ${p} altered`);
          no(verifyInclusion(tree[i], i, n, dropped(proof, p), root), `${at}: element ${p} dropped`);
          no(verifyInclusion(tree[i], i, n, replaced(proof, p, proof[p].subarray(1)), root), `${at}: element ${p} truncated`);
        }
        no(verifyInclusion(tree[i], i, n, [...proof, root], root), `${at}: element added at the end`);
        no(verifyInclusion(tree[i], i, n, [tree[i], ...proof], root), `${at}: element added in front`);
      }
    }
    expect(checks).toBeGreaterThan(4550); // Σ over n of n·(n + 8), plus 3 per proof element: the loops ran
  });

  it('fail for any size of another height, and for a same-height size exactly when the path changes sides', () => {
    // RFC 9162's check ties the proof to the root, not to the size: sizes whose trees put the leaf's siblings on
    // the same sides accept the same path. Signed tree heads bind size and root together for that reason.
    let otherHeight = 0;
    let accepted = 0;
    for (let n = 1; n <= 20; n++) {
      const tree = LEAVES.slice(0, n);
      const root = rootHash(tree);
      for (let i = 0; i < n; i++) {
        const proof = inclusionProof(tree, i);
        for (let s = 0; s <= 2 * n + 1; s++) {
          if (s === n) continue;
          const ok = verifyInclusion(tree[i], i, s, proof, root);
          const expected = i < s && sides(i, s) === sides(i, n);
          expect(ok, `n=${n} i=${i} size ${s}`).toBe(expected);
          if (s > 0 && height(s) !== height(n)) {
            expect(ok, `n=${n} i=${i} size ${s} (height ${height(s)} vs ${height(n)})`).toBe(false);
            otherHeight++;
          }
          if (ok) accepted++;
        }
      }
    }
    expect(otherHeight).toBe(3845);
    expect(accepted).toBeGreaterThan(0); // the caveat is real, e.g. leaf 0 of 3 leaves and of 4:
    const three = LEAVES.slice(0, 3);
    expect(verifyInclusion(three[0], 0, 4, inclusionProof(three, 0), rootHash(three))).toBe(true);
  });

  it('use full-width arithmetic for sizes past 2^32', () => {
    // Trees too big to build, checked by folding the path by hand.
    const leaf = LEAVES[0];
    const path = Array.from({ length: 33 }, (_, n) => sha([0, n]));
    const leftmost = path.reduce((r, p) => sha([1], r, p), leaf);
    expect(verifyInclusion(leaf, 0, 2 ** 33, path, leftmost)).toBe(true);
    const rightmost = path.reduce((r, p) => sha([1], p, r), leaf);
    expect(verifyInclusion(leaf, 2 ** 33 - 1, 2 ** 33, path, rightmost)).toBe(true);
    // The last leaf of 2^32 + 1 has one sibling, the whole first 2^32 leaves, on its left.
    expect(verifyInclusion(leaf, 2 ** 32, 2 ** 32 + 1, [path[0]], sha([1], path[0], leaf))).toBe(true);
    expect(verifyInclusion(leaf, 2 ** 32, 2 ** 32 + 2, [path[0]], sha([1], path[0], leaf))).toBe(false);
  });

  it('verifying hostile sizes is false, not a throw', () => {
    const root = rootHash(LEAVES.slice(0, 1));
    expect(verifyInclusion(LEAVES[0], 0, 1, [], root)).toBe(true);
    expect(verifyInclusion(LEAVES[0], 0, 0, [], root)).toBe(false);
    expect(verifyInclusion(LEAVES[0], 0, -1, [], root)).toBe(false);
    expect(verifyInclusion(LEAVES[0], 0, Number.NaN, [], root)).toBe(false);
    expect(verifyInclusion(LEAVES[0], 0, 2 ** 53, [], root)).toBe(false);
    expect(verifyInclusion(LEAVES[0].subarray(1), 0, 1, [], root.subarray(1))).toBe(false);
  });

  it('an index out of range is an error naming it', () => {
    expect(() => inclusionProof(LEAVES.slice(0, 5), 5)).toThrow('inclusionProof: leaf index 5 is out of range for a tree of 5 leaves (need 0 <= index < 5)');
    expect(() => inclusionProof(LEAVES.slice(0, 5), -1)).toThrow(/leaf index -1 is out of range/);
    expect(() => inclusionProof([], 0)).toThrow(/tree of 0 leaves/);
    expect(() => inclusionProof(LEAVES.slice(0, 5), 1.5)).toThrow(/leaf index 1.5/);
  });
});

describe('consistency proofs', () => {
  it('equal the reference PROOF and verify, for every 1 <= m <= n <= 20', () => {
    for (let n = 1; n <= 20; n++) {
      const newRoot = refMth(ENTRIES.slice(0, n));
      for (let m = 1; m <= n; m++) {
        const proof = consistencyProof(LEAVES, m, n);
        expect(proof.map(hex), `m=${m} n=${n}`).toEqual(refSubproof(m, ENTRIES.slice(0, n), true).map(hex));
        expect(proof.length).toBeLessThanOrEqual(height(n) + 1);
        expect(verifyConsistency(m, n, refMth(ENTRIES.slice(0, m)), newRoot, proof), `m=${m} n=${n}`).toBe(true);
      }
    }
  });

  it('fail for an altered root or proof element, a dropped or added element, or swapped sizes', () => {
    let checks = 0;
    const no = (ok: boolean, what: string) => {
      expect(ok, what).toBe(false);
      checks++;
    };
    for (let n = 1; n <= 20; n++) {
      const newRoot = rootHash(LEAVES.slice(0, n));
      for (let m = 1; m <= n; m++) {
        const oldRoot = rootHash(LEAVES.slice(0, m));
        const proof = consistencyProof(LEAVES, m, n);
        const at = `m=${m} n=${n}`;
        no(verifyConsistency(m, n, flip(oldRoot, 5), newRoot, proof), `${at}: altered old root`);
        no(verifyConsistency(m, n, oldRoot, flip(newRoot, 5), proof), `${at}: altered new root`);
        // A different old tree of the same size: the first leaf replaced.
        no(verifyConsistency(m, n, rootHash([LEAVES[32], ...LEAVES.slice(1, m)]), newRoot, proof), `${at}: another old tree`);
        for (let p = 0; p < proof.length; p++) {
          no(verifyConsistency(m, n, oldRoot, newRoot, replaced(proof, p, flip(proof[p], p))), `${at}: element ${p} altered`);
          no(verifyConsistency(m, n, oldRoot, newRoot, dropped(proof, p)), `${at}: element ${p} dropped`);
        }
        no(verifyConsistency(m, n, oldRoot, newRoot, [...proof, newRoot]), `${at}: element added at the end`);
        no(verifyConsistency(m, n, oldRoot, newRoot, [oldRoot, ...proof]), `${at}: element added in front`);
        if (m < n) {
          no(verifyConsistency(n, m, oldRoot, newRoot, proof), `${at}: sizes swapped`);
          no(verifyConsistency(n, m, newRoot, oldRoot, proof), `${at}: sizes and roots swapped`);
        }
      }
    }
    expect(checks).toBeGreaterThan(1430); // 7 per (m, n) with m < n, 5 with m = n, plus 2 per proof element
  });

  it('fail for any other old size, and for a new size of another height', () => {
    // As with inclusion, the new size is pinned only up to the tree's shape (3 and 4 leaves look alike from the
    // first leaf); the signed tree heads bind each size to its root.
    let otherHeight = 0;
    for (let n = 1; n <= 20; n++) {
      const newRoot = rootHash(LEAVES.slice(0, n));
      for (let m = 1; m <= n; m++) {
        const oldRoot = rootHash(LEAVES.slice(0, m));
        const proof = consistencyProof(LEAVES, m, n);
        for (let o = 0; o <= n; o++) if (o !== m) expect(verifyConsistency(o, n, oldRoot, newRoot, proof), `m=${m} as ${o}, n=${n}`).toBe(false);
        for (let s = m; s <= 2 * n + 1; s++) {
          if (height(s) === height(n)) continue;
          expect(verifyConsistency(m, s, oldRoot, newRoot, proof), `m=${m} n=${n} as ${s}`).toBe(false);
          otherHeight++;
        }
      }
    }
    expect(otherHeight).toBe(2620);
    const three = LEAVES.slice(0, 3);
    expect(verifyConsistency(1, 4, three[0], rootHash(three), consistencyProof(three, 1, 3))).toBe(true);
  });

  it('m = n needs an empty proof and equal roots; m = 0 and m > n have no proof', () => {
    const r5 = rootHash(LEAVES.slice(0, 5));
    expect(consistencyProof(LEAVES, 5, 5)).toEqual([]);
    expect(verifyConsistency(5, 5, r5, r5, [])).toBe(true);
    expect(verifyConsistency(5, 5, r5, rootHash(LEAVES.slice(0, 4)), [])).toBe(false);
    expect(verifyConsistency(5, 5, r5, r5, [r5])).toBe(false);
    expect(verifyConsistency(0, 5, rootHash([]), r5, [])).toBe(false);
    expect(verifyConsistency(0, 0, rootHash([]), rootHash([]), [])).toBe(false);
    expect(verifyConsistency(3, 5, rootHash(LEAVES.slice(0, 3)), r5, [])).toBe(false);
    expect(verifyConsistency(-1, 5, r5, r5, [])).toBe(false);
    expect(verifyConsistency(2.5, 5, r5, r5, [r5])).toBe(false);
    expect(() => consistencyProof(LEAVES, 0, 5)).toThrow('consistencyProof: sizes m=0, n=5 are out of range for 33 leaves (need 0 < m <= n <= 33)');
    expect(() => consistencyProof(LEAVES, 6, 5)).toThrow(/sizes m=6, n=5 are out of range/);
    expect(() => consistencyProof(LEAVES, 1, 34)).toThrow(/n=34 are out of range for 33 leaves/);
  });
});
