// An analytic head on a core-trained backbone, end to end through the tasks: the backbone trains only on data
// declared non-deletable (--core), the head reads its penultimate features, deletions of anything else are exact
// (checked against a head refitted from scratch) and a deletion touching the core is refused before any work.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tfc from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { subset } from '../src/data/dataset.ts';
import { resolveForget } from '../src/data/forget/index.ts';
import { loadData } from '../src/data/registry.ts';
import { cliEnv } from '../src/jobs/edges.ts';
import { parseTaskArgs, runTask } from '../src/jobs/tasks.ts';
import { featureMap, FEATURES_LAYER } from '../src/models/analytic/model.ts';
import { loadCheckpoint, readMeta, type Checkpoint } from '../src/models/checkpoint.ts';
import { tf } from '../src/models/layers.ts';

const work = mkdtempSync(join(tmpdir(), 'lethe-backbone-'));
const ctx = (name: string) => ({ out: join(work, name), modelDir: (d: string) => d });
const ds = loadData({ name: 'synthetic' });
const CORE = 'random:0.3:seed=1';
let backbone: Checkpoint, head: Checkpoint;

beforeAll(async () => {
  await runTask('train', parseTaskArgs('train', { data: 'synthetic', model: 'mlp', epochs: 3, seed: 2, core: CORE }, cliEnv), ctx('core'));
  await runTask('train', parseTaskArgs('train', { data: 'synthetic', model: 'mlp', seed: 4, recipe: `analytic:backbone=${join(work, 'core')},dim=64` }, cliEnv), ctx('head'));
  [backbone, head] = await Promise.all([loadCheckpoint(join(work, 'core')), loadCheckpoint(join(work, 'head'))]);
}, 120_000);

afterAll(() => {
  backbone?.model.dispose();
  head?.model.dispose();
  rmSync(work, { recursive: true, force: true });
});

describe('an analytic head on a core-trained backbone', () => {
  it('the backbone trained on the core only, and the head records it as its core and backbone', () => {
    const core = resolveForget(ds, { kind: 'random', fraction: 0.3, seed: 1 }).forget;
    expect(backbone.meta.core).toEqual({ kind: 'random', fraction: 0.3, seed: 1 });
    expect(backbone.meta.trainHash.endsWith(`:${core.length}`)).toBe(true);
    expect(head.meta).toMatchObject({ kind: 'analytic', arch: 'mlp-features-64', core: backbone.meta.core, head: { dim: 64, backbone: backbone.meta.id, rows: 1200 } });
    expect(head.meta.metrics.testAcc).toBeGreaterThan(85);
  });

  it("its features are ReLU(K·z), z the backbone's penultimate layer (dense2), computed by the backbone itself", () => {
    const rows = subset(ds, [5, 17, 900]);
    const F = featureMap(head.model)(rows, 0, 3);
    const probe = tf.model({ inputs: backbone.model.inputs, outputs: backbone.model.getLayer('dense2').output as tf.SymbolicTensor });
    const z = tfc.tidy(() => (probe.predict(tfc.tensor(rows.x, [3, ...rows.inputShape])) as tfc.Tensor).arraySync() as number[][]);
    const K = head.model.getLayer(FEATURES_LAYER).getWeights()[0].arraySync() as number[][];
    for (let r = 0; r < 3; r++) {
      for (const j of [0, 7, 63]) {
        const g = z[r].reduce((s, v, t) => s + v * K[t][j], 0);
        expect(F[r * 65 + j]).toBeCloseTo(Math.max(0, g), 4);
      }
      expect(F[r * 65 + 64]).toBe(1);
    }
  });

  it('deleting non-core data is exact: the downdated head equals one refitted on the retain set, to 1e-9 relative', async () => {
    const core = new Set(resolveForget(ds, { kind: 'random', fraction: 0.3, seed: 1 }).forget);
    const ids = Array.from(resolveForget(ds, { kind: 'class', classes: [2] }).forget).filter((id) => !core.has(id)).slice(0, 40);
    for (const method of ['analytic', 'retrain']) {
      await runTask('unlearn', parseTaskArgs('unlearn', { model: join(work, 'head'), forget: { kind: 'ids', ids }, method }, cliEnv), ctx(method));
    }
    const [a, r] = await Promise.all([loadCheckpoint(join(work, 'analytic')), loadCheckpoint(join(work, 'retrain'))]);
    let num = 0;
    let den = 0;
    a.head!.W.forEach((v, i) => { num += (v - r.head!.W[i]) ** 2; den += r.head!.W[i] ** 2; });
    expect(Math.sqrt(num / den)).toBeLessThan(1e-9);
    expect(readMeta(join(work, 'analytic'))).toMatchObject({ kind: 'analytic', core: backbone.meta.core, head: { backbone: backbone.meta.id, rows: 1200 - ids.length } });
    a.model.dispose();
    r.model.dispose();
  });

  it('eval and compare --exact measure a backbone head like any model (its graph is copied, not rebuilt from an arch name)', async () => {
    const m = await runTask('eval', parseTaskArgs('eval', { model: join(work, 'analytic'), reference: join(work, 'retrain'), forget: 'class:2' }, cliEnv), ctx('.'));
    expect(Number.isFinite(m.relearnAcc)).toBe(true);
    const base = await runTask('train', parseTaskArgs('train', { data: 'synthetic', model: 'mlp', epochs: 1, seed: 4 }, cliEnv), ctx('single'));
    const core = new Set(resolveForget(ds, { kind: 'random', fraction: 0.3, seed: 1 }).forget);
    const ids = Array.from(resolveForget(ds, { kind: 'class', classes: [3] }).forget).filter((id) => !core.has(id)).slice(0, 10);
    const c = await runTask('compare', parseTaskArgs('compare', { original: base.checkpoint, forget: { kind: 'ids', ids }, methods: ['ft'], seeds: 1, exact: [join(work, 'head')] }, cliEnv), ctx('cmp'));
    expect(c.methods).toEqual(['ft', 'analytic@mlp-features-64']);
    // A request touching the core is refused before any method runs, naming the ids.
    const touching = parseTaskArgs('compare', { original: base.checkpoint, forget: 'class:3', methods: ['ft'], seeds: 1, exact: [join(work, 'head')] }, cliEnv);
    let events = 0;
    await expect(runTask('compare', touching, { ...ctx('cmp2'), onProgress: () => events++ })).rejects.toThrow(/are core data \(random:0.3:seed=1\), declared non-deletable/);
    expect(events).toBe(0);
  });

  it('a deletion touching the core is refused before any work, naming the ids', async () => {
    const core = Array.from(resolveForget(ds, { kind: 'random', fraction: 0.3, seed: 1 }).forget);
    let events = 0;
    const args = parseTaskArgs('unlearn', { model: join(work, 'head'), forget: { kind: 'ids', ids: [core[0], core[1]] }, method: 'analytic' }, cliEnv);
    await expect(runTask('unlearn', args, { ...ctx('never'), onProgress: () => events++ }))
      .rejects.toThrow(`ids ${core[0]}, ${core[1]} are core data (random:0.3:seed=1), declared non-deletable`);
    expect(events).toBe(0);
  });

  it('a backbone not trained on declared core data, or a recipe with --core, is one error before any work', () => {
    expect(() => parseTaskArgs('train', { data: 'synthetic', model: 'mlp', recipe: `analytic:backbone=${join(work, 'head')}` }, cliEnv))
      .toThrow('is an analytic model: a backbone is a single network');
    expect(() => parseTaskArgs('train', { data: 'synthetic', model: 'mlp', recipe: `analytic:backbone=${join(work, 'nowhere')}` }, cliEnv)).toThrow(/nowhere/);
    expect(() => parseTaskArgs('train', { data: 'synthetic', model: 'mlp', recipe: 'analytic', core: CORE }, cliEnv)).toThrow(/only a gradient-trained model/);
  });
});
