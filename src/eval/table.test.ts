import { describe, expect, it } from 'vitest';
import { METRIC_KEYS, metricInfo } from './metrics.ts';
import { buildTable, formatStat, stat, tableColumns, tableCsv, tableMarkdown } from './table.ts';

const m = (UA: number, extra: Record<string, number> = {}) => ({ UA, RA: 90, TA: 80, mia: 10, avgGap: 2, gapClosed: 0.5, seconds: 1, speedup: 4, privacy: 0.9, relearnAcc: 30, klForget: 0.01, klTest: 0.02, ...extra });

describe('the comparison table', () => {
  const table = buildTable([m(0, { gapClosed: 0, speedup: Infinity, seconds: 0 })], [m(20), m(22)], [{ method: 'ft', rows: [m(10), m(14), m(12)] }]);

  it('mean and sample std (n − 1) per metric, by hand', () => {
    expect(stat([10, 14, 12])).toEqual({ mean: 12, std: 2 });
    expect(table.map((r) => [r.label, r.n, r.stats.UA])).toEqual([
      ['original (do nothing)', 1, { mean: 0, std: 0 }],
      ['retrain vs retrain (noise floor)', 2, { mean: 21, std: Math.SQRT2 }],
      ['ft', 3, { mean: 12, std: 2 }],
    ]);
    expect(table[0].stats.forgetTestAcc).toBeUndefined();
  });

  it("cells follow the map: digits, scale, the original's definitions", () => {
    expect(formatStat('UA', table[2].stats.UA, 'method')).toBe('12.00 ± 2.00');
    expect(formatStat('gapClosed', table[2].stats.gapClosed, 'method')).toBe('50.0 ± 0.0');
    expect(formatStat('gapClosed', table[0].stats.gapClosed, 'original')).toBe('0 (by definition)');
    expect(formatStat('speedup', table[0].stats.speedup, 'original')).toBe('—');
    expect(formatStat('UA', table[2].stats.UA, 'method', 1)).toBe('12.00');
  });

  it('Markdown shows the default columns that have values; --columns all and a list choose others', () => {
    const c = { forgetText: 'class:1', dataset: 'toy', arch: 'mlp', forgetCount: 5, seeds: [1, 2, 3], table };
    const head = (choice?: Parameters<typeof tableMarkdown>[1]) => tableMarkdown(c, choice).split('\n')[2];
    // By default: the map's default columns that some row has a value for, in map order.
    const shown = METRIC_KEYS.filter((k) => metricInfo(k).column === 'default' && k in table[2].stats);
    expect(head()).toBe(`| method | ${shown.map((k) => metricInfo(k).label).join(' | ')} |`);
    expect(shown.slice(0, 4)).toEqual(['UA', 'RA', 'TA', 'mia']);
    expect(head('all')).toContain('| KL test |');
    expect(head(['TA', 'UA'])).toBe('| method | UA | TA |');
    expect(tableColumns(table, 'all')).not.toContain('forgetTestAcc');
  });

  it('CSV has every metric of the map, unscaled', () => {
    const [header, , , ft] = tableCsv({ table }).trimEnd().split('\n');
    expect(header.split(',')).toEqual(['method', 'role', 'n', ...METRIC_KEYS.flatMap((k) => [`${k}_mean`, `${k}_std`])]);
    const cells = ft.split(',');
    expect(cells[header.split(',').indexOf('gapClosed_mean')]).toBe('0.5');
  });
});
