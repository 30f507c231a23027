import type { Command } from 'commander';
import { TrainArgs } from '../../jobs/train-task.ts';
import { recipeHelp } from '../../train/recipe.ts';
import { forgetSpec } from '../args.ts';
import { ARCH_NAMES } from '../../models/registry.ts';
import { emit, pct, type GlobalOpts } from '../output.ts';
import { defaultOf, number, runCli } from '../run.ts';
import { addDataOptions } from './data-options.ts';

const d = (key: string) => defaultOf(TrainArgs, key);

export function define(cmd: Command) {
  addDataOptions(cmd, true)
    .option('--model <arch>', `architecture: ${ARCH_NAMES.join(', ')}`, 'mlp')
    .option('--epochs <n>', `epochs${d('epochs')}`, number)
    .option('--batch-size <n>', `batch size${d('batchSize')}`, number)
    .option('--optimizer <name>', `sgd or adam${d('optimizer')}`)
    .option('--lr <x>', `learning rate${d('lr')}`, number)
    .option('--weight-decay <x>', `L2 weight decay${d('weightDecay')}`, number)
    .option('--momentum <x>', `SGD momentum${d('momentum')}`, number)
    .option('--seed <n>', `random seed${d('seed')}`, number)
    .option('--recipe <spec>', `${recipeHelp()} (defaults shown): a random-feature ridge head, deletable exactly by --method analytic, or a SISA/S3T ensemble, by --method sisa (default: gradient training)`)
    .option('--core <spec>', 'train only on these samples, declared non-deletable (a forget spec): a backbone for analytic:backbone=<this checkpoint>', forgetSpec)
    .option('--out <dir>', 'checkpoint folder (default: runs/<model>-seed<seed>)')
    .action(async ({ out, ...o }, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOpts>();
      delete (o as { json?: boolean }).json;
      const what = o.recipe ? String(o.recipe).split(':')[0] : o.model;
      const r = await runCli('train', { ...o, data: o.data ?? 'fashion-mnist' }, out ?? `runs/${what}-seed${o.seed ?? 1}`);
      const { losses, ...rest } = r;
      emit(g, { ...rest, finalLoss: losses.at(-1) }, () =>
        `trained ${what} in ${r.seconds.toFixed(1)} s on ${r.backend}: ${r.task === 'regression' ? `train L1 ${r.trainL1!.toFixed(2)}, test L1 ${r.testL1!.toFixed(2)}` : `train ${pct(r.trainAcc!)}, test ${pct(r.testAcc!)}`} -> ${r.checkpoint}${r.note ? `\n${r.note}` : ''}`);
    });
}
