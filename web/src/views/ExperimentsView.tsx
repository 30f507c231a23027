// Experiments: every model of the comparison with its metrics, and the paper-style table (mean ± std over seeds).
// Both show the metric map's default columns, and every metric with "all metrics".
import { useState } from 'react';
import type { Comparison, TableRow } from '../../../src/shared/contract.ts';
import { formatStat, tableColumns } from '../../../src/eval/table.ts';
import { ModelTable } from '../components/ModelTable.tsx';
import { AllMetricsToggle, Card, ModelName } from '../components/ui.tsx';
import { COLUMNS, experimentColumns, modelLabel, tablesOf } from '../lib/experiments.ts';
import type { Side } from '../lib/colors.ts';
import { plural } from '../lib/format.ts';

export function ExperimentsView({ comparison, a, b, onPick }: { comparison: Comparison; a?: string; b?: string; onPick: (side: Side, id: string) => void }) {
  const c = comparison;
  const [allModels, setAllModels] = useState(false);
  const [allStats, setAllStats] = useState(false);
  return (
    <div className="stack">
      <Card
        title="Models"
        subtitle={`${c.models.length} models: the original, retrain and ${plural(c.methods.filter((m) => m !== 'retrain').length, 'method')} over ${plural(c.seeds.length, 'seed')}. Pick model A and model B; click a header to sort.`}
        actions={
          <div className="model-line picked">
            <ModelName side="A" label={modelLabel(c.models.find((m) => m.modelId === a))} />
            <ModelName side="B" label={modelLabel(c.models.find((m) => m.modelId === b))} />
          </div>
        }
      >
        <ModelTable
          key={c.id}
          models={c.models}
          forgetText={c.forgetText}
          columns={experimentColumns(allModels)}
          sortBy={tablesOf(c).gap}
          a={a}
          b={b}
          onPick={onPick}
          tools={<AllMetricsToggle checked={allModels} onChange={setAllModels} />}
        />
      </Card>
      <Card
        title="Comparison table"
        subtitle="Mean ± standard deviation over seeds. The noise floor row is retrain against retrain across seeds: gaps below it are noise."
        actions={<AllMetricsToggle checked={allStats} onChange={setAllStats} />}
      >
        <SummaryTable rows={c.table} all={allStats} />
      </Card>
    </div>
  );
}

function SummaryTable({ rows, all }: { rows: TableRow[]; all: boolean }) {
  const keys = tableColumns(rows, all ? 'all' : 'default');
  return (
    <div className="table-scroll">
      <table className="summary-table" data-testid="summary-table">
        <thead>
          <tr>
            <th>Row</th>
            <th className="num" title="Models in the row (seeds)">n</th>
            {keys.map((k) => <th key={k} className="num" title={COLUMNS[k].title}>{COLUMNS[k].label}</th>)}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={`${r.role}-${r.label}`} className={`role-${r.role}`}>
              <td>{r.label}</td>
              <td className="num">{r.n}</td>
              {keys.map((k) => <td key={k} className="num">{formatStat(k, r.stats[k], r.role, r.n)}</td>)}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
