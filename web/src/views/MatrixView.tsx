// Prediction matrices: true against predicted class for A and for B, each row as shares of that class.
import { useState } from 'react';
import type { EvaluatedModel } from '../../../src/shared/contract.ts';
import { Heatmap } from '../charts/Heatmap.tsx';
import { Card, ModelName, Toggle } from '../components/ui.tsx';
import { modelLabel } from '../lib/experiments.ts';
import { useWidth } from '../hooks.ts';
import { SPLITS, type SplitChoice } from './ClasswiseView.tsx';

export function MatrixView({ a, b, forgotten }: { a: EvaluatedModel; b: EvaluatedModel; forgotten: number[] }) {
  const [split, setSplit] = useState<SplitChoice>('train');
  const [ref, width] = useWidth<HTMLDivElement>();
  const half = Math.floor((width - 24) / 2);
  return (
    <Card
      title="Prediction matrix"
      subtitle="Rows: true class; columns: predicted class. Each cell is the percentage of its row; hover a cell for the count."
      actions={<Toggle label="split" value={split} options={SPLITS} onChange={setSplit} />}
    >
      <div ref={ref} className="pair">
        {([['A', a], ['B', b]] as const).map(([side, m]) => (
          <figure key={side} className="pair-item">
            <figcaption><ModelName side={side} label={modelLabel(m)} /></figcaption>
            <Heatmap counts={m.details.confusion[split]} classNames={m.details.classNames} side={side} width={Math.min(half, 560)} forgotten={forgotten} />
          </figure>
        ))}
      </div>
    </Card>
  );
}
