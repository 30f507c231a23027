// Embedding space: each model's 2-D projection of penultimate features, side by side; hovering a
// sample shows its image, label and both models' predictions, and rings it in both panels.
import { useCallback, useMemo, useRef, useState } from 'react';
import type { EvaluatedModel } from '../../../src/shared/contract.ts';
import { sampleUrl } from '../api.ts';
import { Scatter, type ColorBy } from '../charts/Scatter.tsx';
import { Card, Message, ModelName, Toggle, WEIGHTLESS } from '../components/ui.tsx';
import { classColor, COLORS } from '../lib/colors.ts';
import { forgetRecall, layoutPoints, predictionsById } from '../lib/embedding.ts';
import { modelLabel } from '../lib/experiments.ts';
import { pct } from '../lib/format.ts';
import { tooltipPosition } from '../lib/layout.ts';
import { useWidth } from '../hooks.ts';

const TIP = { w: 230, h: 150 };

export function EmbeddingView({ a, b, dataset }: { a: EvaluatedModel; b: EvaluatedModel; dataset?: string }) {
  const [ref, width] = useWidth<HTMLDivElement>();
  const box = useRef<HTMLDivElement>(null);
  const [colorBy, setColorBy] = useState<ColorBy>('pred');
  const [hover, setHover] = useState<{ id: number; x: number; y: number } | null>(null);
  const size = Math.max(240, Math.min(540, Math.floor((width - 32) / 2)));
  const pa = useMemo(() => layoutPoints(a.details.embedding, size), [a, size]);
  const pb = useMemo(() => layoutPoints(b.details.embedding, size), [b, size]);
  const predA = useMemo(() => predictionsById(a.details.embedding), [a]);
  const predB = useMemo(() => predictionsById(b.details.embedding), [b]);
  const names = a.details.classNames;
  const onHover = useCallback((id: number | null, e?: React.MouseEvent) => {
    if (id == null || !e || !box.current) return setHover(null);
    const r = box.current.getBoundingClientRect();
    setHover({ id, x: e.clientX - r.left, y: e.clientY - r.top });
  }, []);
  const emb = a.details.embedding;
  const hi = hover ? emb.ids.indexOf(hover.id) : -1;
  const pos = hover && box.current ? tooltipPosition(hover, TIP, { w: box.current.clientWidth, h: box.current.clientHeight }) : null;
  if (!emb.ids.length || !b.details.embedding.ids.length) return <Message>{WEIGHTLESS('The embedding view')}</Message>;
  return (
    <Card
      title="Embedding space"
      subtitle="UMAP of penultimate-layer features on the same samples for both models. Forget samples are larger and ringed in black; hover a point to see the sample."
      actions={<Toggle label="colour by" value={colorBy} options={[{ value: 'pred', label: 'Colour: predicted class' }, { value: 'label', label: 'Colour: true class' }]} onChange={setColorBy} />}
    >
      <div className="legend">
        {names.map((n, i) => (
          <span key={n} className="legend-item"><svg width={12} height={12}><circle cx={6} cy={6} r={5} fill={classColor(i)} /></svg>{n}</span>
        ))}
        <span className="legend-item"><svg width={14} height={14}><circle cx={7} cy={7} r={5} fill="#cbd5e1" stroke="#111827" strokeWidth={1.6} /></svg>forget sample</span>
      </div>
      <div ref={ref} className="embedding-wrap">
        <div ref={box} className="pair embedding-pair">
          {([['A', a, pa], ['B', b, pb]] as const).map(([side, m, pts]) => (
            <figure key={side} className="pair-item">
              <figcaption>
                <ModelName side={side} label={modelLabel(m)} />
                <span className="caption-note">forget samples still in their class: {pct(forgetRecall(m.details.embedding), 0)}</span>
              </figcaption>
              <Scatter points={pts} size={size} colorBy={colorBy} hovered={hover?.id ?? null} onHover={onHover} side={side} />
            </figure>
          ))}
          {hover && pos && hi >= 0 && (
            <div className="tooltip" style={{ left: pos.left, top: pos.top, width: TIP.w }} data-testid="embedding-tooltip">
              {dataset !== undefined && <img src={sampleUrl(dataset, hover.id)} alt={`sample ${hover.id}`} width={72} height={72} />}
              <div>
                <div className="tip-title">Sample {hover.id}{emb.forget[hi] ? <span className="tag-forgotten"> forget</span> : null}</div>
                <div>Label: <b>{names[emb.label[hi]]}</b></div>
                <div style={{ color: COLORS.A }}>A predicts: <b>{names[predA.get(hover.id) ?? -1] ?? '—'}</b></div>
                <div style={{ color: COLORS.B }}>B predicts: <b>{names[predB.get(hover.id) ?? -1] ?? '—'}</b></div>
              </div>
            </div>
          )}
        </div>
      </div>
    </Card>
  );
}
