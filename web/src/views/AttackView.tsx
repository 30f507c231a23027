// Attack simulation: can a threshold on a forget sample's entropy or confidence tell the model from retrain?
// Every number comes from src/eval/privacy.ts run in the browser on the per-sample values evaluation stored.
import { useEffect, useMemo, useState } from 'react';
import type { EvaluatedModel } from '../../../src/shared/contract.ts';
import { AttackChart } from '../charts/AttackChart.tsx';
import { Legend } from '../charts/Axis.tsx';
import { Card, Message, ModelName, Toggle } from '../components/ui.tsx';
import { attackState, bestDirection, FEATURE_LABEL, gridThresholds, GRIDS, overallPrivacy, pickThreshold, type AttackFeature, type AttackSide, type Strategy } from '../lib/attack.ts';
import { COLORS, type Side } from '../lib/colors.ts';
import { modelLabel } from '../lib/experiments.ts';
import { num } from '../lib/format.ts';
import { formatValue } from '../../../src/eval/metrics.ts';
import { binValues } from '../lib/histogram.ts';
import { useWidth } from '../hooks.ts';

type Mode = Strategy | 'manual';

export function AttackView({ a, b, refA, refB }: { a: EvaluatedModel; b: EvaluatedModel; refA?: EvaluatedModel; refB?: EvaluatedModel }) {
  const [side, setSide] = useState<Side>('A');
  const [feature, setFeature] = useState<AttackFeature>('entropy');
  const [mode, setMode] = useState<Mode>('attackScore');
  const [above, setAbove] = useState<AttackSide>('unlearn');
  const [index, setIndex] = useState(0);
  const [ref, width] = useWidth<HTMLDivElement>();
  const model = side === 'A' ? a : b;
  const retrain = side === 'A' ? refA : refB;

  // A strategy places the threshold (and picks the direction) wherever its criterion is best.
  useEffect(() => {
    if (!retrain || mode === 'manual') return;
    const dir = bestDirection(model.details.forgetSamples, retrain.details.forgetSamples, feature, mode);
    setAbove(dir);
    setIndex(pickThreshold(attackState(model.details.forgetSamples, retrain.details.forgetSamples, feature, dir).curve, mode));
  }, [model, retrain, feature, mode]);

  const st = useMemo(() => (retrain ? attackState(model.details.forgetSamples, retrain.details.forgetSamples, feature, above) : undefined), [model, retrain, feature, above]);
  const overall = useMemo(() => (retrain ? overallPrivacy(model.details.forgetSamples, retrain.details.forgetSamples) : undefined), [model, retrain]);
  if (!retrain || !st || !overall) return <Message kind="loading">Loading the retrained reference…</Message>;

  const grid = GRIDS[feature];
  const thresholds = gridThresholds(grid);
  const i = Math.min(index, st.curve.length - 1);
  const p = st.curve[i];
  const color = side === 'A' ? COLORS.A : COLORS.B;
  const name = side;
  const dists: [Parameters<typeof AttackChart>[0]['dists'][0], Parameters<typeof AttackChart>[0]['dists'][1]] = [
    { key: 'model', label: name, color, bins: binValues(st.unlearn, grid.range, grid.bins) },
    { key: 'retrain', label: 'retrain', color: COLORS.retrain, bins: binValues(st.retrain, grid.range, grid.bins) },
  ];
  const aboveIsModel = above === 'unlearn';
  return (
    <div className="attack-layout">
      <Card
        title="Attack simulation"
        subtitle={`Distributions over ${st.unlearn.length} forget samples. An attacker who sees one output guesses which model produced it with a threshold; drag the threshold or pick a strategy.`}
        actions={
          <>
            <Toggle label="model" value={side} options={[{ value: 'A', label: 'Model A' }, { value: 'B', label: 'Model B' }]} onChange={setSide} />
          </>
        }
      >
        <div className="attack-controls">
          <span className="control-label">Feature</span>
          <Toggle label="feature" value={feature} options={[{ value: 'entropy', label: 'Entropy' }, { value: 'confidence', label: 'Confidence' }]} onChange={setFeature} />
          <span className="control-label">Strategy</span>
          <Toggle
            label="strategy"
            value={mode}
            options={[{ value: 'attackScore', label: 'Max attack score' }, { value: 'accuracy', label: 'Max success rate' }, { value: 'manual', label: 'Manual' }]}
            onChange={setMode}
          />
          <span className="control-label">Above threshold</span>
          <Toggle
            label="direction"
            value={above}
            options={[{ value: 'unlearn', label: `guess ${side}` }, { value: 'retrain', label: 'guess retrain' }]}
            onChange={(v) => {
              setMode('manual');
              setAbove(v);
            }}
          />
        </div>
        <Legend
          items={[
            { label: `${side}: ${modelLabel(model)}`, color },
            { label: `retrain: ${modelLabel(retrain)}`, color: COLORS.retrain },
            { label: 'attack score', color: '#7c3aed', shape: 'line' },
            { label: 'success rate', color: '#0891b2', shape: 'line' },
          ]}
        />
        <div ref={ref} className="chart">
          <AttackChart
            dists={dists}
            curve={st.curve}
            thresholds={thresholds}
            index={i}
            onIndex={(k) => {
              setMode('manual');
              setIndex(k);
            }}
            aboveLabel={aboveIsModel ? side : 'retrain'}
            belowLabel={aboveIsModel ? 'retrain' : side}
            aboveColor={aboveIsModel ? color : COLORS.retrain}
            belowColor={aboveIsModel ? COLORS.retrain : color}
            xLabel={FEATURE_LABEL[feature]}
            width={Math.min(width, 900)}
          />
        </div>
      </Card>
      <Card title="Attack at this threshold" className="attack-metrics">
        <p className="model-line"><ModelName side={side} label={modelLabel(model)} /></p>
        <dl className="metrics" data-testid="attack-metrics">
          <dt>Threshold</dt><dd>{num(p.threshold, 2)}</dd>
          <dt title="Share of the other model's samples wrongly attributed">False positive rate</dt><dd>{num(p.fpr, 3)}</dd>
          <dt title="Share of this side's samples missed">False negative rate</dt><dd>{num(p.fnr, 3)}</dd>
          <dt title="ln of the larger error-rate ratio, δ = 1e-5">ε</dt><dd>{num(p.epsilon, 2)}</dd>
          <dt title="1 − 2^−ε">Attack score</dt><dd>{num(p.attackScore, 3)}</dd>
          <dt title="Samples of both models attributed correctly">Success rate</dt><dd>{num(p.accuracy, 1)}%</dd>
          <dt title="1 − attack score">Privacy at this threshold</dt><dd>{num(1 - p.attackScore, 3)}</dd>
        </dl>
        <div className="score-box" data-testid="privacy-score">
          <div className="score-label">Privacy score</div>
          <div className="score-value">{num(overall.score, 3)}</div>
          <div className="score-note">
            1 − the strongest attack over both features and directions on these {st.unlearn.length} samples
            (strongest: {overall.strongest.feature} at threshold {num(overall.strongest.point.threshold, 2)}).
          </div>
          <div className="score-note">Stored score on all forget samples: <b>{formatValue('privacy', model.metrics.privacy)}</b></div>
        </div>
      </Card>
    </div>
  );
}
