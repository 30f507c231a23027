// Layer-wise similarity: linear CKA of each layer's representation against the original and against retrain.
import type { EvaluatedModel } from '../../../src/shared/contract.ts';
import { Legend } from '../charts/Axis.tsx';
import { LayerLines } from '../charts/LayerLines.tsx';
import { Card, Message, WEIGHTLESS } from '../components/ui.tsx';
import { COLORS } from '../lib/colors.ts';
import { modelLabel } from '../lib/experiments.ts';
import { ckaDomain } from '../lib/layout.ts';
import { useWidth } from '../hooks.ts';

export function LayersView({ a, b }: { a: EvaluatedModel; b: EvaluatedModel }) {
  const [ref, width] = useWidth<HTMLDivElement>();
  const half = Math.floor((width - 24) / 2);
  const layers = a.details.cka.layers;
  if (!layers.length || !b.details.cka.layers.length) return <Message>{WEIGHTLESS('Layer-wise similarity')}</Message>;
  const domain = ckaDomain([a, b].flatMap((m) => [...m.details.cka.vsOriginal, ...m.details.cka.vsRetrain]));
  const series = (key: 'vsOriginal' | 'vsRetrain') => [
    { key: 'A', label: `A (${modelLabel(a)})`, color: COLORS.A, values: a.details.cka[key] },
    { key: 'B', label: `B (${modelLabel(b)})`, color: COLORS.B, values: b.details.cka[key] },
  ];
  return (
    <Card
      title="Layer-wise similarity"
      subtitle="Linear CKA between each layer's outputs on a fixed probe set (1 = the same representation up to rotation and scale), against the original and against the retrained model each was measured with. Forgetting should move the late layers away from the original and towards retrain. Both charts share one y axis."
    >
      <Legend items={[{ label: `A: ${modelLabel(a)}`, color: COLORS.A, shape: 'line' }, { label: `B: ${modelLabel(b)}`, color: COLORS.B, shape: 'line' }]} />
      <div ref={ref} className="pair">
        <LayerLines title="Similarity to the original" layers={layers} series={series('vsOriginal')} width={half} domain={domain} />
        <LayerLines title="Similarity to retrain" layers={layers} series={series('vsRetrain')} width={half} domain={domain} />
      </div>
    </Card>
  );
}
