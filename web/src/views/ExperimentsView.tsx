// Experiments: every model of the comparison with its metrics, and the paper-style table (mean ± std over seeds).
import type { Comparison, TableRow } from '../../../src/shared/contract.ts';
import { ModelTable } from '../components/ModelTable.tsx';
import { Card, ModelName } from '../components/ui.tsx';
import { modelLabel } from '../lib/experiments.ts';
import type { Side } from '../lib/colors.ts';
import { percent, plural, stat } from '../lib/format.ts';

const ALL_COLUMNS = ['method', 'seed', 'UA', 'RA', 'TA', 'forgetTestAcc', 'retainTestAcc', 'mia', 'privacy', 'avgGap', 'seconds', 'params', 'forget'] as const;

export function ExperimentsView({ comparison, a, b, onPick }: { comparison: Comparison; a?: string; b?: string; onPick: (side: Side, id: string) => void }) {
  const c = comparison;
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
        <ModelTable models={c.models} forget={c.forget} columns={[...ALL_COLUMNS]} a={a} b={b} onPick={onPick} />
      </Card>
      <Card title="Comparison table" subtitle="Mean ± standard deviation over seeds. The noise floor row is retrain against retrain across seeds: gaps below it are noise.">
        <SummaryTable rows={c.table} />
      </Card>
    </div>
  );
}

function SummaryTable({ rows }: { rows: TableRow[] }) {
  const classCols = rows.some((r) => r.forgetTestAcc);
  return (
    <div className="table-scroll">
      <table className="summary-table" data-testid="summary-table">
        <thead>
          <tr>
            <th>Row</th>
            <th className="num">n</th>
            <th className="num" title="Unlearning accuracy (%)">UA</th>
            <th className="num" title="Retain accuracy (%)">RA</th>
            <th className="num" title="Test accuracy (%)">TA</th>
            {classCols && <th className="num" title="Test accuracy on the forgotten classes (%)">FT acc</th>}
            {classCols && <th className="num" title="Test accuracy on the other classes (%)">RT acc</th>}
            <th className="num" title="MIA-efficacy (%)">MIA</th>
            <th className="num" title="Average gap to retrain (points)">Avg gap</th>
            <th className="num" title="Share of the original's gap to retrain that the method removes (%)">Gap closed %</th>
            <th className="num" title="Privacy score 0..1">Privacy</th>
            <th className="num" title="Seconds of unlearning">Seconds</th>
            <th className="num" title="Retrain seconds / seconds">Speed-up</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={`${r.role}-${r.label}`} className={`role-${r.role}`}>
              <td>{r.label}</td>
              <td className="num">{r.n}</td>
              <td className="num">{stat(r.UA, 1, r.n)}</td>
              <td className="num">{stat(r.RA, 1, r.n)}</td>
              <td className="num">{stat(r.TA, 1, r.n)}</td>
              {classCols && <td className="num">{stat(r.forgetTestAcc, 1, r.n)}</td>}
              {classCols && <td className="num">{stat(r.retainTestAcc, 1, r.n)}</td>}
              <td className="num">{stat(r.MIA, 1, r.n)}</td>
              <td className="num">{stat(r.avgGap, 2, r.n)}</td>
              <td className="num">{r.role === 'original' ? '0 (by definition)' : stat(percent(r.gapClosed), 1, r.n)}</td>
              <td className="num">{stat(r.privacy, 2, r.n)}</td>
              <td className="num">{stat(r.seconds, 2, r.n)}</td>
              <td className="num">{stat(r.speedup, 1, r.n)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
