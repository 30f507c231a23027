import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashIds, idsOfSplit, subset } from '../data/dataset.ts';
import { synthetic } from '../data/synthetic.ts';
import { initBackend } from '../engine/backend.ts';
import { predictProbs } from '../train/predict.ts';
import { train } from '../train/train.ts';
import { loadCheckpoint, readMeta, saveCheckpoint, type NewMeta } from './checkpoint.ts';
import type { Model } from './layers.ts';
import { fitHead } from './analytic/fit.ts';
import { analyticArch } from './analytic/model.ts';
import { headFiles, headMetaOf } from './analytic/state.ts';
import { buildModel } from './registry.ts';

const root = mkdtempSync(join(tmpdir(), 'lethe-ckpt-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
beforeAll(async () => {
  await initBackend();
});

const ds = synthetic();
const trainIds = idsOfSplit(ds, 'train');
const probe = subset(ds, Int32Array.from({ length: 64 }, (_, i) => 1200 + i));
const PKG_VERSION = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version;

function meta(arch: string, seed = 1): NewMeta {
  return {
    parent: null, arch, dataset: { name: 'synthetic' }, inputShape: ds.inputShape, numClasses: ds.numClasses, seed,
    trainHash: hashIds(trainIds), recipe: { epochs: 1, batchSize: 32, optimizer: 'adam', lr: 0.01, weightDecay: 0, momentum: 0.9 },
    method: 'train', params: {}, forget: null, metrics: { testAcc: 12.5 },
  };
}

/** Every weight (trainable or not, e.g. batch-norm moving averages) as name -> bytes. */
function weightBytes(model: Model): Map<string, Buffer> {
  return new Map(model.weights.map((w) => {
    const t = w.read();
    return [w.originalName, Buffer.from((t.dataSync() as Float32Array).buffer.slice(0))];
  }));
}

function sameWeights(a: Model, b: Model) {
  const wa = weightBytes(a);
  const wb = weightBytes(b);
  expect([...wb.keys()]).toEqual([...wa.keys()]);
  for (const [name, bytes] of wa) expect(bytes.equals(wb.get(name)!), name).toBe(true);
}

describe('checkpoint round trip', () => {
  it.each(['mlp', 'small-cnn', 'resnet-mini'])('%s: same weights and same predictions after save and load', async (arch) => {
    const model = buildModel(arch, ds.inputShape, ds.numClasses, 3);
    // A short training run moves the weights away from their seeded init and fills batch-norm statistics.
    await train(model, subset(ds, trainIds.subarray(0, 64)), { ...meta(arch).recipe }, { seed: 3 });
    const dir = join(root, arch);
    await saveCheckpoint(dir, model, meta(arch));
    const loaded = await loadCheckpoint(dir);
    try {
      sameWeights(model, loaded.model);
      const want = predictProbs(model, probe);
      const got = predictProbs(loaded.model, probe);
      expect(Buffer.from(got.buffer).equals(Buffer.from(want.buffer))).toBe(true);
      // and they are real probabilities
      for (let i = 0; i < 64; i++) expect(got[i * 4] + got[i * 4 + 1] + got[i * 4 + 2] + got[i * 4 + 3]).toBeCloseTo(1, 5);
      expect(loaded.meta.arch).toBe(arch);
      expect(readdirSync(root).filter((e) => e.startsWith('.'))).toEqual([]);
    } finally {
      model.dispose();
      loaded.model.dispose();
    }
  });
});

describe('checkpoint files', () => {
  let model: Model;
  beforeAll(() => {
    model = buildModel('mlp', ds.inputShape, ds.numClasses, 1);
  });
  afterAll(() => model.dispose());

  it('writes model.json, weights.bin and a complete meta.json', async () => {
    const dir = join(root, 'files', 'm');
    const t0 = Date.now();
    const returned = await saveCheckpoint(dir, model, meta('mlp', 5));
    expect(readdirSync(dir).sort()).toEqual(['meta.json', 'model.json', 'weights.bin']);
    const m = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8'));
    expect(m).toEqual(returned);
    expect(m.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(m.parent).toBeNull();
    expect(m.arch).toBe('mlp');
    expect(m.dataset).toEqual({ name: 'synthetic' });
    expect(m.seed).toBe(5);
    expect(m.trainHash).toBe(hashIds(trainIds));
    expect(m.trainHash).toMatch(/:1200$/);
    expect(m.method).toBe('train');
    expect(m.forget).toBeNull();
    expect(m.metrics).toEqual({ testAcc: 12.5 });
    expect(m.recipe).toEqual(meta('mlp').recipe);
    expect(m.version).toBe(PKG_VERSION);
    const created = Date.parse(m.created);
    expect(created).toBeGreaterThanOrEqual(t0 - 1000);
    expect(created).toBeLessThanOrEqual(Date.now() + 1000);
    // mlp on 8x8x1: flatten 64 -> 256 -> 128 -> 4; float32 weights and biases
    const params = 64 * 256 + 256 + 256 * 128 + 128 + 128 * 4 + 4;
    expect(readFileSync(join(dir, 'weights.bin')).length).toBe(params * 4);
    const mj = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    expect(mj.format).toBe('layers-model');
    expect(mj.weightsManifest[0].paths).toEqual(['weights.bin']);
    expect(readMeta(dir)).toEqual(m);
  });

  it('keeps an explicit id and parent', async () => {
    const dir = join(root, 'files', 'child');
    const m = await saveCheckpoint(dir, model, { ...meta('mlp'), id: 'child-1', parent: 'base-0', method: 'ft', params: { lr: 0.1 }, forget: { kind: 'class', classes: [1] } });
    expect(readMeta(dir)).toMatchObject({ id: 'child-1', parent: 'base-0', method: 'ft', params: { lr: 0.1 }, forget: { kind: 'class', classes: [1] } });
    expect(m.id).toBe('child-1');
  });

  it('overwrites an existing checkpoint and leaves no temp folders', async () => {
    const parent = join(root, 'overwrite');
    const dir = join(parent, 'ck');
    const other = buildModel('mlp', ds.inputShape, ds.numClasses, 2);
    try {
      const first = await saveCheckpoint(dir, model, meta('mlp', 1));
      const second = await saveCheckpoint(dir, other, meta('mlp', 2));
      expect(second.id).not.toBe(first.id);
      const loaded = await loadCheckpoint(dir);
      sameWeights(other, loaded.model);
      expect(loaded.meta.seed).toBe(2);
      loaded.model.dispose();
      expect(readdirSync(parent)).toEqual(['ck']);
      expect(readdirSync(dir).sort()).toEqual(['meta.json', 'model.json', 'weights.bin']);
    } finally {
      other.dispose();
    }
  });

  it('a save that fails (parent is a file) leaves nothing behind', async () => {
    const parent = join(root, 'blocked');
    writeFileSync(parent, 'not a folder');
    await expect(saveCheckpoint(join(parent, 'ck'), model, meta('mlp'))).rejects.toThrow(/ENOTDIR|EEXIST/);
    expect(readFileSync(parent, 'utf8')).toBe('not a folder');
    expect(readdirSync(root).filter((e) => e.startsWith('.'))).toEqual([]);
  });

  it('a save that fails halfway keeps the old checkpoint whole and removes the temp folder', async () => {
    const parent = join(root, 'halfway');
    const dir = join(parent, 'ck');
    await saveCheckpoint(dir, model, meta('mlp', 1));
    const broken = buildModel('mlp', ds.inputShape, ds.numClasses, 9);
    broken.dispose(); // reading its weights during save now throws, after the temp folder exists
    await expect(saveCheckpoint(dir, broken, meta('mlp', 9))).rejects.toThrow(/disposed/);
    expect(readdirSync(parent)).toEqual(['ck']);
    const loaded = await loadCheckpoint(dir);
    expect(loaded.meta.seed).toBe(1);
    sameWeights(model, loaded.model);
    loaded.model.dispose();
  });

  it('an invalid meta is rejected before anything is written', async () => {
    const dir = join(root, 'invalid-meta', 'ck');
    await expect(saveCheckpoint(dir, model, { ...meta('mlp'), seed: 1.5 })).rejects.toThrow();
    expect(existsSync(dir)).toBe(false);
  });
});

describe('broken checkpoints', () => {
  let model: Model;
  beforeAll(() => {
    model = buildModel('mlp', ds.inputShape, ds.numClasses, 1);
  });
  afterAll(() => model.dispose());

  async function fresh(name: string): Promise<string> {
    const dir = join(root, 'broken', name);
    await saveCheckpoint(dir, model, meta('mlp'));
    return dir;
  }

  it('no folder', async () => {
    await expect(loadCheckpoint(join(root, 'broken', 'none'))).rejects.toThrow(/no checkpoint at .*none/);
  });

  it('missing model.json', async () => {
    const dir = await fresh('no-model');
    rmSync(join(dir, 'model.json'));
    await expect(loadCheckpoint(dir)).rejects.toThrow(/checkpoint .*no-model: missing model\.json/);
  });

  it('missing weights.bin', async () => {
    const dir = await fresh('no-weights');
    rmSync(join(dir, 'weights.bin'));
    await expect(loadCheckpoint(dir)).rejects.toThrow(/checkpoint .*no-weights: missing weights\.bin/);
  });

  it('truncated weights.bin', async () => {
    const dir = await fresh('short-weights');
    const full = readFileSync(join(dir, 'weights.bin')).length;
    truncateSync(join(dir, 'weights.bin'), full - 100);
    await expect(loadCheckpoint(dir)).rejects.toThrow(new RegExp(`short-weights: weights\\.bin has ${full - 100} bytes, model\\.json needs ${full}`));
  });

  it('missing meta.json', async () => {
    const dir = await fresh('no-meta');
    rmSync(join(dir, 'meta.json'));
    await expect(loadCheckpoint(dir)).rejects.toThrow(/no-meta: missing meta\.json/);
  });

  it('corrupt meta.json (not JSON)', async () => {
    const dir = await fresh('bad-meta');
    writeFileSync(join(dir, 'meta.json'), '{"id": "x", ');
    await expect(loadCheckpoint(dir)).rejects.toThrow(/bad-meta: meta\.json is corrupt/);
  });

  it('meta.json of the wrong shape names the field', async () => {
    const dir = await fresh('odd-meta');
    const m = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8'));
    delete m.arch;
    writeFileSync(join(dir, 'meta.json'), JSON.stringify(m));
    await expect(loadCheckpoint(dir)).rejects.toThrow(/odd-meta: meta\.json is invalid \(arch: /);
  });

  it('corrupt model.json', async () => {
    const dir = await fresh('bad-model');
    writeFileSync(join(dir, 'model.json'), 'garbage');
    await expect(loadCheckpoint(dir)).rejects.toThrow(/bad-model: model\.json is corrupt/);
    writeFileSync(join(dir, 'model.json'), '{}');
    await expect(loadCheckpoint(dir)).rejects.toThrow(/bad-model: model\.json has no topology or weights manifest/);
  });
});

describe('analytic checkpoints', () => {
  const dir = join(root, 'analytic');
  let model: Model;
  let head: Awaited<ReturnType<typeof fitHead>>;
  const analyticMeta = (): NewMeta => ({ ...meta(analyticArch(16)), kind: 'analytic', head: headMetaOf(head, 1) });

  beforeAll(async () => {
    model = buildModel(analyticArch(16), ds.inputShape, ds.numClasses, 1);
    head = await fitHead(model, subset(ds, trainIds), 16, 0.1);
    await saveCheckpoint(dir, model, analyticMeta(), headFiles(head));
  });
  afterAll(() => model.dispose());

  it('keep the float64 head beside the weights, bit for bit, and predict as saved', async () => {
    const cp = await loadCheckpoint(dir);
    expect(cp.meta.kind).toBe('analytic');
    expect(cp.meta.head).toEqual({ dim: 16, gamma: 0.1, featureSeed: 1, rows: 1200 });
    expect(Buffer.from(cp.head!.R.buffer, cp.head!.R.byteOffset, cp.head!.R.byteLength)).toEqual(Buffer.from(head.R.buffer));
    expect(Array.from(cp.head!.W)).toEqual(Array.from(head.W));
    expect(Array.from(predictProbs(cp.model, probe))).toEqual(Array.from(predictProbs(model, probe)));
    cp.model.dispose();
  });

  it('an analytic checkpoint is never written without its head state, nor a single one with one', async () => {
    await expect(saveCheckpoint(join(root, 'no-head'), model, analyticMeta())).rejects.toThrow(/analytic checkpoint needs its head/);
    await expect(saveCheckpoint(join(root, 'odd'), model, { ...analyticMeta(), kind: 'single' }, headFiles(head))).rejects.toThrow(/single checkpoint has no analytic head/);
    expect(existsSync(join(root, 'no-head'))).toBe(false);
  });

  it('a head.bin of the wrong size is one clear error', async () => {
    const bad = join(root, 'analytic-bad');
    await saveCheckpoint(bad, model, analyticMeta(), headFiles(head));
    truncateSync(join(bad, 'head.bin'), 100);
    // p = 17, c = 4: R and W are 17² + 17·4 = 357 float64s (2856 bytes); A and B as many again; 4·17² more with class statistics.
    await expect(loadCheckpoint(bad)).rejects.toThrow(/head\.bin has 100 bytes; dim 16 and 4 classes need 5712 \(R, W, A, B\), 14960 with per-class statistics, or 2856 in the older layout without A and B$/);
  });
});
