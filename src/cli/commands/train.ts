import type { Command } from 'commander';
import { ARCH_NAMES } from '../../models/registry.ts';
import { trainTask } from '../../jobs/train-task.ts';
import { DEFAULT_RECIPE } from '../../train/train.ts';
import { num, oneOf } from '../args.ts';
import { emit, pct, withContext, type GlobalOpts } from '../output.ts';
import { addDataOptions, dataRef } from './data-options.ts';

export function registerTrain(program: Command) {
  addDataOptions(program.command('train').description('train a model and write a checkpoint'), true)
    .option('--model <arch>', `architecture: ${ARCH_NAMES.join(', ')}`, oneOf(ARCH_NAMES), 'mlp')
    .option('--epochs <n>', 'epochs', num({ int: true, min: 1 }), DEFAULT_RECIPE.epochs)
    .option('--batch-size <n>', 'batch size', num({ int: true, min: 1, max: 65536 }), DEFAULT_RECIPE.batchSize)
    .option('--optimizer <name>', 'sgd or adam', oneOf(['sgd', 'adam'] as const), DEFAULT_RECIPE.optimizer)
    .option('--lr <x>', 'learning rate', num({ gt: 0, max: 10 }), DEFAULT_RECIPE.lr)
    .option('--weight-decay <x>', 'L2 weight decay', num({ min: 0, max: 1 }), DEFAULT_RECIPE.weightDecay)
    .option('--momentum <x>', 'SGD momentum', num({ min: 0, max: 0.999 }), DEFAULT_RECIPE.momentum)
    .option('--seed <n>', 'random seed', num({ int: true }), 1)
    .option('--out <dir>', 'checkpoint folder (default: runs/<model>-seed<seed>)')
    .action(async (o, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOpts>();
      const result = await withContext((ctx) => trainTask({
        data: dataRef(o),
        model: o.model,
        recipe: { epochs: o.epochs, batchSize: o.batchSize, optimizer: o.optimizer, lr: o.lr, weightDecay: o.weightDecay, momentum: o.momentum },
        seed: o.seed,
        out: o.out ?? `runs/${o.model}-seed${o.seed}`,
      }, ctx));
      const { losses, ...rest } = result;
      emit(g, { ...rest, finalLoss: losses.at(-1) }, () =>
        `trained ${o.model} in ${result.seconds.toFixed(1)} s on ${result.backend}: train ${pct(result.trainAcc)}, test ${pct(result.testAcc)} -> ${result.checkpoint}`);
    });
}
