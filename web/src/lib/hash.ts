// The view state kept in the URL's hash (#view=matrix&c=...&a=...&b=...), so a view can be linked and reloaded.

export const VIEWS = ['experiments', 'classwise', 'matrix', 'layers', 'embedding', 'attack', 'instances', 'run'] as const;
export type View = (typeof VIEWS)[number];

export const VIEW_LABELS: Record<View, string> = {
  experiments: 'Experiments',
  classwise: 'Class-wise accuracy',
  matrix: 'Prediction matrix',
  layers: 'Layer-wise similarity',
  embedding: 'Embedding space',
  attack: 'Attack simulation',
  instances: 'Instances',
  run: 'Run',
};

/** Short names for the tabs; the views' own titles use the full names. */
export const TAB_LABELS: Record<View, string> = {
  experiments: 'Experiments',
  classwise: 'Class accuracy',
  matrix: 'Prediction matrix',
  layers: 'Layer similarity',
  embedding: 'Embedding',
  attack: 'Attack',
  instances: 'Instances',
  run: 'Run',
};

export interface HashState {
  view: View;
  comparison?: string;
  a?: string;
  b?: string;
}

export function parseHash(hash: string): HashState {
  const p = new URLSearchParams(hash.replace(/^#/, ''));
  const v = p.get('view');
  const s: HashState = { view: (VIEWS as readonly string[]).includes(v ?? '') ? (v as View) : 'experiments' };
  for (const [key, name] of [['comparison', 'c'], ['a', 'a'], ['b', 'b']] as const) {
    const x = p.get(name);
    if (x) s[key] = x;
  }
  return s;
}

export function formatHash(s: HashState): string {
  const p = new URLSearchParams({ view: s.view });
  if (s.comparison) p.set('c', s.comparison);
  if (s.a) p.set('a', s.a);
  if (s.b) p.set('b', s.b);
  return `#${p.toString()}`;
}
