// Instances: the forget samples as images with A's and B's predicted class and confidence,
// ordered by how differently the two models treat them; a sample named in the URL (#…&s=ID) comes first, outlined.
import { useEffect, useMemo, useRef, useState } from 'react';
import type { EvaluatedModel } from '../../../src/shared/contract.ts';
import { sampleUrl } from '../api.ts';
import { Card, ModelName } from '../components/ui.tsx';
import { COLORS } from '../lib/colors.ts';
import { modelLabel } from '../lib/experiments.ts';
import { truncate } from '../lib/format.ts';
import { countInstances, joinInstances, sortInstances, SORT_LABELS, type Instance, type InstanceSort } from '../lib/instances.ts';

const PAGE = 48;

export function InstancesView({ a, b, dataset, focus }: { a: EvaluatedModel; b: EvaluatedModel; dataset?: string; focus?: number }) {
  const [by, setBy] = useState<InstanceSort>('disagreement');
  const [onlyDiffer, setOnlyDiffer] = useState(false);
  const [limit, setLimit] = useState(PAGE);
  const all = useMemo(() => joinInstances(a.details.forgetSamples, b.details.forgetSamples), [a, b]);
  const counts = useMemo(() => countInstances(all), [all]);
  const focused = focus === undefined ? undefined : all.find((x) => x.id === focus);
  const shown = useMemo(() => {
    const sorted = sortInstances(onlyDiffer ? all.filter((x) => x.a.pred !== x.b.pred) : all, by);
    return focused ? [focused, ...sorted.filter((x) => x !== focused)] : sorted;
  }, [all, by, onlyDiffer, focused]);
  const names = a.details.classNames;
  return (
    <Card
      title="Instances"
      subtitle={`${counts.total} forget samples. A still classifies ${counts.aCorrect} correctly, B ${counts.bCorrect}; their predictions differ on ${counts.differ}.`}
      actions={
        <div className="inline-controls">
          <label>
            Sort by{' '}
            <select value={by} onChange={(e) => setBy(e.target.value as InstanceSort)} aria-label="sort instances">
              {Object.entries(SORT_LABELS).map(([k, v]) => <option key={k} value={k}>{v}</option>)}
            </select>
          </label>
          <label><input type="checkbox" checked={onlyDiffer} onChange={(e) => setOnlyDiffer(e.target.checked)} /> only where A and B differ</label>
        </div>
      }
    >
      <p className="model-line">
        <ModelName side="A" label={modelLabel(a)} /> <ModelName side="B" label={modelLabel(b)} />
        <span className="caption-note">Bars: each model's probability for the true label.</span>
      </p>
      {focus !== undefined && (
        <p className="focus-note" data-testid="focus-note">
          {focused ? <>Sample <b>#{focus}</b> is shown first, outlined.</> : <>Sample #{focus} is not among the {counts.total} forget samples this comparison keeps for its views.</>}
        </p>
      )}
      <div className="instances">
        {shown.slice(0, limit).map((x) => <InstanceCard key={x.id} x={x} names={names} dataset={dataset} focused={x === focused} />)}
      </div>
      {shown.length > limit && (
        <button type="button" className="more" onClick={() => setLimit(shown.length)}>Show all {shown.length}</button>
      )}
      {!shown.length && <p className="empty">No sample matches.</p>}
    </Card>
  );
}

function InstanceCard({ x, names, dataset, focused }: { x: Instance; names: string[]; dataset?: string; focused?: boolean }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (focused) ref.current?.scrollIntoView?.({ block: 'center' });
  }, [focused]);
  return (
    <div ref={ref} className={focused ? 'instance focused' : 'instance'} data-mark="instance" data-id={x.id} data-focused={focused ? 'true' : undefined}>
      {dataset !== undefined && <img src={sampleUrl(dataset, x.id)} alt={`sample ${x.id}`} width={60} height={60} />}
      <div className="instance-body">
        <div className="instance-title" title={names[x.label]}>
          <b>{truncate(names[x.label] ?? String(x.label), 14)}</b> <span className="muted">#{x.id}</span>
        </div>
        {(['a', 'b'] as const).map((s) => {
          const p = x[s];
          const right = p.pred === x.label;
          return (
            <div key={s} className="instance-pred">
              <span className="pred-side" style={{ color: s === 'a' ? COLORS.A : COLORS.B }}>{s.toUpperCase()}</span>
              <span className={right ? 'pred right' : 'pred wrong'} title={`${s.toUpperCase()} predicts ${names[p.pred]} with ${(100 * p.confidence).toFixed(0)}% confidence`}>
                {right ? '✓' : '✗'} {truncate(names[p.pred] ?? String(p.pred), 12)} {(100 * p.confidence).toFixed(0)}%
              </span>
              <span className="conf-bar" title={`probability of the true label: ${(100 * p.trueConfidence).toFixed(1)}%`}>
                <span style={{ width: `${Math.round(100 * p.trueConfidence)}%`, background: s === 'a' ? COLORS.A : COLORS.B }} />
              </span>
            </div>
          );
        })}
      </div>
    </div>
  );
}
