// Small building blocks every view uses: a card, a segmented toggle, a model swatch, status messages, the "all metrics" box.
import type { ReactNode } from 'react';
import { COLORS, type Side } from '../lib/colors.ts';

export function Card({ title, subtitle, actions, children, className }: {
  title: ReactNode; subtitle?: ReactNode; actions?: ReactNode; children: ReactNode; className?: string;
}) {
  return (
    <section className={`card ${className ?? ''}`}>
      <header className="card-head">
        <div>
          <h2>{title}</h2>
          {subtitle && <p className="subtitle">{subtitle}</p>}
        </div>
        {actions && <div className="card-actions">{actions}</div>}
      </header>
      <div className="card-body">{children}</div>
    </section>
  );
}

export function Toggle<T extends string>({ value, options, onChange, label }: {
  value: T; options: { value: T; label: string }[]; onChange: (v: T) => void; label: string;
}) {
  return (
    <div className="toggle" role="radiogroup" aria-label={label}>
      {options.map((o) => (
        <button key={o.value} type="button" role="radio" aria-checked={o.value === value} className={o.value === value ? 'on' : ''} onClick={() => onChange(o.value)}>
          {o.label}
        </button>
      ))}
    </div>
  );
}

export function Swatch({ side }: { side: Side }) {
  return <span className={`swatch swatch-${side}`} style={{ background: COLORS[side] }}>{side}</span>;
}

export function Message({ kind = 'info', children }: { kind?: 'info' | 'error' | 'loading'; children: ReactNode }) {
  return <div className={`message message-${kind}`} role={kind === 'error' ? 'alert' : undefined}>{children}</div>;
}

/** A model's name in its side's colour: "A salun · seed 1". */
export function ModelName({ side, label }: { side: Side; label: string }) {
  return (
    <span className="model-name">
      <Swatch side={side} />
      <span>{label}</span>
    </span>
  );
}

/** The checkbox that shows every metric of the map instead of its default columns. */
export function AllMetricsToggle({ checked, onChange }: { checked: boolean; onChange: (all: boolean) => void }) {
  return (
    <label className="check all-metrics" title="Show every metric, not only the default columns">
      <input type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} />
      all metrics
    </label>
  );
}

/** What a view that needs the models' activations says for a comparison imported from predictions. */
export const WEIGHTLESS = (view: string) =>
  `${view} needs each model's layer activations. This comparison was imported from prediction files (lethe import --predictions), which carry the models' outputs only.`;
