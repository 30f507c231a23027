// Bad Teaching: Chundawat, Tarun, Mandal & Kankanhalli, "Can Bad Teaching Induce Forgetting? Unlearning in Deep Networks Using an Incompetent Teacher", AAAI 2023.
import { z } from 'zod';
import { subset } from '../../data/dataset.ts';
import { shuffle, subSeed } from '../../shared/random.ts';
import { batchStream, buildModel, distillKL, forwardTrain, loop, methodRng, softTargets, step, tfc, tuneCopy } from '../kit.ts';
import { checkpointAbort } from '../../train/progress.ts';
import { defineMethod } from '../method.ts';

/**
 * Additive logit mask: 0 for the classes that have retain samples, -1e9 for those that have none. A model retrained
 * on the retain set never predicts a class it has no samples of; a randomly initialised teacher does, and puts
 * a share of some forgotten classes back in their own class (27-32% of classes 1, 2 and 4 of a full-data
 * Fashion-MNIST MLP end in their own class after unmasked distillation), which the student then copies.
 */
export function retainedClassMask(retainLabels: Int32Array, numClasses: number): Float32Array {
  const present = new Uint8Array(numClasses);
  for (const y of retainLabels) present[y] = 1;
  return Float32Array.from(present, (p) => (p ? 0 : -1e9));
}

export const badTeacher = defineMethod({
  name: 'bad-teacher',
  kind: 'approximate',
  accepts: ['single'],
  summary: 'distil from the original on retain samples and, on forget samples, from a randomly initialised (incompetent) teacher limited to the classes still retained',
  paper: 'Chundawat et al., "Can Bad Teaching Induce Forgetting? Unlearning in Deep Networks Using an Incompetent Teacher", AAAI 2023',
  params: z.object({
    steps: z.number().int().min(1).max(100_000).default(90)
      .describe('optimizer steps, each on one batch of the mixed set (forget set + retain subset); the paper\'s one pass is ~90 on full Fashion-MNIST'),
    retainFraction: z.number().gt(0).max(1).default(0.3).describe('share of the retain set, sampled once, mixed in with the forget set'),
    temperature: z.number().gt(0).max(100).default(1).describe('distillation temperature of both teachers (the paper\'s 1)'),
    retainedClassesOnly: z.boolean().default(true)
      .describe('the incompetent teacher predicts only classes the retain set still has, as a retrained model must (false: the paper\'s unmasked random teacher)'),
    lr: z.number().gt(0).max(1).default(3e-4).describe('Adam learning rate'),
    batchSize: z.number().int().min(1).max(4096).default(256).describe('mini-batch size (forget and retain samples mixed)'),
  }).strict(),
  search: {
    steps: { low: 30, high: 300, log: true, int: true },
    lr: { low: 3e-5, high: 3e-3, log: true },
    retainFraction: { low: 0.1, high: 1 },
  },
  run(ctx, p) {
    const { meta } = ctx;
    const nr = Math.max(1, Math.round(p.retainFraction * ctx.retain.ids.length));
    const retainIds = shuffle(Int32Array.from(ctx.retain.ids), methodRng(ctx, 'bad-teacher:retain')).subarray(0, nr);
    const ids = Int32Array.from([...ctx.forget.ids, ...retainIds]);
    const data = subset(ctx.dataset, ids);
    // Rows [0, nForget) of `data` are forget samples: they are taught by the incompetent teacher.
    const nForget = ctx.forget.ids.length;
    const k = meta.numClasses;
    return tuneCopy(ctx, p.lr, async (student, vars, opt) => {
      const incompetent = buildModel(meta.arch, meta.inputShape, k, subSeed(ctx.seed, 'bad-teacher:incompetent'), ctx.original);
      const mask = p.retainedClassesOnly ? tfc.tensor2d(retainedClassMask(ctx.retain.y, k), [1, k]) : undefined;
      try {
        const stream = batchStream(data, p.batchSize, ctx.seed, 'bad-teacher');
        const T = p.temperature;
        await loop(ctx, 'bad-teacher', p.steps, () =>
          tfc.tidy(() => {
            const b = stream.next();
            const isForget = tfc.tensor2d(Array.from(b.index, (r) => (r < nForget ? 1 : 0)), [b.index.length, 1], 'bool');
            // Both teachers run in inference mode outside the gradient: only the student's variables are trained.
            const target = tfc.where(isForget, softTargets(incompetent, b.x, T, mask), softTargets(ctx.original, b.x, T));
            return step(opt, vars, () => distillKL(forwardTrain(student, b.x), target, T));
          }));
        // A small request is a step or two: a cancel that arrived during the last one still counts.
        await checkpointAbort(ctx.signal, 'bad-teacher');
      } finally {
        incompetent.dispose();
        mask?.dispose();
      }
    });
  },
});
