import type { Command } from 'commander';
import { tableMarkdown } from '../../eval/table.ts';
import { ImportOnnxArgs, importOnnxTask, importPredictions } from '../../jobs/import-task.ts';
import { parseArgs } from '../../jobs/tasks.ts';
import { emit, pct, withContext, type GlobalOpts } from '../output.ts';
import { defaultOf, flagOf, number } from '../run.ts';
import { columnChoice } from './compare.ts';
import { addDataOptions } from './data-options.ts';

const d = (key: string) => defaultOf(ImportOnnxArgs, key);

export function define(cmd: Command) {
  cmd
    .option('--predictions <dir>', 'folder of exchange CSVs (id,label,split,p0..pK-1, or a regressor\'s id,target,split,prediction): original.csv, retrain*.csv, <method>[-seedN].csv, and forget.txt')
    .option('--onnx <file>', 'an ONNX model to bring in as a checkpoint (Conv, Gemm/MatMul, BatchNormalization, ReLU, pooling, Add, Flatten; '
      + 'images NCHW): it can then be unlearned, evaluated and retrained');
  addDataOptions(cmd, true)
    .option('--epochs <n>', `with --onnx: the training recipe recorded for --method retrain: epochs${d('epochs')}`, number)
    .option('--batch-size <n>', `batch size${d('batchSize')}`, number)
    .option('--optimizer <name>', `sgd or adam${d('optimizer')}`)
    .option('--lr <x>', `learning rate${d('lr')}`, number)
    .option('--weight-decay <x>', `L2 weight decay${d('weightDecay')}`, number)
    .option('--momentum <x>', `SGD momentum${d('momentum')}`, number)
    .option('--seed <n>', `seed of a retrain's fresh initialisation${d('seed')}`, number)
    .option('--columns <which>', 'with --predictions: metric columns of the printed table: default, all, or a comma list', columnChoice, 'default')
    .option('--out <dir>', 'with --predictions: folder for table.md/.csv/comparison.json (default: the predictions folder); '
      + 'with --onnx: the checkpoint folder (default: runs/onnx-<file name>)')
    .action(async (o, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOpts>();
      if (!o.predictions === !o.onnx) throw new Error('import: give either --predictions <dir> (a comparison from predictions) or --onnx <file> (a model)');
      if (o.onnx) return importModel(o, g);
      const c = await withContext((ctx) => importPredictions({ dir: o.predictions }, { ...ctx, out: o.out ?? o.predictions }));
      emit(g, { id: c.id, forget: c.forgetText, models: c.models.length, table: c.table }, () =>
        `${tableMarkdown(c, o.columns)}\n\nstored as comparison ${c.id}: lethe serve shows it (layer similarity and the embedding need weights, which predictions do not carry)`);
    });
}

async function importModel(o: Record<string, unknown>, g: GlobalOpts) {
  const { out, columns: _columns, predictions: _predictions, json: _json, ...raw } = o;
  const args = parseArgs(ImportOnnxArgs, { ...raw, data: raw.data ?? 'fashion-mnist' }, flagOf);
  const dir = (out as string | undefined) ?? `runs/${args.onnx.replace(/^.*[\\/]/, '').replace(/\.onnx$/i, '').replace(/^/, 'onnx-')}`;
  const r = await withContext((ctx) => importOnnxTask(args, { ...ctx, out: dir }));
  const s = r.source;
  emit(g, r, () => [
    `imported ${s.file} (${s.producer || 'unknown producer'}${s.producerVersion ? ` ${s.producerVersion}` : ''}, opset ${s.opset}; ${r.nodes} nodes -> ${r.layers} layers) `
      + `as ${r.arch} on ${r.backend}: train ${pct(r.trainAcc)}, test ${pct(r.testAcc)} -> ${r.checkpoint}`,
    `assumed trained on ${r.dataset}'s training split (${r.trainSamples} samples): that is its training manifest, so unlearning and lineage count them`,
    ...(s.softmaxDropped ? ['its final Softmax was dropped: Lethe models output logits (predict applies the softmax)'] : []),
  ].join('\n'));
}
