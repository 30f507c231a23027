// The `lethe` command's parser: every command and its flags.
import { Command } from 'commander';
import { LETHE_VERSION } from '../models/checkpoint.ts';
import { registerCompare } from './commands/compare.ts';
import { registerDemo } from './commands/demo.ts';
import { registerEval } from './commands/eval.ts';
import { registerForget } from './commands/forget.ts';
import { registerImport } from './commands/import.ts';
import { registerInfo } from './commands/info.ts';
import { registerMethods } from './commands/methods.ts';
import { registerPredict } from './commands/predict.ts';
import { registerServe } from './commands/serve.ts';
import { registerTrain } from './commands/train.ts';
import { registerUnlearn } from './commands/unlearn.ts';

export function buildProgram(): Command {
  const program = new Command('lethe')
    .description('Lethe: machine unlearning — train, forget, measure against retraining, compare')
    .version(LETHE_VERSION)
    .option('--json', 'print one JSON document on stdout (progress stays on stderr)')
    // Commander's extras ("Did you mean ...?", the usage hint) join the message: every error stays one line on stderr.
    .configureOutput({ outputError: (str, write) => write(`${str.trim().replace(/\s*\n\s*/g, ' ')} (run with --help for usage)\n`) })
    .exitOverride();
  for (const register of [registerTrain, registerUnlearn, registerCompare, registerEval, registerMethods, registerImport, registerPredict, registerForget, registerInfo, registerServe, registerDemo]) register(program);
  for (const cmd of program.commands) cmd.exitOverride().option('--json', 'print one JSON document on stdout');
  return program;
}
