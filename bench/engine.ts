// `npm run bench:engine`: Lethe's engine (tfjs wasm and, where its addon is built, native,
// through our own train() and predictProbs()) against tuned PyTorch CPU (bench/torch_engine.py),
// side by side, in one run.
//
// Training: seconds per 60k-sample epoch of Fashion-MNIST, batch 128, Adam lr 1e-3. The MLP is
// timed on a full epoch; the CNN, too slow on wasm for that (~3 min/epoch), on a fixed number of
// batches, extrapolated; the table says which. Inference: samples/s over the 10k test set.
//
//   npx tsx bench/engine.ts [--quick] [--models mlp,small-cnn] [--backends wasm,native] [--batches N|full|mlp=full,small-cnn=100,resnet-mini=20]
//                           [--warmup 3] [--torch-repeats 3] [--no-torch] [--wait-idle S] [--out FILE] [--readme]
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { featureSize, idsOfSplit, subset, type Subset } from '../src/data/dataset.ts';
import { loadData } from '../src/data/registry.ts';
import { switchBackend, tf, type BackendInfo, type BackendName } from '../src/engine/backend.ts';
import { ADDON_PATH, notBuiltReason } from '../src/engine/native/addon.ts';
import { planCoreType, readCpu } from '../src/engine/native/coretype.ts';
import { buildModel } from '../src/models/registry.ts';
import { predictProbs } from '../src/train/predict.ts';
import { DEFAULT_RECIPE, train } from '../src/train/train.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
// Debian's interpreter, which has python3-torch (not the pyenv python3 on PATH); overridable for tests.
const PYTHON = process.env.LETHE_BENCH_PYTHON ?? '/usr/bin/python3';
const TORCH_SCRIPT = join(HERE, 'torch_engine.py');
const MODELS = ['mlp', 'small-cnn', 'resnet-mini'] as const;
const LETHE_BACKENDS = ['wasm', 'native'] as const satisfies readonly BackendName[];
type ModelName = (typeof MODELS)[number];
const EPOCH = 60000;
const BATCH = 128;
const INSTALL_HINT = `PyTorch rows skipped: ${PYTHON} has no torch; install it with: apt-get install python3-torch libopenblas0-pthread`;
/** Other processes using more than this many cores (on average) during a timed window taint it. */
const BUSY_CORES = 0.25;

// ---------------------------------------------------------------------------------------------
// Options

const HELP = `npx tsx bench/engine.ts [options]
  --quick                 smoke run: few batches, 1000 inference samples, results to bench/results/engine-quick.json
  --models LIST           comma-separated, from: ${MODELS.join(', ')} (default: all)
  --backends LIST         Lethe backends, from: ${LETHE_BACKENDS.join(', ')} (default: wasm, and native where its addon is built)
  --batches SPEC          timed training batches: N or 'full' (one 60k epoch) for every model, or per model
                          as mlp=full,small-cnn=100 (default: mlp=full, small-cnn=100, resnet-mini=20)
  --warmup N              untimed warm-up batches before timing (default 3)
  --torch-repeats N       timed PyTorch windows per model, median reported (default 3)
  --infer-samples N       test samples for the inference timing (default 10000)
  --no-torch              Lethe only
  --wait-idle S           wait up to S seconds for other processes to leave the CPU before starting (default 0)
  --seed N                (default 0)
  --out FILE              results JSON (default bench/results/engine.json)
  --readme                also write the table into README.md (between its ENGINE-TABLE markers)`;

function usageError(message: string): never {
  console.error(`${message}\n\n${HELP}`);
  process.exit(2);
}

let parsed;
try {
  parsed = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      models: { type: 'string' },
      backends: { type: 'string' },
      batches: { type: 'string' },
      warmup: { type: 'string' },
      'torch-repeats': { type: 'string' },
      'infer-samples': { type: 'string' },
      'no-torch': { type: 'boolean', default: false },
      'wait-idle': { type: 'string', default: '0' },
      seed: { type: 'string', default: '0' },
      out: { type: 'string' },
      readme: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
} catch (e) {
  usageError((e as Error).message);
}
const opt = parsed.values;
if (opt.help) {
  console.log(HELP);
  process.exit(0);
}

function int(name: string, v: string | undefined, fallback: number, min = 0): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) usageError(`--${name} must be an integer >= ${min}, got "${v}"`);
  return n;
}

const quick = opt.quick;
const models: ModelName[] = (opt.models ?? MODELS.join(',')).split(',').filter(Boolean).map((m) => {
  if (!(MODELS as readonly string[]).includes(m)) usageError(`--models: unknown model "${m}"; use ${MODELS.join(', ')}`);
  return m as ModelName;
});
// Without the addon the native row is left out, and the report says why.
const nativeBuilt = existsSync(ADDON_PATH);
const backends: BackendName[] = (opt.backends ?? (nativeBuilt ? 'wasm,native' : 'wasm')).split(',').filter(Boolean).map((b) => {
  if (!(LETHE_BACKENDS as readonly string[]).includes(b)) usageError(`--backends: unknown backend "${b}"; use ${LETHE_BACKENDS.join(', ')}`);
  return b as BackendName;
});
/** Timed batches per model; null = one full 60k epoch. */
const batches: Record<ModelName, number | null> = quick ? { mlp: 20, 'small-cnn': 3, 'resnet-mini': 2 } : { mlp: null, 'small-cnn': 100, 'resnet-mini': 20 };
if (opt.batches) {
  for (const part of opt.batches.split(',')) {
    const [k, v] = part.includes('=') ? part.split('=', 2) : [undefined, part];
    if (k !== undefined && !(MODELS as readonly string[]).includes(k)) usageError(`--batches: unknown model "${k}"`);
    const val = v === 'full' ? null : int('batches', v, 0, 1);
    for (const m of k ? [k as ModelName] : MODELS) batches[m] = val;
  }
}
const warmup = int('warmup', opt.warmup, quick ? 1 : 3);
const torchRepeats = int('torch-repeats', opt['torch-repeats'], quick ? 1 : 3, 1);
const inferSamples = int('infer-samples', opt['infer-samples'], quick ? 1000 : 10000, 1);
const seed = int('seed', opt.seed, 0);
const waitIdle = int('wait-idle', opt['wait-idle'], 0);
const outPath = resolve(opt.out ?? join(HERE, 'results', quick ? 'engine-quick.json' : 'engine.json'));

// ---------------------------------------------------------------------------------------------
// CPU used by other processes (Linux /proc/stat), so that a benchmark on a shared machine says
// when its numbers are tainted rather than silently reporting them.

interface CpuMark { wall: number; busy: number | null; own: number }

function systemBusySeconds(): number | null {
  try {
    const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal (guest is already counted in user)
    return (f[0] + f[1] + f[2] + f[5] + f[6] + f[7]) / 100;
  } catch {
    return null;
  }
}
function mark(): CpuMark {
  const u = process.cpuUsage();
  return { wall: performance.now() / 1000, busy: systemBusySeconds(), own: (u.user + u.system) / 1e6 };
}
/** Average number of cores that other processes kept busy between two marks (null off Linux). */
function otherCores(a: CpuMark, b: CpuMark): number | null {
  if (a.busy === null || b.busy === null) return null;
  const wall = b.wall - a.wall;
  if (wall <= 0) return null;
  return Math.max(0, (b.busy - a.busy - (b.own - a.own)) / wall);
}

/** Average cores this process used between two marks (wasm runs on one thread, plus V8's GC threads). */
const ownCores = (a: CpuMark, b: CpuMark) => (b.own - a.own) / (b.wall - a.wall);

async function sampleOtherLoad(seconds: number): Promise<number | null> {
  const a = mark();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  return otherCores(a, mark());
}

// ---------------------------------------------------------------------------------------------
// Lethe (tfjs) side

interface EngineResult {
  model: ModelName;
  params: number;
  shapes: number[][];
  train: {
    warmupBatchSeconds: number[];
    batches: number;
    samples: number;
    seconds: number;
    sPerEpoch: number;
    extrapolated: boolean;
    lastLoss: number;
    otherCores: number | null;
    ownCores: number;
  };
  infer: { samples: number; seconds: number; samplesPerS: number; otherCores: number | null; ownCores: number };
}

/** Train ids for warm-up + timed window: `count` ids taken round-robin from the train split. */
function trainSubset(ds: ReturnType<typeof loadData>, trainIds: Int32Array, count: number): Subset {
  const ids = new Int32Array(count);
  for (let i = 0; i < count; i++) ids[i] = trainIds[i % trainIds.length];
  return subset(ds, ids);
}

async function benchLethe(model: ModelName, ds: ReturnType<typeof loadData>, trainIds: Int32Array, test: Subset): Promise<EngineResult> {
  const net = buildModel(model, ds.inputShape, ds.numClasses, seed);
  const params = net.countParams();
  // A stack: every layer's output; a graph (resnet-mini): its convolutions', as the PyTorch side reports them.
  const graph = model === 'resnet-mini';
  const shapes = net.layers.filter((l) => (graph ? l.getClassName() === 'Conv2D' : l.getClassName() !== 'InputLayer')).map((l) => (l.outputShape as (number | null)[]).slice(1) as number[]);

  // One train() call over warm-up + timed samples; the window is read off the progress events,
  // which train() emits right after each step has finished (the loss is read back synchronously).
  const full = batches[model] === null;
  const timedSamples = full ? EPOCH : batches[model]! * BATCH;
  const data = trainSubset(ds, trainIds, warmup * BATCH + timedSamples);
  const timedBatches = Math.ceil(data.y.length / BATCH) - warmup;
  const warmTimes: number[] = [];
  let last = performance.now();
  let start: CpuMark = mark();
  let lastLoss = NaN;
  await train(net, data, { ...DEFAULT_RECIPE, epochs: 1, batchSize: BATCH, optimizer: 'adam', lr: 1e-3 }, {
    seed,
    onProgress: (p) => {
      lastLoss = p.loss ?? NaN;
      if (p.done <= warmup) {
        const now = performance.now();
        warmTimes.push((now - last) / 1000);
        last = now;
        if (p.done === warmup) start = mark();
      } else if ((p.done - warmup) % 50 === 0) {
        const s = performance.now() / 1000 - start.wall;
        process.stderr.write(`\rlethe ${model}: ${p.done - warmup}/${timedBatches} timed batches, ${s.toFixed(1)} s   `);
      }
    },
  });
  const end = mark();
  process.stderr.write('\n');
  const seconds = end.wall - start.wall;
  const sPerEpoch = (seconds * EPOCH) / timedSamples;
  const trainOther = otherCores(start, end);
  console.error(`lethe ${model}: ${timedBatches} batches, ${timedSamples} samples in ${seconds.toFixed(2)} s -> ${sPerEpoch.toFixed(2)} s/epoch (cores: own ${ownCores(start, end).toFixed(2)}, other processes ${trainOther?.toFixed(2) ?? '?'})`);

  // Inference: predictProbs (batches of 1000, softmax, read back), after a 1000-sample warm-up.
  const d = featureSize(test.inputShape);
  predictProbs(net, { ...test, ids: test.ids.subarray(0, 1000), x: test.x.subarray(0, 1000 * d), y: test.y.subarray(0, 1000) });
  const a = mark();
  predictProbs(net, test);
  const b = mark();
  const inferSeconds = b.wall - a.wall;
  console.error(`lethe ${model}: inference ${test.y.length} samples in ${inferSeconds.toFixed(2)} s`);
  net.dispose();
  return {
    model,
    params,
    shapes,
    train: { warmupBatchSeconds: warmTimes, batches: timedBatches, samples: timedSamples, seconds, sPerEpoch, extrapolated: !full, lastLoss, otherCores: trainOther, ownCores: ownCores(start, end) },
    infer: { samples: test.y.length, seconds: inferSeconds, samplesPerS: test.y.length / inferSeconds, otherCores: otherCores(a, b), ownCores: ownCores(a, b) },
  };
}

// ---------------------------------------------------------------------------------------------
// PyTorch side: bench/torch_engine.py under Debian's /usr/bin/python3, one JSON line on stdout.

interface TorchWindow { batches: number; samples: number; seconds: number; s_per_epoch: number; other_cores: number | null; own_cores: number }
interface TorchModelResult {
  model: ModelName;
  params: number;
  shapes: { layer: string; shape: number[] }[];
  train: { warmup_batch_seconds: number[]; windows: TorchWindow[]; s_per_epoch: number; s_per_epoch_min: number; extrapolated: boolean; last_loss: number };
  infer: { samples: number; seconds: number; samples_per_s: number; runs_seconds: number[]; other_cores: number | null; own_cores: number };
}
interface TorchOutput { engine: 'pytorch'; info: Record<string, unknown>; results: TorchModelResult[] }
type TorchRun = { ok: true; out: TorchOutput } | { ok: false; missing: boolean; message: string };

// PyTorch at its best goes through the same OpenBLAS with the right core type: where the
// environment leaves OPENBLAS_CORETYPE unset, the PyTorch command alone gets the one the native
// backend would choose from the CPU flags (the environment's own setting is passed on untouched).
const torchCoreType = ((): { env: Record<string, string>; note: string } => {
  const plan = planCoreType(process.env.OPENBLAS_CORETYPE, readCpu());
  if (plan.source === 'environment') return { env: {}, note: `OPENBLAS_CORETYPE=${process.env.OPENBLAS_CORETYPE} from the environment` };
  if (plan.set) return { env: { OPENBLAS_CORETYPE: plan.set }, note: `OPENBLAS_CORETYPE=${plan.set} set for PyTorch from the CPU flags` };
  return { env: {}, note: 'OpenBLAS core type chosen by OpenBLAS' };
})();

function runTorch(): Promise<TorchRun> {
  if (!existsSync(PYTHON)) return Promise.resolve({ ok: false, missing: true, message: `${PYTHON} not found` });
  const spec = models.map((m) => `${m}=${batches[m] ?? 'full'}`).join(',');
  const args = [TORCH_SCRIPT, '--models', models.join(','), '--batches', spec, '--warmup', String(warmup),
    '--repeats', String(torchRepeats), '--infer-samples', String(inferSamples), '--batch-size', String(BATCH), '--seed', String(seed)];
  return new Promise((done) => {
    // OPENBLAS_NUM_THREADS must be in the environment before torch is imported (the script sets it too).
    const child = spawn(PYTHON, args, { env: { ...process.env, ...torchCoreType.env, OPENBLAS_NUM_THREADS: '1' }, stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.on('error', (e) => done({ ok: false, missing: (e as NodeJS.ErrnoException).code === 'ENOENT', message: e.message }));
    child.on('close', (code) => {
      const line = stdout.trim().split('\n').filter(Boolean).pop() ?? '';
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        return done({ ok: false, missing: false, message: `torch_engine.py exited with ${code} and no JSON result` });
      }
      const p = parsed as { error?: string; message?: string };
      if (p.error === 'no-torch') return done({ ok: false, missing: true, message: p.message ?? 'no torch' });
      if (code !== 0 || p.error) return done({ ok: false, missing: false, message: p.message ?? `exit code ${code}` });
      done({ ok: true, out: parsed as TorchOutput });
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Report

const fmt = (x: number, digits = 2) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(digits));
const fmtInt = (x: number) => Math.round(x).toLocaleString('en-US');
/**
 * Marks a measurement that other processes took CPU from: they were busy, and the benchmark got
 * fewer cores than it can use (`expected`: 1 for single-threaded wasm, the thread count for torch).
 */
const busy = (other: number | null | undefined, own: number | null | undefined, expected: number) =>
  other != null && own != null && other > BUSY_CORES && own < 0.9 * expected ? ` ⚠${own.toFixed(1)}/${expected}` : '';

interface LetheRun { backend: BackendName; info: BackendInfo; line: string; cores: number; results: EngineResult[] }

const how = (samples: number, nb: number, extrap: boolean, extra = '') =>
  extrap ? `${fmtInt(samples)} samples (${nb} batches)${extra}, extrapolated ×${(EPOCH / samples).toFixed(2)} to 60k` : `full epoch: 60,000 samples (${nb} batches)${extra}`;

/** Per model: one row per Lethe backend, then PyTorch's. */
function table(runs: LetheRun[], torch: TorchModelResult[] | null, torchCores: number): string[] {
  const rows = [
    '| model | engine | s/epoch (train) | inference samples/s | Lethe/PyTorch ratio | train timing measured on |',
    '|---|---|---:|---:|---|---|',
  ];
  for (const model of models) {
    const t = torch?.find((r) => r.model === model);
    for (const run of runs) {
      const l = run.results.find((r) => r.model === model);
      if (!l) continue;
      const ratio = t
        ? `train ${fmt(l.train.sPerEpoch / t.train.s_per_epoch, 1)}×, inference ${fmt(t.infer.samples_per_s / l.infer.samplesPerS, 1)}×`
        : '—';
      rows.push(`| ${l.model} | Lethe (tfjs ${run.backend}) | ${fmt(l.train.sPerEpoch)}${l.train.extrapolated ? ' (extrap.)' : ''}${busy(l.train.otherCores, l.train.ownCores, run.cores)} | ${fmtInt(l.infer.samplesPerS)}${busy(l.infer.otherCores, l.infer.ownCores, run.cores)} | ${ratio} | ${how(l.train.samples, l.train.batches, l.train.extrapolated)} |`);
    }
    if (t) {
      const w = t.train.windows[0];
      const wOther = Math.max(...t.train.windows.map((x) => x.other_cores ?? 0));
      const wOwn = Math.min(...t.train.windows.map((x) => x.own_cores));
      rows.push(`| ${t.model} | PyTorch tuned | ${fmt(t.train.s_per_epoch)}${t.train.extrapolated ? ' (extrap.)' : ''}${busy(wOther, wOwn, torchCores)} | ${fmtInt(t.infer.samples_per_s)}${busy(t.infer.other_cores, t.infer.own_cores, torchCores)} | 1 (reference) | ${how(w.samples, w.batches, t.train.extrapolated, `, median of ${t.train.windows.length}`)} |`);
    }
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------

async function main() {
  if (waitIdle > 0) {
    const until = Date.now() + waitIdle * 1000;
    let other = await sampleOtherLoad(2);
    while (other !== null && other > BUSY_CORES && Date.now() < until) {
      console.error(`waiting for an idle CPU: other processes use ${other.toFixed(2)} cores`);
      other = await sampleOtherLoad(5);
    }
  }
  const before = await sampleOtherLoad(1);
  if (before !== null && before > BUSY_CORES) {
    console.error(`WARNING: other processes are using ${before.toFixed(1)} of ${cpus().length} cores; timings may be inflated (see ⚠ marks).`);
  }

  let t = performance.now();
  const ds = loadData({ name: 'fashion-mnist' });
  const trainIds = idsOfSplit(ds, 'train');
  const test = subset(ds, idsOfSplit(ds, 'test').subarray(0, inferSamples));
  console.error(`lethe: data loaded in ${((performance.now() - t) / 1000).toFixed(1)} s (${trainIds.length} train, ${test.y.length} test for inference)`);
  if (trainIds.length !== EPOCH) console.error(`note: ${trainIds.length} train samples, epochs are still reported per 60k samples`);

  const runs: LetheRun[] = [];
  const skipped: string[] = [];
  for (const backend of backends) {
    let info: BackendInfo;
    try {
      info = await switchBackend(backend);
    } catch (e) {
      skipped.push(`${backend} rows skipped: ${(e as Error).message}`);
      console.error(skipped.at(-1));
      continue;
    }
    const line = `Lethe backend: ${info.summary} (tfjs ${tf.version_core}); Node ${process.version}; ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}`;
    console.error(line);
    // The cores each can use: wasm runs single-threaded in Node, native its BLAS threads.
    const cores = backend === 'native' ? info.blas?.threads ?? 1 : info.threads ? cpus().length : 1;
    const results: EngineResult[] = [];
    for (const m of models) results.push(await benchLethe(m, ds, trainIds, test));
    runs.push({ backend, info, line, cores, results });
  }
  if (!backends.includes('native') && !nativeBuilt) skipped.push(`native rows skipped: ${notBuiltReason()}`);
  const lethe = runs[0]?.results ?? [];

  let torchRun: TorchRun | null = null;
  if (!opt['no-torch']) {
    t = performance.now();
    torchRun = await runTorch();
    console.error(`torch: done in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  }
  const torch = torchRun?.ok ? torchRun.out : null;

  // The two sides must train the same networks.
  const archCheck: string[] = [];
  for (const l of lethe) {
    const tr = torch?.results.find((r) => r.model === l.model);
    if (!tr) continue;
    const same = tr.params === l.params && JSON.stringify(tr.shapes.map((s) => s.shape)) === JSON.stringify(l.shapes);
    archCheck.push(`${l.model}: ${same ? 'same' : 'DIFFERENT'} architecture (${fmtInt(l.params)} params; ${l.shapes.map((s) => s.join('x')).join(' → ')})` +
      (same ? '' : ` vs PyTorch ${fmtInt(tr.params)} params; ${tr.shapes.map((s) => s.shape.join('x')).join(' → ')}`));
  }

  const lines: string[] = [];
  lines.push('', `## Engine benchmark: Fashion-MNIST, batch ${BATCH}, Adam lr 1e-3${quick ? ' (QUICK smoke run: few batches, numbers are noisy)' : ''}`, '');
  // Torch uses its thread pool.
  const torchCores = Number(torch?.info.threads ?? 1);
  const rows = table(runs, torch?.results ?? null, torchCores);
  lines.push(...rows, '');
  for (const run of runs) lines.push(`- ${run.line}`);
  for (const s of skipped) lines.push(`- ${s}`);
  if (torch) {
    const i = torch.info;
    lines.push(`- PyTorch ${i.torch} (${i.executable}, Python ${i.python}): torch.set_num_threads(${i.threads}), OPENBLAS_NUM_THREADS=${i.OPENBLAS_NUM_THREADS}, ${torchCoreType.note}, Adam(foreach=True), mkldnn ${i.mkldnn ? 'on' : 'off'}`);
  } else if (torchRun && !torchRun.ok) {
    lines.push(torchRun.missing ? `- ${INSTALL_HINT}` : `- PyTorch rows skipped: torch_engine.py failed: ${torchRun.message}`);
  }
  for (const c of archCheck) lines.push(`- ${c}`);
  lines.push(`- s/epoch = seconds per 60,000 training samples, after ${warmup} untimed warm-up batch(es); "(extrap.)" = timed on fewer batches and scaled up linearly.`);
  lines.push(`- Lethe trains through src/train/train.ts and infers through predictProbs (batches of 1000), exactly as users do; inference is timed on ${fmtInt(inferSamples)} test samples.`);
  lines.push('- Ratio = Lethe time / PyTorch time for the same work (>1: Lethe is slower).');
  const tainted = rows.some((r) => r.includes('⚠'));
  if (tainted) {
    lines.push(`- ⚠a/b: other processes were running and this measurement got only a of the b cores it can use, so it is inflated;`
      + ' rerun on an idle machine (--wait-idle 300). The JSON has each measurement\'s own and other processes\' cores.');
  }
  console.log(lines.join('\n'));

  const result = {
    date: new Date().toISOString(),
    quick,
    config: { models, batches, warmup, torchRepeats, inferSamples, batchSize: BATCH, seed, optimizer: 'adam', lr: 1e-3, epochSamples: EPOCH },
    machine: { cpus: cpus().length, cpu: cpus()[0]?.model, node: process.version, otherCoresBefore: before },
    lethe: runs.map((r) => ({ backend: r.backend, info: { ...r.info, tfjs: tf.version_core }, cores: r.cores, results: r.results })),
    pytorch: torch ?? (torchRun && !torchRun.ok
      ? { skipped: torchRun.message, hint: torchRun.missing ? INSTALL_HINT : undefined }
      : { skipped: 'disabled with --no-torch' }),
    table: rows,
  };
  mkdirSync(dirname(outPath), { recursive: true });
  writeFileSync(outPath, JSON.stringify(result, null, 2) + '\n');
  console.log(`\nresults written to ${outPath}`);
  if (opt.readme) {
    const readme = resolve(HERE, '..', 'README.md');
    const text = readFileSync(readme, 'utf8');
    const block = /(<!-- ENGINE-TABLE -->\n)[\s\S]*?(<!-- \/ENGINE-TABLE -->)/;
    if (!block.test(text)) throw new Error(`${readme} has no <!-- ENGINE-TABLE --> … <!-- /ENGINE-TABLE --> block`);
    writeFileSync(readme, text.replace(block, (_, open: string, close: string) => `${open}${rows.join('\n')}\n${close}`));
    console.log(`table written to ${readme}`);
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
