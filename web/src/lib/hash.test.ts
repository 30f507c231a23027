import { describe, expect, it } from 'vitest';
import { formatHash, needsOf, needsRefs, parseHash, TAB_LABELS, TAB_ROW, VIEW_LABELS, VIEW_MAP, VIEWS, viewServes } from './hash.ts';

describe('hash state', () => {
  it('round-trips and defaults to the experiments view', () => {
    const s = { view: 'matrix' as const, comparison: 'c1', a: 'm a', b: 'm/b' };
    expect(parseHash(formatHash(s))).toEqual(s);
    expect(parseHash('#view=nope')).toEqual({ view: 'experiments' });
  });

  it('keeps the Deletions view and its deployment', () => {
    const s = { view: 'deletions' as const, deployment: 'prod-1' };
    expect(formatHash(s)).toBe('#view=deletions&d=prod-1');
    expect(parseHash(formatHash(s))).toEqual(s);
  });

  it('keeps the Forgetting quality view\'s bank, and the sample the Instances view opens on', () => {
    const s = { view: 'instances' as const, comparison: 'c1', a: 'm1', b: 'r1', bank: '0123456789abcdef', sample: '17' };
    expect(formatHash(s)).toBe('#view=instances&c=c1&a=m1&b=r1&bank=0123456789abcdef&s=17');
    expect(parseHash(formatHash(s))).toEqual(s);
  });

  it('derives the tabs and labels from the one view map', () => {
    expect(VIEWS.at(-1)).toBe('deletions');
    expect(TAB_LABELS.deletions).toBe('Deletions');
    expect(VIEW_LABELS.classwise).toBe('Class-wise accuracy');
    expect(VIEWS.filter((v) => needsOf(v) === 'none')).toEqual(['quality', 'worst', 'ulira', 'run', 'deletions']);
    expect(needsOf('experiments')).toBe('comparison');
    expect(VIEWS.slice(0, 2)).toEqual(['experiments', 'tuning']);
    expect(TAB_LABELS.tuning).toBe('Tuning');
    expect(needsOf('tuning')).toBe('comparison');
  });

  it('keeps the Per-example attack view\'s evaluation', () => {
    const s = { view: 'ulira' as const, ulira: 'abc123' };
    expect(formatHash(s)).toBe('#view=ulira&u=abc123');
    expect(parseHash(formatHash(s))).toEqual(s);
  });

  it('groups the tabs: every view once, in map order, a group\'s views consecutive', () => {
    expect(TAB_ROW.map((g) => g.caption)).toEqual(['Comparison', 'Model A vs B', 'Strict evaluation', 'Run and serve']);
    expect(TAB_ROW.flatMap((g) => g.views)).toEqual(VIEWS);
    expect(TAB_ROW.find((g) => g.group === 'strict')!.views).toEqual(['quality', 'relearn', 'sweep', 'worst', 'ulira']);
    expect(TAB_ROW.find((g) => g.group === 'pair')!.views.every((v) => VIEW_MAP[v].needs === 'pair')).toBe(true);
    expect([TAB_LABELS.worst, TAB_LABELS.ulira]).toEqual(['Worst vs random', 'Per-example attack']);
  });

  it('says which views serve which task: a regressor gets Predictions and not the class views; the strict and service views serve both', () => {
    const serves = (task: 'classification' | 'regression') => VIEWS.filter((v) => viewServes(v, task));
    expect(VIEWS.filter((v) => !viewServes(v, 'regression'))).toEqual(['classwise', 'matrix', 'embedding', 'attack', 'instances', 'relearn', 'sweep']);
    expect(VIEWS.filter((v) => !viewServes(v, 'classification'))).toEqual(['predictions']);
    expect(serves('regression')).toContain('experiments');
    expect(serves('regression')).toContain('layers');
    expect(VIEWS.filter(needsRefs)).toEqual(['predictions', 'attack']);
  });
});
