// npm run bench:service — the deletion service under a stream of single-sample requests, in one process with a real
// SQLite store in a fresh temporary LETHE_HOME: a sharded MLP (SISA, policy exact), an analytic head (policy exact)
// and a single MLP under approximate:neggrad-plus,retrain-within=1h. Per deployment, the same N requests (one
// distinct random train id each, seeded) filed and applied one after another (submit, then drain): p50 / p95 / mean
// request-to-done seconds and requests per minute, test accuracy of the current version after every tenth request
// (not timed), and for the approximate deployment the batched exact retrain at the end (drain with retrainNow) and
// the total cost against retraining for every request (an estimate: N × that retrain). Ends with verifyAll on the
// store; exits non-zero when it fails.
// Options: --requests 100, --train-size N (first N train samples; default all), --epochs 3 (MLP), --dim 2048
// (analytic), --shards 5, --slices 4, --seed 1, --skip any of sharded,analytic,approximate, --keep (leave the
// temporary home), --quick (20 requests, train size 1200; writes service-quick.json), --out bench/results/service.json.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { idsOfSplit } from '../src/data/dataset.ts';
import { loadData, type DataRef } from '../src/data/registry.ts';
import { verifyAll } from '../src/deletion/audit.ts';
import { deploy, deploymentView, drain, ledgerOf, submit } from '../src/deletion/service.ts';
import { initBackend } from '../src/engine/backend.ts';
import { TrainArgs, trainTask } from '../src/jobs/train-task.ts';
import { loadCheckpoint, readMeta } from '../src/models/checkpoint.ts';
import { readManifest } from '../src/models/manifest.ts';
import { splitAccuracy } from '../src/measure/accuracy.ts';
import { rng, sampleIndices, subSeed } from '../src/shared/random.ts';
import { Store } from '../src/store/store.ts';

const { values } = parseArgs({
  options: {
    requests: { type: 'string' },
    'train-size': { type: 'string' },
    epochs: { type: 'string', default: '3' },
    dim: { type: 'string', default: '2048' },
    shards: { type: 'string', default: '5' },
    slices: { type: 'string', default: '4' },
    seed: { type: 'string', default: '1' },
    skip: { type: 'string', default: '' },
    quick: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
    out: { type: 'string' },
  },
});
const quick = values.quick;
const out = values.out ?? (quick ? 'bench/results/service-quick.json' : 'bench/results/service.json');
const N = Number(values.requests ?? (quick ? 20 : 100));
const trainSize = values['train-size'] !== undefined ? Number(values['train-size']) : quick ? 1200 : undefined;
const epochs = Number(values.epochs);
const dim = Number(values.dim);
const shards = Number(values.shards);
const slices = Number(values.slices);
const seed = Number(values.seed);
const skip = new Set(values.skip.split(',').filter(Boolean));
for (const [k, v] of Object.entries({ requests: N, epochs, dim, shards, slices })) {
  if (!Number.isInteger(v) || v < 1) throw new Error(`--${k} must be a positive integer, got ${v}`);
}
for (const s of skip) if (!['sharded', 'analytic', 'approximate'].includes(s)) throw new Error(`--skip: unknown section "${s}" (sharded, analytic, approximate)`);

// A fresh home: the store, the ledger key and the deployments' versions all live under it.
const home = mkdtempSync(join(tmpdir(), 'lethe-bench-service-'));
process.env.LETHE_HOME = home;
// The versions take room (a D=2048 analytic version is about 74 MB, a sharded one about 24 MB): the home goes when the
// run ends, failed or not, unless --keep, or the ledger failed to verify (then it is left for inspection).
let keepHome = values.keep;
process.on('exit', () => {
  if (keepHome) console.error(`the store and the deployments are in ${home} (LETHE_HOME)`);
  else rmSync(home, { recursive: true, force: true });
});
const info = await initBackend();
const store = new Store(join(home, 'lethe.db'));
const data: DataRef = { name: 'fashion-mnist', ...(trainSize !== undefined ? { trainSize } : {}) };
const ds = loadData(data);
const testIds = idsOfSplit(ds, 'test');
const trainCount = idsOfSplit(ds, 'train').length;

const f = (v: number | undefined, d = 2) => (v !== undefined && Number.isFinite(v) ? v.toFixed(d) : '—');
const sum = (a: number[]) => a.reduce((s, x) => s + x, 0);
const mean = (a: number[]) => sum(a) / a.length;
/** The q-quantile by linear interpolation between order statistics. */
function quantile(a: number[], q: number): number {
  const s = [...a].sort((x, y) => x - y);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  return s[lo] + (s[Math.min(lo + 1, s.length - 1)] - s[lo]) * (pos - lo);
}
const print = (s = '') => console.log(s);
const log = (s: string) => console.error(s);

interface Setup { key: 'sharded' | 'analytic' | 'approximate'; name: string; kind: string; recipe?: string; policy: string }
const setups: Setup[] = ([
  { key: 'sharded', name: 'sharded', kind: `sharded MLP (SISA S=${shards}, L=${slices})`, recipe: `sharded:shards=${shards},slices=${slices}`, policy: 'exact' },
  { key: 'analytic', name: 'analytic', kind: `analytic head (random features D=${dim})`, recipe: `analytic:dim=${dim},gamma=0.1`, policy: 'exact' },
  { key: 'approximate', name: 'single', kind: 'single MLP', policy: 'approximate:neggrad-plus,retrain-within=1h' },
] as Setup[]).filter((s) => !skip.has(s.key));

// ——— train and deploy ———
const trained = new Map<string, { dir: string; seconds: number; testAcc: number }>();
for (const s of setups) {
  const dir = join(home, 'models', s.name);
  log(`training ${s.kind} on ${trainCount} samples, ${epochs} epochs ...`);
  const r = await trainTask(TrainArgs.parse({ data: data.name, trainSize, model: 'mlp', epochs, seed, ...(s.recipe ? { recipe: s.recipe } : {}) }), { out: dir });
  trained.set(s.name, { dir, seconds: r.seconds, testAcc: r.testAcc! });
  deploy(store, { name: s.name, model: dir, policy: s.policy });
}

// The same N distinct train ids for every deployment: held by every model, in a seeded random order.
const manifests = setups.map((s) => {
  const dir = trained.get(s.name)!.dir;
  return new Set(readManifest(dir, readMeta(dir).manifest!));
});
const common = Array.from(manifests[0] ?? []).filter((id) => manifests.every((m) => m.has(id))).sort((a, b) => a - b);
if (common.length < N + 1) throw new Error(`only ${common.length} train ids are held by every model: fewer than --requests ${N} plus one`);
const order = rng(subSeed(seed, 'service-order'));
const requestIds = Array.from(sampleIndices(common.length, N, rng(subSeed(seed, 'service'))), (i) => common[i])
  .map((id) => ({ id, k: order() })).sort((a, b) => a.k - b.k).map((x) => x.id);

/** Test accuracy of a deployment's current version (loaded fresh, as a reader of the deployment would). */
async function currentAcc(name: string): Promise<{ version: number; acc: number }> {
  const v = deploymentView(store, name);
  const ck = await loadCheckpoint(v.currentPath);
  try {
    return { version: v.current, acc: splitAccuracy(ck.model, ds, testIds) };
  } finally {
    ck.model.dispose();
  }
}

interface Row {
  name: string; kind: string; policy: string; trainSeconds: number; trainTestAcc: number;
  seconds: number[]; ledgerSeqs: number[]; methodSeconds: number[]; p50: number; p95: number; mean: number; perMinute: number; requestsTotal: number;
  accuracy: { after: number; version: number; testAcc: number }[];
  retrain?: { seconds: number; version: number; testAcc: number };
  totalSeconds: number; retrainEveryRequestEstimate?: number;
}
const rows: Row[] = [];

for (const s of setups) {
  const t = trained.get(s.name)!;
  log(`\n== ${s.name}: ${s.kind}, policy ${s.policy}, ${N} requests`);
  const seconds: number[] = [];
  const ledgerSeqs: number[] = [];
  const before = await currentAcc(s.name);
  const accuracy: Row['accuracy'] = [{ after: 0, version: before.version, testAcc: before.acc }];
  for (let i = 0; i < N; i++) {
    const t0 = performance.now();
    const { request } = submit(store, { deployment: s.name, forget: { kind: 'ids', ids: [requestIds[i]] }, key: `bench-${s.name}-${i}` });
    const r = await drain(store, s.name);
    const seconds1 = (performance.now() - t0) / 1000;
    if (r.busy) throw new Error(`deployment ${s.name} is held by ${r.busy}`);
    const mine = r.ended.find((e) => e.id === request.id);
    if (!mine || mine.state !== 'done') throw new Error(`request ${request.id} (id ${requestIds[i]}) on ${s.name} ended ${mine?.state ?? 'not at all'}${mine?.error ? `: ${mine.error}` : ''}`);
    if (mine.held !== 1) throw new Error(`request ${request.id} on ${s.name}: the version held ${mine.held} of its 1 id`);
    seconds.push(seconds1);
    ledgerSeqs.push(mine.ledgerSeq!);
    if ((i + 1) % 10 === 0 || i + 1 === N) {
      const a = await currentAcc(s.name);
      accuracy.push({ after: i + 1, version: a.version, testAcc: a.acc });
      log(`  ${i + 1}/${N}: last ${f(seconds1, 3)} s, mean ${f(mean(seconds), 3)} s; version ${a.version}, test acc ${f(a.acc)}%`);
    }
  }
  const row: Row = {
    name: s.name, kind: s.kind, policy: s.policy, trainSeconds: t.seconds, trainTestAcc: t.testAcc,
    seconds, ledgerSeqs, methodSeconds: [], p50: quantile(seconds, 0.5), p95: quantile(seconds, 0.95), mean: mean(seconds), perMinute: (60 * N) / sum(seconds),
    requestsTotal: sum(seconds), accuracy, totalSeconds: sum(seconds),
  };
  if (s.key === 'approximate') {
    log(`  the batched exact retrain (drain with retrainNow) ...`);
    const t0 = performance.now();
    const r = await drain(store, s.name, { retrainNow: true });
    const retrainSeconds = (performance.now() - t0) / 1000;
    if (r.retrained === undefined) throw new Error(`drain with retrainNow on ${s.name} ran no retrain`);
    const view = deploymentView(store, s.name);
    if (view.retrainDue !== null) throw new Error(`${s.name}: a retrain is still due after the batched retrain (${view.retrainDue})`);
    const a = await currentAcc(s.name);
    row.retrain = { seconds: retrainSeconds, version: a.version, testAcc: a.acc };
    row.totalSeconds = row.requestsTotal + retrainSeconds;
    row.retrainEveryRequestEstimate = N * retrainSeconds;
    log(`  retrain: ${f(retrainSeconds, 2)} s, version ${a.version}, test acc ${f(a.acc)}%`);
  }
  rows.push(row);
}

// ——— the record ———
// The method's own time per request, as its ledger entry records it (evidence.seconds): the rest of request-to-done
// is the service's (loading the version, resolving the subject, writing and hashing the new checkpoint, the ledger).
const bySeq = new Map(ledgerOf(store).entries().map((e) => [e.seq, e]));
for (const r of rows) r.methodSeconds = r.ledgerSeqs.map((q) => Number((bySeq.get(q)?.evidence as { seconds?: number } | undefined)?.seconds ?? NaN));
const verdict = verifyAll(store);
const verifyLine = verdict.ok
  ? `ledger verified: ${verdict.size} entries, ${verdict.checked.versions} versions (${verdict.checked.exactVersions} claiming exact deletion hold no deleted id), ${verdict.checked.requests} requests`
  : `ledger verification FAILED at entry ${verdict.seq}: ${verdict.problem}`;

const tenths = [...new Set(rows.flatMap((r) => r.accuracy.map((a) => a.after)))].sort((a, b) => a - b);
const accAt = (r: Row, k: number) => r.accuracy.find((a) => a.after === k)?.testAcc;
print(`backend ${info.summary}; ${availableParallelism()} cores, one process; Fashion-MNIST, ${trainCount} train samples, ${testIds.length} test; MLP ${epochs} epochs `
  + `(the sharded ensemble spends the same epoch budget over its slice stages); ${N} single-sample requests per deployment, each submitted and drained before the next\n`);
print('#### Single-sample deletion requests, one after another\n');
print('| deployment | policy | requests | p50 s | p95 s | mean s | of which the method | req/min | total s | test acc % before | after last request | after retrain |');
print('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const r of rows) {
  const total = r.retrain ? `${f(r.totalSeconds, 1)} (${f(r.requestsTotal, 1)} + retrain ${f(r.retrain.seconds, 1)})` : f(r.totalSeconds, 1);
  print(`| ${r.kind} | ${r.policy} | ${N} | ${f(r.p50, 3)} | ${f(r.p95, 3)} | ${f(r.mean, 3)} | ${f(mean(r.methodSeconds), 3)} | ${f(r.perMinute, 1)} | ${total} | ${f(accAt(r, 0))} | ${f(accAt(r, N))} | ${r.retrain ? f(r.retrain.testAcc) : '—'} |`);
}
for (const r of rows) {
  if (r.retrainEveryRequestEstimate === undefined) continue;
  print(`| ${r.kind}, exact by retraining for every request (estimate: ${N} × the ${f(r.retrain!.seconds, 1)} s retrain) | retrain | ${N} | — | — | ${f(r.retrain!.seconds, 3)} | — | ${f(60 / r.retrain!.seconds, 1)} | ${f(r.retrainEveryRequestEstimate, 1)} (estimate) | ${f(accAt(r, 0))} | — | — |`);
}
print(`\n#### Test accuracy % of the current version after every tenth request\n`);
print(`| deployment | ${tenths.map((k) => `k=${k}`).join(' | ')} | after retrain |`);
print(`|---|${tenths.map(() => '---:').join('|')}|---:|`);
for (const r of rows) print(`| ${r.kind} | ${tenths.map((k) => f(accAt(r, k))).join(' | ')} | ${r.retrain ? f(r.retrain.testAcc) : '—'} |`);
print(`\n${verifyLine}`);

mkdirSync('bench/results', { recursive: true });
writeFileSync(out, JSON.stringify({
  backend: info, cores: availableParallelism(), data: { ...data, train: trainCount, test: testIds.length }, epochs, dim, shards, slices, seed, requests: N, quick,
  requestIds, results: rows, verify: verdict,
}, null, 2));
print(`written to ${out}`);
store.close();
if (!verdict.ok) {
  keepHome = true;
  process.exitCode = 1;
}
