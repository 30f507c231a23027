import type { Command } from 'commander';
import { UliraArgs } from '../../jobs/ulira-task.ts';
import type { ApiUlira } from '../../shared/http.ts';
import { METHOD_NAMES } from '../../unlearn/registry.ts';
import { emit, type GlobalOpts } from '../output.ts';
import { defaultOf, number, runCli } from '../run.ts';
import { addDataOptions, dataFlags } from './data-options.ts';
import { collectParam } from './unlearn.ts';

const pc = (v: number) => `${v.toFixed(1)}%`;

/** One row per evaluation: the forget attack, its per-example spread, and the retain examples' before → after. */
export function uliraMarkdown(us: ApiUlira[]): string {
  return [
    '| method | K | targets | U-LiRA accuracy (TPR / TNR) | per-example median / p90 | retain before → after |',
    '|---|---:|---:|---:|---:|---:|',
    ...us.map((u) => `| ${u.method} | ${u.shadows} | ${u.targets} | ${pc(u.forget.accuracy)} (${pc(u.forget.tpr)} / ${pc(u.forget.tnr)}) | ${pc(u.forget.perExample.median)} / ${pc(u.forget.perExample.p90)} | ${pc(u.retain.before)} → ${pc(u.retain.after)} |`),
  ].join('\n');
}

export function uliraText(u: ApiUlira): string {
  return [
    `U-LiRA (Hayes et al. 2024) of ${u.method} on ${u.dataset}: K = ${u.shadows} shadow models on random halves, ${u.targets} target and ${u.retainCount} retain examples (${u.computed} shadow outputs computed now, ${u.stored} from the store)`,
    '',
    uliraMarkdown([u]),
    '',
    'balanced attack accuracy, 50% = ideal unlearning; retain: the same attack asking whether a retain example was trained on, against the shadow originals and the unlearned shadows',
    `stored as U-LiRA ${u.id} (GET /api/ulira/${u.id})`,
  ].join('\n');
}

export function define(cmd: Command) {
  addDataOptions(cmd, false)
    .requiredOption('--original <dir>', 'checkpoint of the trained model (its architecture and recipe train the shadows)')
    .requiredOption('--method <name>', `${METHOD_NAMES.join(', ')} (retrain is the control: ≈ 50%)`)
    .option('--param <key=value>', 'method parameter (repeatable)', collectParam, {})
    .option('--shadows <k>', `shadow models K${defaultOf(UliraArgs, 'shadows')}, 4 to 256`, number)
    .option('--targets <n>', `target examples${defaultOf(UliraArgs, 'targets')}`, number)
    .option('--retain <n>', `retain examples${defaultOf(UliraArgs, 'retain')}`, number)
    .option('--parallel <n>', 'worker threads; default one per core', number)
    .action(async (o, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOpts>();
      const u = await runCli('ulira', {
        original: o.original, method: o.method, params: o.param, shadows: o.shadows, targets: o.targets, retain: o.retain, parallel: o.parallel,
        ...dataFlags(o),
      }, '.');
      emit(g, u, () => uliraText(u));
    });
}
