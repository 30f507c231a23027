// Class-wise accuracy: A against B per class, on the training or the test set.
import { useState } from 'react';
import type { EvaluatedModel } from '../../../src/shared/contract.ts';
import { ClassBars } from '../charts/ClassBars.tsx';
import { Legend } from '../charts/Axis.tsx';
import { Card, Toggle } from '../components/ui.tsx';
import { COLORS } from '../lib/colors.ts';
import { modelLabel } from '../lib/experiments.ts';
import { classPairs } from '../lib/matrix.ts';
import { useWidth } from '../hooks.ts';

export type SplitChoice = 'train' | 'test';
export const SPLITS: { value: SplitChoice; label: string }[] = [
  { value: 'train', label: 'Train set' },
  { value: 'test', label: 'Test set' },
];

export function ClasswiseView({ a, b, forgotten }: { a: EvaluatedModel; b: EvaluatedModel; forgotten: number[] }) {
  const [split, setSplit] = useState<SplitChoice>('train');
  const [ref, width] = useWidth<HTMLDivElement>();
  const pairs = classPairs(a.details.classNames, a.details.perClass[split], b.details.perClass[split], forgotten);
  return (
    <Card
      title="Class-wise accuracy"
      subtitle={split === 'train' ? 'Accuracy per class on the training set the original saw (forget and retain samples).' : 'Accuracy per class on the held-out test set.'}
      actions={<Toggle label="split" value={split} options={SPLITS} onChange={setSplit} />}
    >
      <Legend items={[{ label: `A: ${modelLabel(a)}`, color: COLORS.A }, { label: `B: ${modelLabel(b)}`, color: COLORS.B }]} />
      <div ref={ref} className="chart">
        <ClassBars pairs={pairs} width={Math.min(width, 980)} />
      </div>
    </Card>
  );
}
