import { describe, expect, it } from 'vitest';
import type { JobView } from '../../../src/shared/http.ts';
import { comparisonOf, fraction, jobSummary, progressText, readEvent, resultText, storedModelLabel } from './jobs.ts';

const job = (over: Partial<JobView> = {}): JobView => ({
  id: 4, kind: 'train', args: {}, status: 'running', progress: null, result: null, error: null,
  created: '2026-01-01T00:00:00Z', started: null, finished: null, ...over,
});

describe('progress', () => {
  it('folds progress into a bar and a line', () => {
    expect(fraction('running', { phase: 'train', done: 30, total: 120 })).toBe(0.25);
    expect(fraction('done', null)).toBe(1);
    expect(fraction('running', { phase: 'train', done: 3, total: 0 })).toBe(0);
    expect(progressText('running', { phase: 'train', message: 'epoch 1/3', done: 5, total: 10, loss: 0.41234 })).toBe('epoch 1/3 · 5/10 · loss 0.412');
    expect(progressText('cancelled', { phase: 'train', done: 5, total: 10 })).toBe('cancelled');
    expect(progressText('queued', null)).toBe('waiting for a free worker');
  });
});

describe('server-sent events', () => {
  it('reads progress, state and the final event, each by its name', () => {
    expect(readEvent('progress', '{"phase":"ft","done":3,"total":9}')).toEqual({ type: 'progress', progress: { phase: 'ft', done: 3, total: 9 } });
    const running = job();
    expect(readEvent('state', JSON.stringify(running))).toEqual({ type: 'state', job: running });
    const failed = job({ status: 'failed', error: 'boom' });
    expect(readEvent('failed', JSON.stringify(failed))).toEqual({ type: 'end', status: 'failed', job: failed });
  });

  it('survives bad data: a final event still ends the job, anything else is dropped', () => {
    expect(readEvent('cancelled', 'not json')).toEqual({ type: 'end', status: 'cancelled' });
    expect(readEvent('progress', 'not json')).toBeNull();
    expect(readEvent('progress', '{"phase":"ft"}')).toBeNull();
    expect(readEvent('state', '[1,2]')).toBeNull();
    // Only named events are the contract: an unnamed one (a plain `message`) is not read.
    expect(readEvent('message', '{"phase":"ft","done":3,"total":9}')).toBeNull();
  });
});

describe('job texts, one entry per kind', () => {
  it('summarises requests with the forget spec as its text', () => {
    const forget = { forget: { kind: 'class', classes: [3] } };
    expect(jobSummary('compare', { methods: ['ft', 'ga'], ...forget, seeds: 2 })).toBe('ft, ga · forget class:3 · 2 seeds');
    expect(jobSummary('unlearn', { method: 'salun', ...forget })).toBe('salun · forget class:3');
    expect(jobSummary('train', { model: 'mlp', data: 'synthetic', epochs: 3, seed: 1 })).toBe('mlp on synthetic 3 epochs seed 1');
  });

  it('summarises what a finished job produced', () => {
    expect(resultText('train', { trainAcc: 99.51, testAcc: 81.24, seconds: 12.34 })).toBe('train acc 99.5% · test acc 81.2% · 12.3 s');
    expect(resultText('unlearn', { forgetAcc: 10, retainAcc: 90.06, testAcc: 80, seconds: 2 })).toBe('forget acc 10.0% · retain acc 90.1% · test acc 80.0% · 2.0 s');
    expect(resultText('compare', { comparisonId: 'x' })).toBe('comparison stored');
    expect(jobSummary('bank', { method: 'ga', forget: { kind: 'class', classes: [3] }, n: 16 })).toBe('ga · forget class:3 · N = 16');
    expect(resultText('bank', { n: 16, epsilon: { forgetScore: 0.05812, score: 0.0523 } })).toBe('forget score 0.0581 · final 0.0523 at N = 16 · see Forgetting quality');
    expect(resultText('bank', { n: 16 })).toBe('');
    expect(resultText('unlearn', null)).toBe('');
  });

  it('shows a kind it does not word (an eval job started elsewhere) by its name', () => {
    expect(jobSummary('eval', { modelId: 'm1' })).toBe('eval');
    expect(resultText('eval', { UA: 3 })).toBe('');
    // Names of Object.prototype are not kinds.
    expect(jobSummary('toString', {})).toBe('toString');
  });

  it('finds the comparison a finished compare job stored', () => {
    expect(comparisonOf(job({ kind: 'compare', status: 'done', result: { comparisonId: 'c1' } }))).toBe('c1');
    expect(comparisonOf(job({ kind: 'compare', status: 'running', result: { comparisonId: 'c1' } }))).toBeUndefined();
    expect(comparisonOf(job({ status: 'done', result: null }))).toBeUndefined();
  });

  it('labels stored models', () => {
    expect(storedModelLabel({ id: '0123456789', method: 'train', arch: 'mlp', dataset: 'synthetic', trainSize: null, seed: 1 })).toBe('train · mlp · synthetic · seed 1 · 01234567');
    expect(storedModelLabel({ id: 'ab', method: 'ft', arch: 'mlp', dataset: 'fashion-mnist-mini', trainSize: 600, seed: 2 })).toBe('ft · mlp · fashion-mnist-mini (600) · seed 2 · ab');
  });
});
