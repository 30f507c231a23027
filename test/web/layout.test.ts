import { describe, expect, it } from 'vitest';
import { cellColor, luminance, textOn } from '../../web/src/lib/colors.ts';
import { forgetRecall, layoutPoints } from '../../web/src/lib/embedding.ts';
import { pct, percent, plural, seconds, stat, params, truncate } from '../../web/src/lib/format.ts';
import { formatHash, parseHash } from '../../web/src/lib/hash.ts';
import { fraction, jobSummary, progressText, readEvent, storedModelLabel } from '../../web/src/lib/jobs.ts';
import { inner, labelStep, paddedExtent, tooltipPosition } from '../../web/src/lib/layout.ts';

describe('layout', () => {
  it('keeps a tooltip inside its bounds, flipping when needed', () => {
    expect(tooltipPosition({ x: 10, y: 10 }, { w: 100, h: 50 }, { w: 500, h: 500 })).toEqual({ left: 24, top: 24 });
    // Near the right and bottom edges it goes left of and above the pointer.
    expect(tooltipPosition({ x: 450, y: 480 }, { w: 100, h: 50 }, { w: 500, h: 500 })).toEqual({ left: 336, top: 416 });
    // Larger than the bounds: clamped to the origin.
    expect(tooltipPosition({ x: 5, y: 5 }, { w: 900, h: 50 }, { w: 500, h: 500 })).toEqual({ left: 0, top: 19 });
  });

  it('computes inner sizes, label steps and padded extents', () => {
    expect(inner(300, 200, { top: 10, right: 20, bottom: 30, left: 40 })).toEqual({ w: 240, h: 160 });
    expect(labelStep(100, 500, 50)).toBe(10);
    expect(labelStep(5, 500, 50)).toBe(1);
    expect(paddedExtent([0, 10], 0.1)).toEqual([-1, 11]);
    expect(paddedExtent([3])).toEqual([2, 4]);
    expect(paddedExtent([])).toEqual([0, 1]);
  });
});

describe('embedding layout', () => {
  const e = { ids: [1, 2, 3], x: [0, 10, 5], y: [0, 0, 5], label: [0, 1, 1], pred: [0, 1, 0], forget: [true, false, false] };
  it('scales both axes alike, flips y, and draws forget samples last', () => {
    const pts = layoutPoints(e, 120, 10);
    expect(pts.map((p) => p.id)).toEqual([2, 3, 1]);
    // x spans 0..10 padded by 2% to -0.2..10.2 (10.4 units) over 100 px; y (0..5) is centred vertically.
    const k = 100 / 10.4;
    const byId = Object.fromEntries(pts.map((p) => [p.id, p]));
    expect(byId[1].px).toBeCloseTo(10 + 0.2 * k, 9);
    expect(byId[2].px).toBeCloseTo(10 + 10.2 * k, 9);
    expect(byId[3].py).toBeLessThan(byId[1].py);
    expect(byId[1].py - byId[3].py).toBeCloseTo(5 * k, 9);
  });

  it('measures the share of forget samples still in their class', () => {
    expect(forgetRecall(e)).toBe(100);
    expect(forgetRecall({ ...e, forget: [false, false, false] })).toBeNull();
  });
});

describe('colours', () => {
  it('computes WCAG luminance and picks readable text', () => {
    expect(luminance('#ffffff')).toBeCloseTo(1, 9);
    expect(luminance('#000000')).toBe(0);
    expect(textOn('#ffffff')).toBe('#0f172a');
    expect(textOn('#08306b')).toBe('#ffffff');
    expect(textOn(cellColor('A', 1))).toBe('#ffffff');
    expect(textOn(cellColor('B', 0))).toBe('#0f172a');
  });
});

describe('format', () => {
  it('formats percentages, seconds, stats and parameters', () => {
    expect(pct(12.345)).toBe('12.3%');
    expect(pct(null)).toBe('—');
    expect(seconds(0.123)).toBe('0.12 s');
    expect(seconds(125)).toBe('2 min 5 s');
    expect(stat({ mean: 1.234, std: 0.05 }, 2, 3)).toBe('1.23 ± 0.05');
    // gapClosed is stored as a fraction and shown in percent, as the CLI's tables print it.
    expect(stat(percent({ mean: 0.987, std: 0.0012 }), 1, 3)).toBe('98.7 ± 0.1');
    expect(percent(undefined)).toBeUndefined();
    expect(stat({ mean: 1.234, std: 0 }, 2, 1)).toBe('1.23');
    expect(params({ lr: 0.00012346, epochs: 3, mask: true })).toBe('lr=0.0001235, epochs=3, mask=true');
    expect(truncate('Ankle boot', 6)).toBe('Ankle…');
    expect(plural(1, 'seed')).toBe('1 seed');
    expect(plural(3, 'seed')).toBe('3 seeds');
  });
});

describe('hash state', () => {
  it('round-trips and defaults to the experiments view', () => {
    const s = { view: 'matrix' as const, comparison: 'c1', a: 'm a', b: 'm/b' };
    expect(parseHash(formatHash(s))).toEqual(s);
    expect(parseHash('#view=nope')).toEqual({ view: 'experiments' });
  });
});

describe('jobs', () => {
  it('folds progress into a bar and a line', () => {
    expect(fraction('running', { done: 30, total: 120 })).toBe(0.25);
    expect(fraction('done', undefined)).toBe(1);
    expect(fraction('running', { done: 3, total: 0 })).toBe(0);
    expect(progressText('running', { phase: 'train', message: 'epoch 1/3', done: 5, total: 10, loss: 0.41234 })).toBe('epoch 1/3 · 5/10 · loss 0.412');
    expect(progressText('cancelled', { done: 5, total: 10 })).toBe('cancelled');
  });

  it('reads the server’s events: progress, state and the final one', () => {
    expect(readEvent('progress', '{"phase":"ft","done":3,"total":9}')).toEqual({ progress: { phase: 'ft', done: 3, total: 9 } });
    expect(readEvent('state', '{"id":4,"status":"running","progress":null}')).toEqual({ status: 'running' });
    expect(readEvent('failed', '{"id":4,"status":"failed","error":"boom"}')).toEqual({ final: 'failed', error: 'boom' });
    expect(readEvent('cancelled', 'not json')).toEqual({ final: 'cancelled', error: undefined });
  });

  it('summarises requests and stored models', () => {
    expect(jobSummary('compare', { methods: ['ft', 'ga'], forgetText: 'class:3', seeds: 2 })).toBe('ft, ga · forget class:3 · 2 seeds');
    expect(jobSummary('train', { model: 'mlp', data: 'synthetic', epochs: 3, seed: 1 })).toBe('mlp on synthetic 3 epochs seed 1');
    expect(storedModelLabel({ id: '0123456789', method: 'train', arch: 'mlp', dataset: 'synthetic', seed: 1 })).toBe('train · mlp · synthetic · seed 1 · 01234567');
    expect(storedModelLabel({ id: 'ab', method: 'ft', arch: 'mlp', dataset: 'fashion-mnist-mini', trainSize: 600, seed: 2 })).toBe('ft · mlp · fashion-mnist-mini (600) · seed 2 · ab');
    // The store's key form (JSON) reads too.
    expect(storedModelLabel({ id: 'ab', method: 'ft', arch: 'mlp', dataset: '{"name":"synthetic","trainSize":100}', seed: 2 })).toBe('ft · mlp · synthetic (100) · seed 2 · ab');
  });
});

describe('CKA axis', () => {
  it('starts a tenth below the lowest value less 0.05, between 0 and 0.9', async () => {
    const { ckaDomain } = await import('../../web/src/lib/layout.ts');
    expect(ckaDomain([0.93, 0.99, null])).toEqual([0.8, 1]);
    expect(ckaDomain([0.999])).toEqual([0.9, 1]);
    expect(ckaDomain([0.02, 0.5])).toEqual([0, 1]);
    expect(ckaDomain([])).toEqual([0, 1]);
  });
});

describe('job results', () => {
  it('summarises what a finished job produced', async () => {
    const { resultText } = await import('../../web/src/lib/jobs.ts');
    expect(resultText('train', { trainAcc: 99.51, testAcc: 81.24, seconds: 12.34 })).toBe('train acc 99.5% · test acc 81.2% · 12.3 s');
    expect(resultText('compare', { comparisonId: 'x' })).toBe('comparison stored');
    expect(resultText('unlearn', null)).toBe('');
  });
});
