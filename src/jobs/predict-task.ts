// `lethe predict`: softmax probabilities of a checkpoint as CSV, the exchange format others use to check our numbers;
// for a regressor, its prediction of each sample beside the target (id,target,split,prediction, in the target's units).
import { createWriteStream, type WriteStream } from 'node:fs';
import { idsOfSplit, subset, type Split } from '../data/dataset.ts';
import { loadData, type DataRef } from '../data/registry.ts';
import { initBackend } from '../engine/backend.ts';
import { loadCheckpoint } from '../models/checkpoint.ts';
import { predictScores } from '../train/predict.ts';
import { checkDataFits } from '../unlearn/run.ts';
import { classHeader, REGRESSION_HEADER } from '../measure/predictions.ts';

export interface PredictArgs {
  model: string;
  data?: DataRef;
  split: Split | 'all';
  out: string | NodeJS.WritableStream;
}

/** Float32 values need 9 significant digits to round-trip; trailing zeros are trimmed for size. */
const fmt = (p: number) => String(Number(p.toPrecision(9)));

/** Opens `path`; an unwritable path is a clear error here, not an unhandled 'error' event that kills the process later. */
function openOut(path: string): Promise<WriteStream> {
  return new Promise((res, rej) => {
    const stream = createWriteStream(path);
    stream.once('error', (e: NodeJS.ErrnoException) => rej(new Error(`${path}: cannot write (${e.code ?? e.message})`)));
    stream.once('open', () => res(stream));
  });
}

export async function predictTask(args: PredictArgs): Promise<{ rows: number; out: string; classes: number }> {
  await initBackend();
  const { model, meta } = await loadCheckpoint(args.model);
  try {
    const ds = loadData(args.data ?? meta.dataset);
    const splits: Split[] = args.split === 'all' ? ['train', 'test'] : [args.split];
    // Another data set's rows would be fed to the model, or its k columns read from a different number of outputs.
    checkDataFits(ds, meta, args.model);
    // A regressor's one output is its prediction, in the target's units; a classifier's k outputs are probabilities.
    const regression = !!ds.target;
    const k = regression ? 1 : ds.numClasses;
    const stream: NodeJS.WritableStream = typeof args.out === 'string' ? await openOut(args.out) : args.out;
    const header = (regression ? REGRESSION_HEADER : classHeader(k)).join(',');
    stream.write(header + '\n');
    let rows = 0;
    for (const split of splits) {
      const ids = idsOfSplit(ds, split);
      // Chunks keep memory flat on large sets.
      for (let start = 0; start < ids.length; start += 5000) {
        const s = subset(ds, ids.subarray(start, start + 5000));
        const probs = predictScores(model, s);
        let text = '';
        for (let i = 0; i < s.ids.length; i++) {
          text += `${s.ids[i]},${regression ? fmt(s.target![i]) : s.y[i]},${split}`;
          for (let c = 0; c < k; c++) text += ',' + fmt(probs[i * k + c]);
          text += '\n';
        }
        if (!stream.write(text)) await new Promise((r) => stream.once('drain', r));
        rows += s.ids.length;
      }
    }
    if (typeof args.out === 'string') {
      await new Promise<void>((res, rej) => {
        stream.once('error', rej);
        stream.end(() => res());
      });
    }
    return { rows, out: typeof args.out === 'string' ? args.out : '-', classes: regression ? 0 : k };
  } finally {
    model.dispose();
  }
}
