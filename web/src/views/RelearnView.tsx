// Relearning: the relearning attack's forget accuracy against the number of attack steps, one line per row of the
// comparison (mean over seeds), retrain's line the target; and the same numbers as a table.
import type { Comparison } from '../../../src/shared/contract.ts';
import { Legend } from '../charts/Axis.tsx';
import { MethodLines, type MethodSeries } from '../charts/MethodLines.tsx';
import { SummaryTable } from '../components/SummaryTable.tsx';
import { Card, Message } from '../components/ui.tsx';
import { useWidth } from '../hooks.ts';
import { COLORS, methodColor } from '../lib/colors.ts';
import { num, plural } from '../lib/format.ts';
import { relearnLines, stepsText, type RelearnLine } from '../lib/relearn.ts';

const colorOf = (l: RelearnLine, i: number) => (l.role === 'original' ? COLORS.original : l.role === 'retrain' ? COLORS.retrain : methodColor(i));

export function RelearnView({ comparison }: { comparison: Comparison }) {
  const [ref, width] = useWidth<HTMLDivElement>(1000);
  const r = relearnLines(comparison);
  if (!r.lines.length || !r.steps.length) {
    return (
      <Message>
        <span data-testid="no-relearn">This comparison stored no relearning curves (it was run before Lethe kept them). Run <code>lethe compare</code> again to measure them.</span>
      </Message>
    );
  }
  const methods = r.lines.filter((l) => l.role === 'method');
  const series: MethodSeries[] = r.lines.map((l) => ({
    key: l.key, label: l.label, color: colorOf(l, methods.indexOf(l)), dashed: l.role === 'retrain', wide: l.role === 'original', values: l.mean, std: l.std,
  }));
  const n = (k: string) => r.lines.find((l) => l.key === k)!.n;
  const describe = (s: MethodSeries, i: number) =>
    `${s.label}, after ${stepsText(r.steps[i])}: forget accuracy ${num(s.values[i], 2)}%${(s.std?.[i] ?? 0) > 0 ? ` ± ${num(s.std![i], 2)}` : ''} (${plural(n(s.key), 'seed')})`;
  const last = r.steps.length - 1;
  const target = r.lines.find((l) => l.role === 'retrain');
  return (
    <div className="stack" data-testid="relearn">
      <Card
        title="Relearning attack"
        subtitle={<>
          An attacker who can fine-tune the model takes 32 forget samples and trains on them (the same batch every step, Adam, learning rate 10⁻³), then measures forget
          accuracy on the whole forget set after 0, 1, 2, 5, 10, 20 and 50 steps. A model that forgot relearns no faster than <b>retrain</b> (dashed: the target, a model
          that never saw the data); one that only hid the data climbs back towards the original within a few steps. Each line is the mean over seeds
          (whiskers ±1 std); the original&apos;s is its first seed&apos;s attack. The point at 10 steps is the <code>relearnAcc</code> column.
        </>}
      >
        <Legend
          testId="relearn-legend"
          items={series.map((s) => ({ label: s.key === 'retrain' ? `${s.label}, ${plural(n(s.key), 'seed')}` : `${s.label}${s.key === 'original' ? '' : `, ${plural(n(s.key), 'seed')}`}`, color: s.color, shape: s.dashed ? 'dash' : 'line', opacity: s.wide ? 0.6 : undefined }))}
        />
        <div ref={ref}>
          <MethodLines
            testId="relearn-chart"
            title={`Forget accuracy under the relearning attack · forget ${comparison.forgetText}`}
            xs={r.steps}
            xLabels={r.steps.map(String)}
            xScale="point"
            xLabel="relearning steps (evenly spaced, not to scale)"
            yLabel="forget accuracy (%)"
            series={series}
            width={Math.min(width, 1100)}
            height={380}
            describe={describe}
          />
        </div>
        {r.missing.length > 0 && <p className="muted" data-testid="relearn-missing">No stored curve for {r.missing.join(', ')}.</p>}
      </Card>
      <Card title="Forget accuracy (%) by relearning steps" subtitle={target ? `Mean over seeds. The last column is the gap to retrain after ${stepsText(r.steps[last])}, in points (smaller is better).` : 'Mean over seeds.'}>
        <SummaryTable
          testId="relearn-table"
          columns={[
            { label: 'Row' },
            { label: 'n', title: 'Models in the row (seeds)', num: true },
            ...r.steps.map((s) => ({ label: s, num: true })),
            ...(target ? [{ label: `gap at ${r.steps[last]}`, title: `forget accuracy after ${stepsText(r.steps[last])} minus retrain's`, num: true }] : []),
          ]}
          rows={series.map((s) => ({
            key: s.key,
            color: s.color,
            cells: [
              s.label,
              n(s.key),
              ...s.values.map((v) => num(v, 1)),
              ...(target ? [s.key === 'retrain' ? '—' : signed(gap(s.values[last], target.mean[last]))] : []),
            ],
          }))}
        />
      </Card>
    </div>
  );
}

const gap = (v: number | null, t: number | null) => (v == null || t == null ? null : v - t);
const signed = (v: number | null) => (v == null ? '—' : `${v > 0.05 ? '+' : ''}${num(v, 1)}`);
