// Corrective sweep (Goel, Prabhu et al., TMLR 2024): accCorr and clean accuracy against the identified fraction of the
// manipulated samples, one line per method, retraining on fully cleaned data as the flat target line. The sweep is
// derived from the stored comparisons (lib/sweep.ts); its rows come from src/eval/sweep.ts, as the CLI's table does.
import type { Comparison } from '../../../src/shared/contract.ts';
import type { ComparisonSummary } from '../../../src/shared/http.ts';
import { buildSweep, SWEEP_METRICS, type Sweep, type SweepRow } from '../../../src/eval/sweep.ts';
import { formatStat } from '../../../src/eval/table.ts';
import { metricInfo } from '../../../src/eval/metrics.ts';
import { api } from '../api.ts';
import { Legend } from '../charts/Axis.tsx';
import { MethodLines, type MethodSeries } from '../charts/MethodLines.tsx';
import { SummaryTable } from '../components/SummaryTable.tsx';
import { Card, Message } from '../components/ui.tsx';
import { useLoad, useWidth } from '../hooks.ts';
import { COLORS, methodColor } from '../lib/colors.ts';
import { date, num, plural } from '../lib/format.ts';
import { fractionText, storedSweeps, sweepOf, type SweepGroup } from '../lib/sweep.ts';

const TARGET_COLOR = '#16a34a';

export function SweepView({ comparison, comparisons, onPick }: { comparison: Comparison; comparisons: ComparisonSummary[]; onPick: (id: string) => void }) {
  const group = sweepOf(comparisons, comparison);
  if (!group) {
    const sweeps = storedSweeps(comparisons);
    return (
      <Message>
        <span data-testid="no-sweep">
          This comparison forgets <code>{comparison.forgetText}</code>, not an identified fraction of manipulated data, so it has no corrective sweep. Make one with{' '}
          <code>lethe manipulate --data D --poison patch:count=N:target=T:seed=S --out DIR</code>, train on <code>DIR</code>, then{' '}
          <code>lethe compare --original MODEL --sweep manipulated:0.1,0.25,0.5,1.0</code>.
        </span>
        {sweeps.length > 0 && (
          <span className="sweep-list" data-testid="stored-sweeps">
            {' '}Stored sweeps:{' '}
            {sweeps.map((s, i) => (
              <span key={s.id}>
                {i > 0 && ', '}
                <a href={`#view=sweep&c=${s.id}`} data-sweep={s.id} onClick={(e) => { e.preventDefault(); onPick(s.id); }}>
                  {s.dataset} · {s.arch} · {s.fractions.map(fractionText).join(', ')} ({date(s.created)})
                </a>
              </span>
            ))}
            .
          </span>
        )}
      </Message>
    );
  }
  if (!group.hasTarget) {
    return (
      <Message>
        <span data-testid="no-target">
          No stored comparison of this sweep forgets all the manipulated samples (<code>manipulated:1:seed={(comparison.forget as { seed: number }).seed}</code>),
          so there is no target line to draw against. <code>lethe compare --sweep</code> always adds fraction 1; run it for this original.
        </span>
      </Message>
    );
  }
  return <SweepCharts key={group.members.map((m) => m.id).join()} group={group} comparison={comparison} />;
}

function SweepCharts({ group, comparison }: { group: SweepGroup; comparison: Comparison }) {
  const loaded = useLoad(() => Promise.all(group.members.map((m) => (m.id === comparison.id ? Promise.resolve(comparison) : api.comparison(m.id)))), [group.key]);
  if (loaded.state === 'error') return <Message kind="error">Cannot load the sweep&apos;s comparisons: {loaded.error}</Message>;
  if (loaded.state === 'loading') return <Message kind="loading">Loading the sweep…</Message>;
  const cs = loaded.value;
  const s = buildSweep(group.members.map((m, i) => ({ fraction: m.fraction, comparison: cs[i] })), { manipulation: '', dataset: comparison.dataset, arch: comparison.arch, seed: (comparison.forget as { seed: number }).seed });
  return <SweepBody s={s} />;
}

const colorOf = (r: SweepRow, i: number) => (r.role === 'original' ? COLORS.original : r.role === 'retrain' ? COLORS.retrain : methodColor(i));

function SweepBody({ s }: { s: Sweep }) {
  const [ref, width] = useWidth<HTMLDivElement>(1000);
  const half = Math.max(320, Math.floor((width - 24) / 2));
  const target = s.rows.find((r) => r.role === 'target')!;
  const lines = s.rows.filter((r) => r.role !== 'target');
  const methods = lines.filter((r) => r.role === 'method');
  const seriesOf = (k: (typeof SWEEP_METRICS)[number]): MethodSeries[] => lines.map((r) => ({
    key: r.method, label: r.label, color: colorOf(r, methods.indexOf(r)), wide: r.role === 'original',
    values: r.cells.map((c) => (Number.isFinite(c[k].mean) ? c[k].mean : null)),
    std: r.cells.map((c) => (Number.isFinite(c[k].std) ? c[k].std : null)),
  }));
  const describe = (k: string) => (x: MethodSeries, i: number) =>
    `${x.label}, ${fractionText(s.fractions[i])} identified (${plural(s.forgetCounts[i], 'forget sample')}): ${metricInfo(k as never).label} ${num(x.values[i], 2)}%${(x.std?.[i] ?? 0) > 0 ? ` ± ${num(x.std![i], 2)}` : ''}`;
  const xLabels = s.fractions.map(fractionText);
  const chart = (k: (typeof SWEEP_METRICS)[number], title: string) => (
    <MethodLines
      testId={`sweep-chart-${k}`}
      title={title}
      xs={s.fractions}
      xLabels={xLabels}
      xScale="linear"
      xLabel="identified fraction of the manipulated samples"
      yLabel={`${metricInfo(k).label} (%)`}
      series={seriesOf(k)}
      target={{ label: target.label, value: target.cells[0][k].mean, color: TARGET_COLOR }}
      width={half}
      height={360}
      describe={describe(k)}
    />
  );
  return (
    <div className="stack" data-testid="sweep" data-fractions={s.fractions.join(',')}>
      <Card
        title="Corrective sweep"
        subtitle={<>
          Part of the training data was manipulated (a backdoor patch relabelled to a target class, or labels swapped between two classes) and only a fraction
          of it has been identified. Each method unlearns the identified fraction; <b>accCorr</b> is accuracy on what the manipulation corrupted (triggered test
          images scored against their true labels, or the two confused classes), <b>clean acc</b> the accuracy on the rest. The green dashed line is
          retraining on fully cleaned data, the target; the grey line retrains without only the identified samples. Goel, Prabhu et al., TMLR 2024 found
          that almost every method, retraining included, stays far from the target until nearly all the manipulated data is found.
          {' '}{s.dataset} ({s.arch}), {plural(s.seeds.length, 'seed')}, mean ± std; one stored comparison per fraction.
        </>}
      >
        <Legend
          testId="sweep-legend"
          items={[
            { label: 'retrain on fully cleaned data (target)', color: TARGET_COLOR, shape: 'dash' },
            ...lines.map((r) => ({ label: r.label, color: colorOf(r, methods.indexOf(r)), shape: 'line' as const, opacity: r.role === 'original' ? 0.6 : undefined })),
          ]}
        />
        <div ref={ref} className="pair">
          {chart('accCorr', 'accCorr: accuracy on the corrupted')}
          {chart('cleanAcc', 'Clean accuracy')}
        </div>
      </Card>
      <Card className="sweep-tables" title="The sweep's numbers" subtitle="Mean ± std over seeds, per identified fraction (forget-set size in brackets); the target row is the same in every column.">
        {SWEEP_METRICS.map((k) => (
          <SummaryTable
            key={k}
            testId={`sweep-table-${k}`}
            columns={[
              { label: `${metricInfo(k).label} (%)` },
              ...s.fractions.map((f, i) => ({ label: <>{fractionText(f)} <span className="muted">({s.forgetCounts[i]})</span></>, num: true })),
            ]}
            rows={s.rows.map((r) => ({
              key: r.label,
              row: r.role === 'method' ? r.method : r.role,
              className: r.role === 'target' ? 'role-retrain' : `role-${r.role}`,
              cells: [r.label, ...r.cells.map((c) => formatStat(k, c[k], 'method', s.seeds.length))],
            }))}
          />
        ))}
      </Card>
    </div>
  );
}
