// `lethe tune`: choose each method's parameters for one setting (a trained model and a forget request) on a
// validation split, never on the test set (./protocol.ts). The original is retrained without the validation samples
// (same recipe, same seed), the retrained references and every trial run on that tuning view, each trial is scored
// by its task's gap to the same seed's retrain (./objective.ts: avgGap, or a regressor's L1 gap), and successive
// halving (./search.ts) spends the budget. Every trial's
// measurements are stored under a content hash, so a finished trial is never run again: a cancelled or killed
// tuning resumes where it stopped, and a larger budget reuses what a smaller one measured.
import { createHash, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { hashIds, subset } from '../data/dataset.ts';
import { describeSpec, resolveForget, type ForgetSpec } from '../data/forget/index.ts';
import { loadData, type DataRef } from '../data/registry.ts';
import { initBackend } from '../engine/backend.ts';
import { loadCheckpoint, type Checkpoint } from '../models/checkpoint.ts';
import { canonicalJson } from '../shared/canonical-json.ts';
import type { ApiTunedMethod, ApiTuning, TrialValues } from '../shared/http.ts';
import { subSeed } from '../shared/random.ts';
import type { Store } from '../store/store.ts';
import { checkpointAbort, type OnProgress } from '../train/progress.ts';
import type { UnlearnContext } from '../unlearn/method.ts';
import { parseParams, searchSpace } from '../unlearn/registry.ts';
import { checkDataFits, runMethod, saveUnlearned } from '../unlearn/run.ts';
import { objectiveOf } from './objective.ts';
import { tuningView } from './protocol.ts';
import { WorkerPool } from '../jobs/pool.ts';
import { prepareForget } from '../jobs/prepare-forget.ts';
import { measureTrial, trialContext, type TrialJob, type TrialSetting } from './trial.ts';
import { atEdge, rungs, sampleConfigs, successiveHalving, type Config } from './search.ts';

export interface TuneOptions {
  methods: string[];
  /** Configurations per method, the defaults included. */
  budget: number;
  /** Unlearning seeds (and retrained references) a configuration reaches at the last rung. */
  seeds: number[];
  eta: number;
  /** Validation size: a fraction of the training data (below 1) or a count. */
  validation: number;
  validationSeed: number;
  /** Trial workers (threads) for a rung's trials; 1 runs them in this thread. */
  parallel: number;
}

export interface TuneEnv {
  store: Store;
  /** Where tuning originals are kept (LETHE_HOME/tuning). */
  home: string;
  signal?: AbortSignal;
  onProgress?: OnProgress;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** The original retrained without the validation samples (its recipe, its seed), kept under `home` and reused. */
async function tuningOriginal(original: Checkpoint, data: DataRef, validation: Int32Array, env: TuneEnv, backend: string): Promise<Checkpoint> {
  const key = sha256(canonicalJson({ original: original.meta.id, recipe: original.meta.recipe, data, validation: hashIds(validation), backend })).slice(0, 20);
  const dir = join(env.home, 'originals', key);
  if (existsSync(join(dir, 'meta.json'))) return loadCheckpoint(dir);
  const dataset = loadData(data);
  const sets = resolveForget(dataset, { kind: 'ids', ids: Array.from(validation) });
  const ctx: UnlearnContext = {
    original: original.model, meta: original.meta, data, dataset, sets, forget: subset(dataset, sets.forget), retain: subset(dataset, sets.retain),
    seed: original.meta.seed, signal: env.signal,
    onProgress: env.onProgress && ((p) => env.onProgress!({ ...p, phase: 'tune: the original without the validation split' })),
  };
  const r = await runMethod(ctx, 'retrain', {});
  try {
    await saveUnlearned(dir, r.model, ctx, 'retrain', {}, { seconds: r.seconds });
  } finally {
    r.model.dispose();
  }
  return loadCheckpoint(dir);
}

/** Tunes every method of `o.methods` for the setting (original, forget spec) and returns the record it stores. */
export async function tune(original: Checkpoint, data: DataRef, spec: ForgetSpec, o: TuneOptions, env: TuneEnv): Promise<ApiTuning> {
  if (original.meta.kind !== 'single') {
    throw new Error(`tune: ${original.dir} is a ${original.meta.kind} model, served by its exact method: there is nothing to tune`);
  }
  if (original.meta.source) throw new Error(`tune: ${original.dir} was imported, so it cannot be retrained without a validation split; tune a model Lethe trained`);
  const objective = objectiveOf(original.meta.task);
  const backend = (await initBackend()).backend;
  const base = loadData(data);
  checkDataFits(base, original.meta, original.dir);
  const view = tuningView(base, o.validation, o.validationSeed);
  const { validation } = view;
  const tuned = await tuningOriginal(original, data, validation, env, backend);
  let pool: WorkerPool<TrialJob, TrialValues> | undefined;
  try {
    // A worst-case set is searched for on the tuning view, with the original retrained without the validation split.
    const forget = await prepareForget(spec, tuned, view.dataset, env);
    const setting: TrialSetting = { tunedDir: tuned.dir, data, validation, forget };
    const ctx = trialContext(tuned, setting, env.signal);
    const key = { original: tuned.meta.id, data, validation: hashIds(validation), forget: hashIds(ctx.sets.forget), backend };
    const plans = o.methods.map(() => rungs(o.budget, o.seeds.length, o.eta));
    // An upper bound (the defaults may already be among a last rung's survivors): the bar ends at its end regardless.
    const total = o.seeds.length + plans.reduce((n, plan) => n + plan.reduce((t, r, i) => t + (r.configs + (i === plan.length - 1 && i > 0 ? 1 : 0)) * (r.seeds - (i ? plan[i - 1].seeds : 0)), 0), 0);
    let done = 0;
    let jobId = 0;
    const say = (method: string, message: string) => env.onProgress?.({ phase: `tune ${method}`, done, total, message });

    /**
     * Measurements of trials: those this exact setting ran before come from the store; the rest run (on the trial
     * workers when there is more than one to run and more than one core) and are stored as each finishes.
     */
    const trials = async (method: string, asked: { params: Config; seed: number }[]): Promise<TrialValues[]> => {
      const jobs = asked.map((a) => {
        const params = parseParams(method, a.params);
        return { id: jobId++, method, params, seed: a.seed, key: sha256(canonicalJson({ v: 1, ...key, method, params, seed: a.seed })) };
      });
      const out = jobs.map((j) => env.store.tunings.trial(j.key));
      for (const [i, j] of jobs.entries()) {
        if (!out[i]) continue;
        done++;
        say(method, `seed ${j.seed}: stored`);
      }
      const todo = jobs.filter((_, i) => !out[i]);
      const store = (j: (typeof jobs)[number], values: TrialValues) => {
        env.store.tunings.saveTrial(j.key, method, values);
        out[jobs.indexOf(j)] = values;
        done++;
        say(method, `seed ${j.seed}: ${canonicalJson(j.params)}`);
      };
      await checkpointAbort(env.signal, 'the tuning');
      if (todo.length > 1 && o.parallel > 1) {
        pool ??= new WorkerPool({
          size: o.parallel, module: new URL('./trial-worker.ts', import.meta.url).href, setting, what: 'the tuning', describe: (j) => `${j.method} trial (seed ${j.seed})`,
        });
        await pool.run(todo, (j, values) => store(j as (typeof jobs)[number], values), env.signal);
      } else {
        for (const j of todo) {
          await checkpointAbort(env.signal, 'the tuning');
          store(j, await measureTrial(ctx, method, j.params, j.seed));
        }
      }
      return out as TrialValues[];
    };

    const retrains = await trials('retrain', o.seeds.map((seed) => ({ params: {}, seed })));
    const floor = retrains.length > 1 ? retrains.reduce((a, r, i) => a + objective.score(r, retrains[(i + 1) % retrains.length]), 0) / retrains.length : null;

    const methods: ApiTunedMethod[] = [];
    for (const method of o.methods) {
      const space = searchSpace(method);
      const defaults = parseParams(method, {});
      const configs = sampleConfigs(space, defaults, o.budget, subSeed(o.validationSeed, `tune:${method}`));
      const values = configs.map(() => [] as TrialValues[]);
      const search = await successiveHalving(configs, o.seeds.length, async (jobs) => {
        const got = await trials(method, jobs.map((j) => ({ params: configs[j.config], seed: o.seeds[j.seed] })));
        return jobs.map((j, i) => {
          values[j.config][j.seed] = got[i];
          return objective.score(got[i], retrains[j.seed]);
        });
      }, o.eta);
      const chosen = configs[search.chosen];
      const edges = Object.fromEntries(Object.entries(space).flatMap(([k, d]) => {
        const e = atEdge(d, chosen[k]);
        return e ? [[k, e]] : [];
      }));
      methods.push({
        method, space, defaults, rungs: search.rungs, chosen: search.chosen, edges,
        configs: configs.map((params, i) => ({
          params, values: values[i].filter(Boolean), mean: search.scores[i].mean,
          scores: values[i].flatMap((v, s) => (v ? [objective.score(v, retrains[s])] : [])),
        })),
      });
    }
    env.onProgress?.({ phase: 'tune', done: total, total, message: 'done' });
    return {
      id: randomUUID(), created: new Date().toISOString(), originalId: original.meta.id, tuningOriginalId: tuned.meta.id,
      dataset: data.name, forget: spec, forgetText: describeSpec(spec), forgetCount: ctx.sets.forget.length,
      protocol: {
        validation: { count: validation.length, seed: o.validationSeed }, seeds: o.seeds, budget: o.budget, eta: o.eta,
        score: objective.text, metric: objective.metric,
      },
      retrains, floor, methods,
    };
  } finally {
    pool?.close();
    tuned.model.dispose();
  }
}
