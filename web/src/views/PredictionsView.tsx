// Predictions (regression): each model's prediction of every probe sample against the prediction of the retrained
// model it was measured against (or against the true target). A model that forgot like retraining puts the forget
// samples on the diagonal; the original keeps them nearer their true targets than retraining does.
import { useMemo, useState } from 'react';
import type { EvaluatedModel } from '../../../src/shared/contract.ts';
import { Legend } from '../charts/Axis.tsx';
import { PredictionScatter } from '../charts/PredictionScatter.tsx';
import { Card, Message, Toggle, WEIGHTLESS } from '../components/ui.tsx';
import { COLORS, type Side } from '../lib/colors.ts';
import { modelLabel } from '../lib/experiments.ts';
import { num } from '../lib/format.ts';
import { pairStats, predictionPoints, sharedDomain, type Against } from '../lib/predictions.ts';
import { useWidth } from '../hooks.ts';

const AGAINST: { value: Against; label: string }[] = [
  { value: 'retrain', label: "retraining's prediction" },
  { value: 'target', label: 'true target' },
];

export function PredictionsView({ a, b, refA, refB, target }: { a: EvaluatedModel; b: EvaluatedModel; refA?: EvaluatedModel; refB?: EvaluatedModel; target?: string }) {
  const [against, setAgainst] = useState<Against>('retrain');
  const [ref, width] = useWidth<HTMLDivElement>();
  const sides = useMemo(() => ([['A', a, refA], ['B', b, refB]] as const).map(([side, m, r]) => {
    const points = m.details.regression ? predictionPoints(m.details.regression, against, r?.details.regression) : [];
    return { side: side as Side, m, r, points, stats: pairStats(points) };
  }), [a, b, refA, refB, against]);
  const domain = useMemo(() => sharedDomain(...sides.map((s) => s.points)), [sides]);
  if (!a.details.regression || !b.details.regression) return <Message>{WEIGHTLESS('The Predictions view')}</Message>;
  if (against === 'retrain' && (!refA || !refB)) return <Message kind="loading">Loading the retrained references…</Message>;
  const what = target ?? 'target';
  const xLabel = against === 'retrain' ? `retrain's predicted ${what}` : `true ${what}`;
  const size = Math.max(260, Math.min(520, Math.floor((width - 24) / 2) - 4));
  return (
    <Card
      title="Predictions"
      subtitle={`Each dot is a sample of the comparison's fixed probe: the model's predicted ${what} (y) against ${against === 'retrain' ? 'the prediction of the retrained model it was measured against' : 'its true value'} (x), in the target's units. Forget samples are ringed. On the dashed diagonal the two agree: a model that forgot as retraining did puts its forget samples there.`}
      actions={<Toggle label="x axis" value={against} options={AGAINST} onChange={setAgainst} />}
    >
      <Legend items={[
        { label: 'forget sample (model A / B colour)', color: '#111827', shape: 'ring' },
        { label: 'retain or test sample', color: COLORS.retrain, shape: 'dot', opacity: 0.5 },
        { label: 'y = x', color: COLORS.axis, shape: 'dash' },
      ]} />
      <div ref={ref} className="prediction-pair">
        {sides.map((s) => {
          const title = `${s.side}: ${modelLabel(s.m)}${against === 'retrain' && s.r ? ` against ${modelLabel(s.r)}` : ''}`;
          return (
          <div key={s.side} className="prediction-panel" data-testid={`predictions-${s.side}`}>
            <h4 className="prediction-title">{s.side}: {modelLabel(s.m)}{against === 'retrain' && s.r && <span className="muted">against {modelLabel(s.r)}</span>}</h4>
            <PredictionScatter
              points={s.points}
              size={size}
              domain={domain}
              color={COLORS[s.side]}
              title={title}
              xLabel={xLabel}
              yLabel={`${s.side}'s predicted ${what}`}
            />
            <table className="prediction-stats">
              <thead>
                <tr><th /><th className="num">samples</th><th className="num" title="Mean |y − x| over the samples">mean |y − x|</th><th className="num" title="Wasserstein-1 between the two sets of values">W1</th></tr>
              </thead>
              <tbody>
                {([['forget', s.stats.forget], ['retain and test', s.stats.other]] as const).map(([label, st]) => (
                  <tr key={label} data-row={label}>
                    <td>{label}</td>
                    <td className="num">{st.n}</td>
                    <td className="num">{num(st.meanAbs)}</td>
                    <td className="num">{num(st.w1)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          );
        })}
      </div>
    </Card>
  );
}
