// End-to-end: the `lethe` command as a user runs it, in its own process, with a temporary LETHE_HOME.
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeIdx } from '../src/data/formats/idx.ts';
import { ADDON_PATH } from '../src/engine/native/addon.ts';
import { Store } from '../src/store/store.ts';

const BIN = fileURLToPath(new URL('../bin/lethe.js', import.meta.url));
const MINI = fileURLToPath(new URL('../data/fashion-mnist-mini', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'lethe-cli-'));
const home = join(work, 'home');
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface Ran {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** The backend a command starts without LETHE_BACKEND: native where the addon was built at npm ci, else wasm. */
const DEFAULT_BACKEND = existsSync(ADDON_PATH) ? 'native' : 'wasm';

function lethe(args: string[], onStderr?: (chunk: string, child: ReturnType<typeof spawn>) => void, extraEnv: NodeJS.ProcessEnv = {}): Promise<Ran> {
  const env: NodeJS.ProcessEnv = { ...process.env, LETHE_HOME: home };
  delete env.LETHE_DEBUG;
  delete env.LETHE_BACKEND;
  Object.assign(env, extraEnv);
  return new Promise((res, rej) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: work, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => {
      stderr += d;
      onStderr?.(String(d), child);
    });
    child.on('error', rej);
    child.on('close', (code, signal) => res({ code, signal, stdout, stderr }));
  });
}

/** Runs commands at most `limit` at a time (each process is mostly CPU-bound start-up). */
async function lethePool(commands: string[][], limit = 3): Promise<Ran[]> {
  const out: Ran[] = new Array(commands.length);
  let next = 0;
  const worker = async () => {
    while (next < commands.length) {
      const i = next++;
      out[i] = await lethe(commands[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, commands.length) }, worker));
  return out;
}

/** Parses a predict CSV into its header and rows. */
function readPredictions(path: string) {
  const [header, ...lines] = readFileSync(path, 'utf8').trimEnd().split('\n');
  const rows = lines.map((l) => {
    const [id, label, split, ...p] = l.split(',');
    return { id: Number(id), label: Number(label), split, p: p.map(Number) };
  });
  return { header, rows };
}

const argmax = (p: number[]) => p.reduce((best, v, i) => (v > p[best] ? i : best), 0);

describe('lethe train / predict', () => {
  let first: Record<string, unknown>;
  let pa: Ran, pb: Ran, pt: Ran, unwritable: Ran, otherData: Ran;

  beforeAll(async () => {
    const [a, b] = await Promise.all([
      lethe(['train', '--data', 'synthetic', '--model', 'mlp', '--epochs', '2', '--seed', '3', '--out', 'a', '--json']),
      lethe(['train', '--data', 'synthetic', '--model', 'mlp', '--epochs', '2', '--seed', '3', '--out', 'b', '--json']),
    ]);
    expect(a.stderr).not.toMatch(/^lethe:/m);
    expect(a.code).toBe(0);
    expect(b.code).toBe(0);
    first = JSON.parse(a.stdout);
    // 8x8 images like synthetic, but 6 classes: a synthetic checkpoint must not be read against it.
    const six = join(work, 'six-classes');
    mkdirSync(six);
    const imgs = (n: number) => gzipSync(encodeIdx([n, 8, 8], new Uint8Array(n * 64)));
    const labels = (n: number) => gzipSync(encodeIdx([n], Uint8Array.from({ length: n }, (_, i) => i % 6)));
    writeFileSync(join(six, 'train-images-idx3-ubyte.gz'), imgs(12));
    writeFileSync(join(six, 'train-labels-idx1-ubyte.gz'), labels(12));
    writeFileSync(join(six, 't10k-images-idx3-ubyte.gz'), imgs(6));
    writeFileSync(join(six, 't10k-labels-idx1-ubyte.gz'), labels(6));
    [pa, pb, pt, unwritable, otherData] = await lethePool([
      ['predict', '--model', 'a', '--out', 'pa.csv', '--json'],
      ['predict', '--model', 'b', '--out', 'pb.csv'],
      ['predict', '--model', 'a', '--split', 'test', '--out', 'pt.csv'],
      ['predict', '--model', 'a', '--out', join(work, 'no', 'such', 'dir', 'p.csv')],
      ['predict', '--model', 'a', '--data', 'six-classes', '--out', 'six.csv'],
    ]);
  });

  it('--json prints one JSON document with the results, and writes the checkpoint', () => {
    expect(first).toMatchObject({ checkpoint: 'a', backend: DEFAULT_BACKEND });
    for (const k of ['trainAcc', 'testAcc', 'seconds']) expect(typeof first[k]).toBe('number');
    expect(first.seconds as number).toBeGreaterThan(0);
    // 4 well-separated classes: far above the 25% of chance
    expect(first.testAcc as number).toBeGreaterThan(80);
    expect(readdirSync(join(work, 'a')).sort()).toEqual(['manifest.bin', 'meta.json', 'model.json', 'weights.bin']);
    const meta = JSON.parse(readFileSync(join(work, 'a', 'meta.json'), 'utf8'));
    expect(meta).toMatchObject({ id: first.modelId, arch: 'mlp', seed: 3, dataset: { name: 'synthetic' }, method: 'train', parent: null });
    // The training manifest: all 1,200 synthetic train samples.
    expect(meta.manifest.count).toBe(1200);
    expect(meta.recipe).toMatchObject({ epochs: 2 });
  });

  it('records the model in the store under LETHE_HOME', () => {
    const store = new Store(join(home, 'lethe.db'));
    try {
      const row = store.getModel(first.modelId as string);
      expect(row).toMatchObject({ path: resolve(work, 'a'), arch: 'mlp', seed: 3, method: 'train', parent: null });
      expect(row!.metrics.testAcc).toBe(first.testAcc);
      expect(store.listModels().length).toBe(2);
    } finally {
      store.close();
    }
  });

  it('compare --bank N ranks every method\'s bank beside its avgGap and writes the bank\'s CSVs', async () => {
    const r = await lethe(['compare', '--original', 'a', '--forget', 'random:20:seed=1', '--methods', 'ga', '--seeds', '1', '--bank', '3', '--parallel', '1', '--out', 'cmp-bank']);
    expect(r.stderr).not.toMatch(/^lethe:/m);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Many-model evaluation: .*N = 3 runs against N = 3 retrained models/);
    expect(r.stdout).toMatch(/\| ga \| \d+\.\d{4} \| \d+\.\d{4} \| 1 \| \d+\.\d{2} \| 1 \|/);
    const banks = JSON.parse(readFileSync(join(work, 'cmp-bank', 'banks.json'), 'utf8'));
    expect(banks).toHaveLength(1);
    expect(banks[0]).toMatchObject({ method: 'ga', n: 3, forgetCount: 20 });
    expect(readFileSync(banks[0].files.confidences, 'utf8').trim().split('\n')).toHaveLength(1 + 2 * 3 * 20);
    expect(readFileSync(banks[0].files.epsilon, 'utf8').trim().split('\n')).toHaveLength(1 + 20);
  }, 60_000);

  it('the same seed gives byte-identical weights and predictions', () => {
    expect(readFileSync(join(work, 'b', 'weights.bin')).equals(readFileSync(join(work, 'a', 'weights.bin')))).toBe(true);
    expect(pa.code).toBe(0);
    expect(pb.code).toBe(0);
    expect(JSON.parse(pa.stdout)).toEqual({ rows: 1600, out: 'pa.csv', classes: 4 });
    expect(readFileSync(join(work, 'pa.csv')).equals(readFileSync(join(work, 'pb.csv')))).toBe(true);
  });

  it('predict writes id,label,split,p0..p3 with rows that sum to 1, consistent with the reported accuracy', () => {
    const { header, rows } = readPredictions(join(work, 'pa.csv'));
    expect(header).toBe('id,label,split,p0,p1,p2,p3');
    expect(rows.length).toBe(1600);
    rows.forEach((r, i) => {
      // synthetic: ids 0..1199 train, 1200..1599 test, label = id % 4
      expect(r.id).toBe(i);
      expect(r.label).toBe(i % 4);
      expect(r.split).toBe(i < 1200 ? 'train' : 'test');
      expect(r.p.length).toBe(4);
      expect(r.p.every((v) => v >= 0 && v <= 1)).toBe(true);
      expect(Math.abs(r.p.reduce((x, y) => x + y, 0) - 1)).toBeLessThan(1e-5);
    });
    // accuracy recomputed from the CSV matches what `train` reported
    const acc = (split: string) => {
      const s = rows.filter((r) => r.split === split);
      return (100 * s.filter((r) => argmax(r.p) === r.label).length) / s.length;
    };
    expect(acc('test')).toBeCloseTo(first.testAcc as number, 6);
    expect(acc('train')).toBeCloseTo(first.trainAcc as number, 6);
  });

  it('predict --split test writes only the test rows, identical to those of --split all', () => {
    expect(pt.code).toBe(0);
    const all = readFileSync(join(work, 'pa.csv'), 'utf8').trimEnd().split('\n');
    const test = readFileSync(join(work, 'pt.csv'), 'utf8').trimEnd().split('\n');
    expect(test).toEqual([all[0], ...all.slice(1 + 1200)]);
  });

  it('predict to an unwritable path, or against data of another shape, is one clear line', () => {
    for (const [r, why] of [[unwritable, /p\.csv: cannot write \(ENOENT\)/], [otherData, /4 classes.*six-classes has 8x8x1 inputs and 6 classes/]] as const) {
      expect(r.code).toBe(1);
      expect(r.stderr.trimEnd().split('\n'), r.stderr).toHaveLength(1);
      expect(r.stderr).toMatch(/^lethe: /);
      expect(r.stderr).toMatch(why);
    }
    expect(existsSync(join(work, 'six.csv'))).toBe(false);
  });
});

describe('lethe manipulate', () => {
  it('writes a data set that --data loads and whose manipulated samples a forget spec names', async () => {
    const made = await lethe(['--json', 'manipulate', '--data', 'synthetic', '--poison', 'patch:count=40:target=2:seed=3', '--out', 'poisoned']);
    expect(made.code, made.stderr).toBe(0);
    const out = JSON.parse(made.stdout);
    expect(out).toMatchObject({ out: 'poisoned', manipulation: 'patch:count=40:target=2:seed=3', count: 40, source: { name: 'synthetic' } });
    const record = JSON.parse(readFileSync(join(work, 'poisoned', 'manipulation.json'), 'utf8')).manipulation;
    expect(record.ids).toEqual(out.ids);
    const half = await lethe(['forget', '--data', 'poisoned', '--forget', 'manipulated:0.5:seed=1']);
    expect(half.code, half.stderr).toBe(0);
    const ids = half.stdout.trimEnd().split('\n').map(Number);
    expect(ids).toHaveLength(20);
    expect(ids.every((id) => record.ids.includes(id))).toBe(true);
    const again = await lethe(['manipulate', '--data', 'synthetic', '--confuse', '1,2:count=4', '--out', 'poisoned']);
    expect(again.stderr.trimEnd()).toMatch(/^lethe: --out: poisoned exists and is not empty; give a new folder$/);
  });
});

describe('lethe protect', () => {
  it('writes a protected copy with its record that --data trains on; bad input is one line', async () => {
    const made = await lethe(['--json', 'protect', '--data', 'synthetic', '--train-size', '100', '--method', 'cuda:blur=0.2:seed=4', '--out', 'protected']);
    expect(made.code, made.stderr).toBe(0);
    expect(JSON.parse(made.stdout)).toMatchObject({ out: 'protected', protection: 'cuda:blur=0.2:seed=4', count: 100, source: { name: 'synthetic', trainSize: 100 } });
    const record = JSON.parse(readFileSync(join(work, 'protected', 'protection.json'), 'utf8'));
    expect(record).toMatchObject({ format: 'lethe-protection', protection: { method: 'cuda', params: { blur: 0.2, seed: 4 } } });
    expect(record.protection.key.kernels).toHaveLength(4);
    const trained = await lethe(['--json', 'train', '--data', 'protected', '--epochs', '1', '--out', 'on-protected']);
    expect(trained.code, trained.stderr).toBe(0);
    const bad: [string[], RegExp][] = [
      [['--method', 'clusters'], /unknown protection "clusters": use one of cuda/],
      [['--method', 'cuda:blur=0'], /cuda: blur must be a finite number > 0, got 0/],
      [['--method', 'cuda:blur=NaN'], /cuda: blur "NaN" is not a number/],
    ];
    writeFileSync(join(work, 'tab.csv'), 'a,b,y,split\n1,2,0,train\n3,4,1,train\n5,6,0,test\n');
    const runs = await Promise.all([
      ...bad.map(([extra]) => lethe(['protect', '--data', 'synthetic', ...extra, '--out', 'p1'])),
      lethe(['protect', '--data', 'tab.csv', '--label-column', 'y', '--method', 'cuda', '--out', 'p1']),
    ]);
    bad.forEach(([, why], i) => expect(runs[i].stderr.trimEnd()).toMatch(new RegExp(`^[^\\n]*${why.source}[^\\n]*$`)));
    expect(runs[3].stderr.trimEnd()).toMatch(/^lethe: --method: cuda protects images \(height × width × channels\); tab\.csv is tabular \(2 features\)$/);
    expect(runs.every((r) => r.code !== 0)).toBe(true);
  });

  it('uc learns its key with progress on stderr, and the record loads back through --data', async () => {
    const made = await lethe(['--json', 'protect', '--data', 'synthetic', '--train-size', '100', '--method', 'uc:clusters=3:steps=20:seed=1', '--out', 'protected-uc']);
    expect(made.code, made.stderr).toBe(0);
    expect(JSON.parse(made.stdout)).toMatchObject({ protection: 'uc:eps=16:clusters=3:steps=20:seed=1', count: 100 });
    expect(made.stderr).toMatch(/uc: surrogate/);
    expect(made.stderr).toMatch(/uc: perturbations/);
    const record = JSON.parse(readFileSync(join(work, 'protected-uc', 'protection.json'), 'utf8'));
    expect(record.protection.key.deltas).toHaveLength(3);
    expect(record.protection.key.clusters).toHaveLength(100);
    const trained = await lethe(['--json', 'train', '--data', 'protected-uc', '--epochs', '1', '--out', 'on-uc']);
    expect(trained.code, trained.stderr).toBe(0);
  });
});

describe('lethe forget', () => {
  let toFile: Ran, toStdout: Ran;
  beforeAll(async () => {
    [toFile, toStdout] = await lethePool([
      ['forget', '--data', 'synthetic', '--forget', 'class:1', '--out', 'f.txt', '--json'],
      ['forget', '--data', 'synthetic', '--forget', 'random:5:seed=2'],
    ]);
  });

  it('writes the resolved forget ids of class:1 (300 of 1200 train samples)', () => {
    const r = toFile;
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ spec: 'class:1', forget: 300, retain: 900, test: 400, out: 'f.txt' });
    const ids = readFileSync(join(work, 'f.txt'), 'utf8').trimEnd().split('\n').map(Number);
    // classes cycle i % 4 over train ids 0..1199
    expect(ids).toEqual(Array.from({ length: 300 }, (_, k) => 4 * k + 1));
  });

  it('without --out prints the ids, one a line', () => {
    const r = toStdout;
    expect(r.code).toBe(0);
    const ids = r.stdout.trimEnd().split('\n').map(Number);
    expect(ids.length).toBe(5);
    expect(new Set(ids).size).toBe(5);
    expect(ids.every((i) => Number.isInteger(i) && i >= 0 && i < 1200)).toBe(true);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
  });
});

describe('lethe errors', () => {
  const truncatedGz = join(work, 'trunc-gz');
  const truncatedRaw = join(work, 'trunc-raw');

  const cases: [string, string[], RegExp][] = [
    ['--lr NaN', ['train', '--data', 'synthetic', '--lr', 'NaN'], /--lr/],
    ['--epochs -1', ['train', '--data', 'synthetic', '--epochs', '-1'], /--epochs.*-1/],
    ['--model nope', ['train', '--data', 'synthetic', '--model', 'nope'], /--model: unknown architecture: use one of mlp, small-cnn, resnet-mini \(got "nope"\)/],
    ['unknown flag', ['train', '--data', 'synthetic', '--bogus'], /unknown option '--bogus'/],
    ['unknown command', ['trian'], /unknown command 'trian'/],
    ['missing checkpoint', ['predict', '--model', 'does/not/exist'], /does\/not\/exist/],
    ['unknown data set', ['train', '--data', 'no-such-data'], /unknown data set "no-such-data"/],
    ['bad forget spec', ['forget', '--data', 'synthetic', '--forget', 'class:x'], /bad forget spec "class:x"/],
    ['unknown class', ['forget', '--data', 'synthetic', '--forget', 'class:9'], /unknown class 9/],
    ['missing ids file', ['forget', '--data', 'synthetic', '--forget', 'ids:nope.txt'], /cannot read nope\.txt \(ENOENT\)/],
    ['manipulate: count too large', ['manipulate', '--data', 'synthetic', '--poison', 'patch:count=5000:target=0', '--out', 'm1'], /--poison: count 5000 is more than the 1200 train samples of synthetic/],
    ['manipulate: unknown kind', ['manipulate', '--data', 'synthetic', '--poison', 'blob:count=1', '--out', 'm1'], /unknown poison kind "blob"/],
    ['manipulate: A = B', ['manipulate', '--data', 'synthetic', '--confuse', '2,2:count=4', '--out', 'm1'], /the two classes must differ/],
    ['manipulate: both kinds', ['manipulate', '--data', 'synthetic', '--confuse', '1,2:count=4', '--poison', 'patch:count=1:target=0', '--out', 'm1'], /exactly one of --poison SPEC or --confuse SPEC/],
    ['manipulated forget on plain data', ['forget', '--data', 'synthetic', '--forget', 'manipulated:0.1'], /synthetic records no manipulation/],
    ['compare: --sweep and --forget', ['compare', '--original', 'nowhere', '--forget', 'class:1', '--sweep', 'manipulated:0.1'], /exactly one of --forget SPEC or --sweep/],
    ['truncated gzip IDX', ['train', '--data', 'trunc-gz', '--epochs', '1'], /train-images-idx3-ubyte\.gz: corrupt or truncated gzip/],
    ['truncated IDX', ['train', '--data', 'trunc-raw', '--epochs', '1'], /train-labels-idx1-ubyte: truncated: header says 3000/],
    // Method and parameters are checked before the checkpoint is read: the missing model is never reached.
    ...([
      ['unknown method', ['--method', 'forgetall'], /--method: unknown method "forgetall": use one of retrain, ft, .*influence/],
      ['unknown parameter', ['--method', 'salun', '--param', 'nope=1'], /bad parameter for salun "nope": Unrecognized key/],
      ['NaN parameter', ['--method', 'salun', '--param', 'lr=NaN'], /bad parameter for salun "lr": .*NaN/],
      ['out-of-range parameter', ['--method', 'salun', '--param', 'steps=-5'], /bad parameter for salun "steps": Too small/],
      ['wrong-type parameter', ['--method', 'bad-teacher', '--param', 'retainedClassesOnly=maybe'], /"retainedClassesOnly": .*expected boolean/],
      ['parameter without a value', ['--method', 'salun', '--param', 'steps'], /--param expects key=value, got "steps"/],
    ] as const).map(([name, extra, why]): [string, string[], RegExp] =>
      [`unlearn: ${name}`, ['unlearn', '--model', 'nowhere', '--forget', 'class:1', ...extra, '--out', 'never'], why]),
  ];

  let ran: Ran[];
  beforeAll(async () => {
    // Copies of the committed mini set, one with a cut gzip file, one with a short uncompressed file.
    for (const d of [truncatedGz, truncatedRaw]) {
      mkdirSync(d);
      for (const f of readdirSync(MINI)) copyFileSync(join(MINI, f), join(d, f));
    }
    const gz = join(truncatedGz, 'train-images-idx3-ubyte.gz');
    truncateSync(gz, Math.floor(readFileSync(gz).length / 2));
    rmSync(join(truncatedRaw, 'train-labels-idx1-ubyte.gz'));
    writeFileSync(join(truncatedRaw, 'train-labels-idx1-ubyte'), encodeIdx([3000], new Uint8Array(3000)).subarray(0, 1000));
    ran = await lethePool(cases.map(([, args]) => args));
  });

  it.each(cases.map((c, i) => [...c, i] as const))('%s: one line on stderr, no stack, non-zero exit', (_name, _args, why, i) => {
    const r = ran[i];
    expect(r.code).not.toBe(0);
    expect(r.code).not.toBeNull();
    expect(r.stdout).toBe('');
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines, r.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(/^(lethe|error): /);
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(lines[0]).toMatch(why);
  });

  it('Ctrl-C during training cancels: exit 130, a one-line message, no checkpoint', async () => {
    let sent = false;
    // Progress lines on stderr mean training has started, so the Ctrl-C handler is in place.
    const r = await lethe(['train', '--data', 'synthetic', '--epochs', '500', '--out', 'interrupted'], (chunk, child) => {
      if (!sent && /^train /m.test(chunk)) {
        sent = true;
        child.kill('SIGINT');
      }
    });
    expect(r.code).toBe(130);
    expect(r.stderr.trimEnd().split('\n').at(-1)).toBe('lethe: train was cancelled');
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(existsSync(join(work, 'interrupted'))).toBe(false);
    expect(readdirSync(work).filter((e) => e.startsWith('.interrupted'))).toEqual([]);
  });
});

describe('lethe info', () => {
  it('--json reports the default backend (native where built, with its OpenBLAS), and the store under LETHE_HOME', async () => {
    const r = await lethe(['info', '--json']);
    expect(r.code).toBe(0);
    const info = JSON.parse(r.stdout);
    expect(info.backend).toBe(DEFAULT_BACKEND);
    if (DEFAULT_BACKEND === 'native') {
      expect(info.blas).toMatchObject({ coreType: expect.any(String), threads: 1, kernelThreads: availableParallelism() });
      // A core type this machine's environment sets is the one in use.
      if (process.env.OPENBLAS_CORETYPE) expect(info.blas).toMatchObject({ coreTypeSource: 'environment' });
    } else {
      expect(info.native).toMatch(/native backend/);
    }
    const wasm = JSON.parse((await lethe(['info', '--json'], undefined, { LETHE_BACKEND: 'wasm' })).stdout);
    expect(wasm).toMatchObject({ backend: 'wasm', simd: true });
    expect(wasm.native).toEqual(expect.any(String));
    expect(info.version).toBe(JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version);
    expect(info.store.path).toBe(join(home, 'lethe.db'));
    expect(info.store.schema).toBeGreaterThanOrEqual(1);
    expect(info.models).toEqual(['mlp', 'small-cnn', 'resnet-mini']);
    expect(info.data['fashion-mnist-mini'].found).toBe(true);
  });
});

describe('lethe train --recipe analytic / unlearn --method analytic', () => {
  let trained: Ran, single: Ran, exact: Ran, wrongMethod: Ran, wrongKind: Ran;

  beforeAll(async () => {
    [trained, single] = await Promise.all([
      lethe(['train', '--data', 'synthetic', '--recipe', 'analytic:dim=32,gamma=0.1', '--out', 'an', '--json']),
      lethe(['train', '--data', 'synthetic', '--model', 'mlp', '--epochs', '1', '--out', 'an-single']),
    ]);
    [exact, wrongMethod, wrongKind] = await lethePool([
      ['unlearn', '--model', 'an', '--forget', 'class:1', '--method', 'analytic', '--out', 'an-u', '--json'],
      ['unlearn', '--model', 'an', '--forget', 'class:1', '--method', 'ft', '--out', 'an-ft'],
      ['unlearn', '--model', 'an-single', '--forget', 'class:1', '--method', 'analytic', '--out', 'an-x'],
    ]);
  });

  it('trains an analytic checkpoint with its head state, and says what it did not use', () => {
    expect(trained.code, trained.stderr).toBe(0);
    expect(JSON.parse(trained.stdout).note).toMatch(/dim 32, gamma 0.1.*epochs/);
    expect(JSON.parse(readFileSync(join(work, 'an', 'meta.json'), 'utf8'))).toMatchObject({ kind: 'analytic', arch: 'random-features-32', head: { dim: 32, gamma: 0.1 } });
    // R and A (33×33 with the bias row), W and B (33×4), float64.
    expect(readFileSync(join(work, 'an', 'head.bin')).length).toBe(2 * (33 * 33 + 33 * 4) * 8);
  });

  it('deletes a class exactly: the result is an analytic checkpoint with 900 rows left', () => {
    expect(exact.code, exact.stderr).toBe(0);
    expect(JSON.parse(exact.stdout).forgetTestAcc).toBeLessThan(10);
    expect(JSON.parse(readFileSync(join(work, 'an-u', 'meta.json'), 'utf8')).head.rows).toBe(900);
  });

  it('a method that does not take the model kind is one line, and writes nothing', () => {
    expect(single.code, single.stderr).toBe(0);
    for (const [r, why, out] of [
      [wrongMethod, 'lethe: ft cannot unlearn an analytic model: it takes single models', 'an-ft'],
      [wrongKind, 'lethe: analytic cannot unlearn a single model: it takes analytic models', 'an-x'],
    ] as const) {
      expect(r.code).not.toBe(0);
      expect(r.stderr.trimEnd().split('\n'), r.stderr).toEqual([why]);
      expect(existsSync(join(work, out))).toBe(false);
    }
  });
});
