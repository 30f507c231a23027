// Every task kind of the task map, given the same inputs on the command line and over HTTP: both edges must
// accept and reject exactly the same ones, and an accepted input must reach the task as the same arguments.
// The CLI side runs the real commander program in-process with the task run itself replaced by a recorder
// (this test is about what reaches a task, not about training); the HTTP side is the real app on a real
// store, with a paused runner so that accepted jobs are queued but never started.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

const ran: { kind: string; args: unknown }[] = [];
/** Thrown by the recorder, so that the command stops where the task would have started. */
class Recorded extends Error {}
vi.mock('../src/jobs/tasks.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('../src/jobs/tasks.ts')>();
  return {
    ...real,
    runTask: async (kind: string, args: unknown) => {
      ran.push({ kind, args });
      throw new Recorded();
    },
  };
});

const { TASK_KINDS } = await import('../src/jobs/tasks.ts');
const { trainTask, TrainArgs } = await import('../src/jobs/train-task.ts');
const { JobRunner } = await import('../src/jobs/runner.ts');
const { createApp } = await import('../src/server/app.ts');
const { Store } = await import('../src/store/store.ts');
const { buildProgram } = await import('../src/cli/program.ts');

type Value = string | number | string[] | Record<string, unknown>;
type Input = Record<string, Value>;

const home = mkdtempSync(join(tmpdir(), 'lethe-parity-'));
process.env.LETHE_HOME = home;
const store = new Store(join(home, 'lethe.db'));
const runner = new JobRunner({ store, prewarm: false, paused: true });
const app = createApp({ store, runner });
/** The same model as a checkpoint folder (CLI) and as a store id (HTTP). */
const M = { dir: join(home, 'base'), id: '' };

/** An input as argv: `--key value`, `--param k=v` (or `--param method.k=v` for compare), lists joined by commas. */
/** The command of a task kind where it is not the kind's name: a sweep is `lethe compare --sweep`. */
const COMMAND_OF: Record<string, string> = { sweep: 'compare' };

function argv(kind: string, input: Input): string[] {
  const out: string[] = [COMMAND_OF[kind] ?? kind];
  for (const [key, v] of Object.entries(input)) {
    if (key === 'params') {
      for (const [k, p] of Object.entries(v as Record<string, unknown>)) {
        if (p && typeof p === 'object') for (const [pk, pv] of Object.entries(p)) out.push('--param', `${k}.${pk}=${pv}`);
        else out.push('--param', `${k}=${p}`);
      }
    } else {
      out.push(`--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`, Array.isArray(v) ? v.join(',') : String(v === M.id ? M.dir : v));
    }
  }
  if (kind === 'unlearn' || kind === 'continual') out.push('--out', join(home, 'never'));
  return out;
}

async function viaCli(kind: string, input: Input): Promise<{ ok: boolean; args?: unknown }> {
  ran.length = 0;
  const program = (await buildProgram()).configureOutput({ writeErr: () => undefined, writeOut: () => undefined });
  for (const c of program.commands) c.configureOutput({ writeErr: () => undefined, writeOut: () => undefined });
  try {
    await program.parseAsync(['node', 'lethe', ...argv(kind, input)]);
  } catch (e) {
    if (!(e instanceof Recorded)) return { ok: false };
  }
  return { ok: ran.length === 1, args: ran[0]?.args };
}

async function viaHttp(kind: string, input: Input): Promise<{ ok: boolean; args?: unknown }> {
  // NaN has no JSON form: a client sends null, which must be refused the same way.
  const body = JSON.stringify({ kind, args: input }, (_, v) => (typeof v === 'number' && Number.isNaN(v) ? null : v));
  const r = await app.request('/api/jobs', { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  const json = await r.json();
  return r.status === 202 ? { ok: true, args: json.args } : { ok: false };
}

/** Model references differ by edge (a folder, an id): compare the arguments with the reference replaced. */
const same = (a: unknown) => JSON.parse(JSON.stringify(a).replaceAll(JSON.stringify(M.dir), JSON.stringify(M.id)));

const CASES: Record<(typeof TASK_KINDS)[number], { accept: Input[]; reject: Input[] }> = {
  train: {
    accept: [
      { data: 'synthetic', model: 'mlp' }, { data: 'synthetic', model: 'small-cnn', epochs: 1000, batchSize: 65536, lr: 10, momentum: 0.999, seed: -3 },
      { data: 'synthetic', model: 'mlp', recipe: 'analytic:dim=64,gamma=0.5' }, { data: 'synthetic', model: 'mlp', recipe: 'analytic' },
      { data: 'synthetic', model: 'small-cnn', recipe: 'sharded:shards=5,slices=4' }, { data: 'synthetic', model: 'mlp', recipe: 'sharded:shards=2,slices=3,orders=3,byGroup=true' },
    ],
    reject: [
      { data: 'synthetic', model: 'mlp', epochs: 0 }, { data: 'synthetic', model: 'mlp', epochs: 1001 }, { data: 'synthetic', model: 'mlp', epochs: 1.5 },
      { data: 'synthetic', model: 'mlp', lr: NaN }, { data: 'synthetic', model: 'mlp', lr: 0 }, { data: 'synthetic', model: 'mlp', batchSize: 65537 },
      { data: 'synthetic', model: 'vgg' }, { data: 'synthetic', model: 'mlp', optimizer: 'rmsprop' }, { data: 'synthetic', model: 'mlp', momentum: 1 },
      { data: 'synthetic', model: 'mlp', trainSize: 0 }, { data: 'synthetic', model: 'mlp', weightDecay: -1 },
      { data: 'synthetic', model: 'mlp', recipe: 'sharded:shards=0' }, { data: 'synthetic', model: 'mlp', recipe: 'sharded:slices=2,orders=3' },
      { data: 'synthetic', model: 'mlp', recipe: 'sharded:shards=65' }, { data: 'synthetic', model: 'mlp', recipe: 'sharded:byGroup=maybe' },
      { data: 'synthetic', model: 'mlp', recipe: 'analytic:dim=0' },
      { data: 'synthetic', model: 'mlp', recipe: 'analytic:dim=8193' }, { data: 'synthetic', model: 'mlp', recipe: 'analytic:gamma=NaN' },
      { data: 'synthetic', model: 'mlp', recipe: 'analytic:gamma=-1' }, { data: 'synthetic', model: 'mlp', recipe: 'analytic:gamma=0' },
      { data: 'synthetic', model: 'mlp', recipe: 'analytic:depth=3' }, { data: 'synthetic', model: 'mlp', recipe: 'analytic:backbone=runs/core' },
    ],
  },
  unlearn: {
    accept: [{ model: '$M', forget: 'class:1', method: 'ft' }, { model: '$M', forget: 'random:5:seed=2', method: 'salun', params: { lr: 0.01 }, seed: 7 }, { model: '$M', data: 'synthetic', trainSize: 600, forget: 'class:1', method: 'ft' }],
    reject: [
      { model: '$M', forget: 'class:1', method: 'nope' }, { model: '$M', forget: 'class:9', method: 'ft' }, { model: '$M', forget: 'class:x', method: 'ft' },
      { model: '$M', forget: 'class:1', method: 'salun', params: { lr: 5 } }, { model: '$M', forget: 'class:1', method: 'salun', params: { bogus: 1 } },
      { model: '$M', forget: 'class:1', method: 'ft', seed: 1.5 }, { model: '$M', forget: 'random:2:seed=1:x', method: 'ft' },
      { model: '$M', data: 'synthetic', trainSize: 0, forget: 'class:1', method: 'ft' },
    ],
  },
  eval: {
    accept: [{ model: '$M', reference: '$M', forget: 'class:1' }, { model: '$M', reference: '$M', forget: 'group:u0', original: '$M' }],
    reject: [{ model: '$M', reference: '$M', forget: 'class:x' }, { model: '$M', reference: '$M', forget: 'class:4' }],
  },
  compare: {
    accept: [{ original: '$M', forget: 'random:0.1:seed=1', methods: ['ft'], seeds: 20 }, { original: '$M', forget: 'class:1', methods: ['ft', 'rl'], params: { rl: { lr: 0.001 } } }],
    reject: [
      { original: '$M', forget: 'class:1', seeds: 21 }, { original: '$M', forget: 'class:1', seeds: 0 }, { original: '$M', forget: 'class:1', methods: ['nope'] },
      { original: '$M', forget: 'class:1', methods: ['ft'], params: { rl: { lr: 0.001 } } }, { original: '$M', forget: 'class:1', methods: ['ft'], params: { ft: { lr: -1 } } },
      { original: '$M', forget: 'class:7' },
      { original: '$M', forget: 'class:1', methods: ['analytic'] },
    ],
  },
  continual: {
    accept: [{ model: '$M', method: 'ft', random: 3 }, { model: '$M', method: 'salun', params: { lr: 0.01 }, random: 10, together: 5, seed: 2 }],
    reject: [
      { model: '$M', method: 'ft' }, { model: '$M', method: 'ft', random: 0 }, { model: '$M', method: 'ft', random: 10_001 },
      { model: '$M', method: 'ft', random: 3, together: 0 }, { model: '$M', method: 'ft', random: NaN }, { model: '$M', method: 'nope', random: 3 },
      { model: '$M', method: 'sisa', random: 3 }, { model: '$M', method: 'salun', params: { lr: 5 }, random: 3 },
    ],
  },
  tune: {
    accept: [
      { original: '$M', forget: 'random:0.1:seed=1' },
      { original: '$M', forget: 'class:1', methods: ['rl', 'salun'], budget: 8, seeds: 3, eta: 2, validation: 0.2, validationSeed: 4 },
      { original: '$M', forget: 'class:1', validation: 120 },
    ],
    reject: [
      { original: '$M', forget: 'class:1', methods: ['retrain'] }, { original: '$M', forget: 'class:1', methods: ['nope'] },
      { original: '$M', forget: 'class:1', budget: 0 }, { original: '$M', forget: 'class:1', budget: 201 }, { original: '$M', forget: 'class:1', seeds: 11 },
      { original: '$M', forget: 'class:1', eta: 1 }, { original: '$M', forget: 'class:1', validation: 0 }, { original: '$M', forget: 'class:1', validation: NaN },
      { original: '$M', forget: 'class:7' }, { original: '$M', forget: 'class:1', methods: ['analytic'] },
    ],
  },
  bank: {
    accept: [
      { original: '$M', forget: 'class:1', method: 'ft' },
      { original: '$M', forget: 'random:0.1:seed=1', method: 'salun', params: { lr: 0.01 }, n: 64, samples: 200, parallel: 1 },
    ],
    reject: [
      { original: '$M', forget: 'class:1', method: 'retrain' }, { original: '$M', forget: 'class:1', method: 'nope' },
      { original: '$M', forget: 'class:1', method: 'ft', n: 2 }, { original: '$M', forget: 'class:1', method: 'ft', n: 513 },
      { original: '$M', forget: 'class:1', method: 'ft', n: NaN }, { original: '$M', forget: 'class:1', method: 'salun', params: { lr: 5 } },
      { original: '$M', forget: 'class:7', method: 'ft' }, { original: '$M', forget: 'class:1', method: 'analytic' },
    ],
  },
  ulira: {
    accept: [
      { original: '$M', method: 'ft' }, { original: '$M', method: 'retrain' },
      { original: '$M', method: 'salun', params: { lr: 0.01 }, shadows: 256, targets: 50, retain: 20, parallel: 1 },
    ],
    reject: [
      { original: '$M', method: 'nope' }, { original: '$M', method: 'ft', shadows: 3 }, { original: '$M', method: 'ft', shadows: 257 },
      { original: '$M', method: 'ft', shadows: NaN }, { original: '$M', method: 'ft', targets: 0 }, { original: '$M', method: 'ft', retain: 1.5 },
      { original: '$M', method: 'salun', params: { lr: 5 } }, { original: '$M', method: 'analytic' },
    ],
  },
  sweep: {
    accept: [
      { original: '$M', sweep: 'manipulated:0.1,0.5:seed=2', methods: ['ft'], seeds: 2 },
      { original: '$M', sweep: 'manipulated:1', methods: ['ft', 'ssd'], params: { ft: { lr: 0.01 } } },
    ],
    reject: [
      { original: '$M', sweep: 'manipulated:0,0.5' }, { original: '$M', sweep: 'manipulated:1.5' }, { original: '$M', sweep: 'manipulated:NaN' },
      { original: '$M', sweep: 'random:0.1,0.2' }, { original: '$M', sweep: 'manipulated:0.1:x=1' },
      { original: '$M', sweep: 'manipulated:0.1', forget: 'class:1' }, { original: '$M', sweep: 'manipulated:0.1', seeds: 21 },
      { original: '$M', sweep: 'manipulated:0.1', methods: ['nope'] }, { original: '$M', sweep: 'manipulated:0.1', methods: ['analytic'] },
    ],
  },
  deletions: {
    accept: [{ deployment: 'credit' }],
    reject: [{ deployment: '' }, { deployment: 'x'.repeat(65) }, {}],
  },
};

const resolveM = (input: Input): Input => Object.fromEntries(Object.entries(input).map(([k, v]) => [k, v === '$M' ? M.id : v]));

beforeAll(async () => {
  const meta = await trainTask(TrainArgs.parse({ data: 'synthetic', model: 'mlp', epochs: 1, seed: 1 }), { store, out: M.dir });
  M.id = meta.modelId;
}, 120_000);

afterAll(async () => {
  await runner.close();
  store.close();
  rmSync(home, { recursive: true, force: true });
});

describe('the CLI and the HTTP API accept and reject the same task inputs', () => {
  it('every task kind of the map has cases', () => {
    expect(Object.keys(CASES).sort()).toEqual([...TASK_KINDS].sort());
  });

  for (const kind of TASK_KINDS) {
    it(`${kind}: accepted by both, as the same arguments`, async () => {
      for (const raw of CASES[kind].accept) {
        const input = resolveM(raw);
        const [cli, http] = [await viaCli(kind, input), await viaHttp(kind, input)];
        expect({ input, cli: cli.ok, http: http.ok }).toEqual({ input, cli: true, http: true });
        expect(same(cli.args)).toEqual(http.args);
      }
    });

    it(`${kind}: rejected by both`, async () => {
      for (const raw of CASES[kind].reject) {
        const input = resolveM(raw);
        const [cli, http] = [await viaCli(kind, input), await viaHttp(kind, input)];
        expect({ input, cli: cli.ok, http: http.ok }).toEqual({ input, cli: false, http: false });
      }
    });
  }

  it('the one deliberate difference: only the CLI reads files (a data path, an ids file)', async () => {
    expect((await viaCli('train', { data: join(home, 'no.csv'), model: 'mlp' })).ok).toBe(true);
    expect((await viaHttp('train', { data: join(home, 'no.csv'), model: 'mlp' })).ok).toBe(false);
    expect((await viaHttp('unlearn', { model: M.id, forget: 'ids:/etc/passwd', method: 'ft' })).ok).toBe(false);
    expect((await viaCli('unlearn', { model: M.id, data: join(home, 'other.csv'), forget: 'class:1', method: 'ft' })).ok).toBe(true);
    expect((await viaHttp('unlearn', { model: M.id, data: join(home, 'other.csv'), forget: 'class:1', method: 'ft' })).ok).toBe(false);
  });

  it('accepted HTTP jobs were queued, never started', () => {
    expect(store.listJobs().every((j) => j.status === 'queued')).toBe(true);
    expect(store.listJobs().length).toBe(Object.values(CASES).reduce((n, c) => n + c.accept.length, 0));
  });
});
