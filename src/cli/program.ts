// The `lethe` command's parser: one map of commands. A command's flags and code load only when it runs (or
// its help is asked for), so `lethe --help` and the commands that need no TensorFlow.js start fast.
import { Command } from 'commander';
import { LETHE_VERSION } from '../models/version.ts';

type Definition = { define(cmd: Command): void };

export const COMMANDS = {
  train: { summary: 'train a model and write a checkpoint', load: () => import('./commands/train.ts') },
  unlearn: { summary: 'remove the influence of a deletion request from a trained model', load: () => import('./commands/unlearn.ts') },
  compare: { summary: 'run retrain and the chosen methods on one deletion request over several seeds; print the table', load: () => import('./commands/compare.ts') },
  bank: { summary: 'N retrained models and N runs of a method from the original: forgetting quality ε (NeurIPS 2023 challenge) and KLOM', load: () => import('./commands/bank.ts') },
  ulira: { summary: 'U-LiRA (Hayes et al. 2024): K shadow models, the method unlearning in each; the per-example unlearning attack (50% = ideal) and its effect on retain examples', load: () => import('./commands/ulira.ts') },
  tune: { summary: "choose each method's parameters for a model and a forget request on a validation split (never the test set)", load: () => import('./commands/tune.ts') },
  continual: { summary: 'apply a sequence of deletion requests one after another; cost, accuracy and live prefixes after each', load: () => import('./commands/continual.ts') },
  eval: { summary: 'measure one model against a retrained reference', load: () => import('./commands/eval.ts') },
  methods: { summary: 'list the unlearning methods with their parameters and defaults', load: () => import('./commands/methods.ts') },
  import: { summary: "bring in models Lethe did not train: a comparison from other frameworks' predictions", load: () => import('./commands/import.ts') },
  predict: { summary: "write softmax probabilities as CSV: id,label,split,p0..pK-1 (a regressor's predictions: id,target,split,prediction)", load: () => import('./commands/predict.ts') },
  export: { summary: 'write a single model as an ONNX file (opset 13, NCHW image input) for onnxruntime or PyTorch', load: () => import('./commands/export.ts') },
  manipulate: { summary: 'derive a data set for corrective unlearning: a backdoor patch (--poison) or label swaps (--confuse), recording which samples', load: () => import('./commands/manipulate.ts') },
  protect: { summary: 'write a protected copy of a data set (unlearnable data: --method cuda): a model trained on its train images learns little that carries to clean ones', load: () => import('./commands/protect.ts') },
  forget: { summary: 'resolve a deletion request into the sample ids it removes', load: () => import('./commands/forget.ts') },
  deploy: { summary: 'put a checkpoint under the deletion service: a named deployment with a policy', load: () => import('./commands/deploy.ts') },
  delete: { summary: 'file a deletion request against a deployment and apply it (exact or approximate, per its policy)', load: () => import('./commands/delete.ts') },
  deployments: { summary: "list deployments, or one deployment's versions and requests (--name)", load: () => import('./commands/deployments.ts') },
  deletions: { summary: "apply a deployment's open deletion requests (after --no-wait or a crash) and its due exact retrain", load: () => import('./commands/deletions.ts') },
  ledger: { summary: 'the deletion ledger: key (public key), show (a request\'s certificates), verify', load: () => import('./commands/ledger.ts') },
  lineage: { summary: 'which model versions and checkpoints were trained on a sample or an owner (--group)', load: () => import('./commands/lineage.ts') },
  info: { summary: 'backend, data and store', load: () => import('./commands/info.ts') },
  serve: { summary: 'serve the visual comparator and the HTTP API (jobs run in worker threads)', load: () => import('./commands/serve.ts') },
  demo: { summary: 'train on Fashion-MNIST, compare every method against retraining, then serve the UI', load: () => import('./commands/demo.ts') },
} satisfies Record<string, { summary: string; load: () => Promise<Definition> }>;

/** The command an argument list runs (`lethe --json train …` → train; `lethe help train` → train). */
function commandOf(args: string[]): string | undefined {
  const words = args.filter((a) => !a.startsWith('-'));
  return words[0] === 'help' ? words[1] : words[0];
}

/**
 * The program. With `argv`, only the command it runs is defined in full (the others are listed by name and
 * summary); without, every command is, as tests that parse many command lines need.
 */
export async function buildProgram(argv?: string[]): Promise<Command> {
  const program = new Command('lethe')
    .description('Lethe: machine unlearning — train, forget, measure against retraining, compare')
    .version(LETHE_VERSION)
    .option('--json', 'print one JSON document on stdout (progress stays on stderr)')
    // Commander's extras ("Did you mean ...?", the usage hint) join the message: every error stays one line on stderr.
    .configureOutput({ outputError: (str, write) => write(`${str.trim().replace(/\s*\n\s*/g, ' ')} (run with --help for usage)\n`) })
    .exitOverride();
  const wanted = argv && commandOf(argv.slice(2));
  for (const [name, c] of Object.entries(COMMANDS)) {
    const cmd = program.command(name).description(c.summary);
    if (!argv || name === wanted) (await c.load()).define(cmd);
    cmd.exitOverride().option('--json', 'print one JSON document on stdout');
  }
  return program;
}
