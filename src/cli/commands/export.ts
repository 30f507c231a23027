import type { Command } from 'commander';
import { exportCheckpoint } from '../../models/onnx/export.ts';
import { emit, type GlobalOpts } from '../output.ts';

const size = (n: number) => (n >= 1 << 20 ? `${(n / (1 << 20)).toFixed(1)} MB` : n >= 1024 ? `${(n / 1024).toFixed(1)} kB` : `${n} B`);

export function define(cmd: Command) {
  cmd
    .requiredOption('--model <dir>', 'checkpoint folder of a single model (sharded and analytic models are not one network)')
    .requiredOption('--onnx <file>', 'ONNX file to write (opset 13): input "input" NCHW [N,C,H,W] for images or [N,F] for tabular rows; outputs "probs" (softmax) and "logits"')
    .action(async (o, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOpts>();
      const r = await exportCheckpoint(o.model, o.onnx);
      emit(g, r, () => `wrote ${r.file} (${size(r.bytes)}, ONNX opset ${r.opset}): input "${r.input.name}" float32 [${r.input.dims.join(',')}] ${r.input.layout}, `
        + `outputs ${r.outputs.map((x) => `"${x.name}" [${x.dims.join(',')}]`).join(' and ')} (softmax probabilities and logits)`);
    });
}
