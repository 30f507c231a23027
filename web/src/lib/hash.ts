// The view state kept in the URL's hash (#view=matrix&c=...&a=...&b=...), so a view can be linked and reloaded.
import { CLASSIFICATION_ONLY, EVERY_TASK, type TaskName } from '../../../src/data/tasks.ts';

/**
 * What a view needs before it can draw: a comparison and the details of models A and B ('pair'), a comparison
 * only ('comparison'), or nothing of a comparison ('none': it talks to the server on its own, like Run).
 */
export type ViewNeeds = 'pair' | 'comparison' | 'none';

/** The tab row's groups, in order, with their captions (the tabs of a group stay together when the row wraps). */
export const TAB_GROUPS = {
  comparison: 'Comparison',
  pair: 'Model A vs B',
  strict: 'Strict evaluation',
  service: 'Run and serve',
} as const;
export type TabGroup = keyof typeof TAB_GROUPS;

export interface ViewInfo {
  /** The view's full name (the tab's tooltip, the view's own title). */
  label: string;
  /** The short name on its tab. */
  tab: string;
  needs: ViewNeeds;
  /** The group its tab sits in; a group's views are consecutive in the map. */
  group: TabGroup;
  /** A view of a comparison: the tasks whose comparisons it draws (every task when absent). */
  tasks?: readonly TaskName[];
  /** It also draws the retrained model each of A and B was measured against (loaded beside them). */
  refs?: true;
}

const CLASSES = CLASSIFICATION_ONLY;
const REGRESSION: readonly TaskName[] = ['regression'];

/** The one map of views, in tab order: adding a view is one entry here (and its case in App.tsx). */
export const VIEW_MAP = {
  experiments: { label: 'Experiments', tab: 'Experiments', needs: 'comparison', group: 'comparison' },
  tuning: { label: "Tuning: each method's search on the validation split", tab: 'Tuning', needs: 'comparison', group: 'comparison' },
  classwise: { label: 'Class-wise accuracy', tab: 'Class accuracy', needs: 'pair', group: 'pair', tasks: CLASSES },
  matrix: { label: 'Prediction matrix', tab: 'Prediction matrix', needs: 'pair', group: 'pair', tasks: CLASSES },
  predictions: { label: "Predictions: each model's against its retrained reference's", tab: 'Predictions', needs: 'pair', group: 'pair', tasks: REGRESSION, refs: true },
  layers: { label: 'Layer-wise similarity', tab: 'Layer similarity', needs: 'pair', group: 'pair' },
  embedding: { label: 'Embedding space', tab: 'Embedding', needs: 'pair', group: 'pair', tasks: CLASSES },
  attack: { label: 'Attack simulation', tab: 'Attack', needs: 'pair', group: 'pair', tasks: CLASSES, refs: true },
  instances: { label: 'Instances', tab: 'Instances', needs: 'pair', group: 'pair', tasks: CLASSES },
  quality: { label: 'Forgetting quality: per-example ε over a model bank', tab: 'Forgetting quality', needs: 'none', group: 'strict' },
  relearn: { label: 'Relearning: forget accuracy against relearning-attack steps', tab: 'Relearning', needs: 'comparison', group: 'strict', tasks: CLASSES },
  sweep: { label: 'Corrective sweep: accCorr and clean accuracy against the identified fraction', tab: 'Corrective sweep', needs: 'comparison', group: 'strict', tasks: CLASSES },
  worst: { label: "Worst case vs random: each method's gap to retraining on a worst-case and a random forget set of one size", tab: 'Worst vs random', needs: 'none', group: 'strict' },
  ulira: { label: 'Per-example attack: U-LiRA over shadow models, per target example (50% = ideal)', tab: 'Per-example attack', needs: 'none', group: 'strict' },
  run: { label: 'Run', tab: 'Run', needs: 'none', group: 'service' },
  deletions: { label: 'Deletions: deployments, requests, ledger, lineage', tab: 'Deletions', needs: 'none', group: 'service' },
} as const satisfies Record<string, ViewInfo>;

export type View = keyof typeof VIEW_MAP;
export const VIEWS = Object.keys(VIEW_MAP) as View[];
/** The views that draw models A and B. */
export type PairView = { [V in View]: (typeof VIEW_MAP)[V]['needs'] extends 'pair' ? V : never }[View];

export const VIEW_LABELS = Object.fromEntries(VIEWS.map((v) => [v, VIEW_MAP[v].label])) as Record<View, string>;

/** Short names for the tabs; the views' own titles use the full names. */
export const TAB_LABELS = Object.fromEntries(VIEWS.map((v) => [v, VIEW_MAP[v].tab])) as Record<View, string>;

export const needsOf = (v: View): ViewNeeds => VIEW_MAP[v].needs;

const info = (v: View): ViewInfo => VIEW_MAP[v];

/** The tasks a view of a comparison draws; a view with its own picker ('none') draws whatever it picks. */
export const viewTasks = (v: View): readonly TaskName[] => (info(v).needs === 'none' ? EVERY_TASK : info(v).tasks ?? EVERY_TASK);

/** Whether the view can draw a comparison of this task (its tab is off otherwise). */
export const viewServes = (v: View, task: TaskName): boolean => viewTasks(v).includes(task);

/** Whether the view draws A's and B's retrained references too. */
export const needsRefs = (v: View): boolean => !!info(v).refs;

/** The tab row: each group with its views, in map order. */
export const TAB_ROW: { group: TabGroup; caption: string; views: View[] }[] = (Object.keys(TAB_GROUPS) as TabGroup[])
  .map((group) => ({ group, caption: TAB_GROUPS[group], views: VIEWS.filter((v) => VIEW_MAP[v].group === group) }));

export interface HashState {
  view: View;
  comparison?: string;
  a?: string;
  b?: string;
  /** The Deletions view's deployment. */
  deployment?: string;
  /** The Forgetting quality view's stored bank. */
  bank?: string;
  /** The sample the Instances view shows first (a click in the Forgetting quality or Per-example attack view). */
  sample?: string;
  /** The Per-example attack view's stored U-LiRA evaluation. */
  ulira?: string;
}

const PARAMS = [['comparison', 'c'], ['a', 'a'], ['b', 'b'], ['deployment', 'd'], ['bank', 'bank'], ['sample', 's'], ['ulira', 'u']] as const;

export function parseHash(hash: string): HashState {
  const p = new URLSearchParams(hash.replace(/^#/, ''));
  const v = p.get('view');
  const s: HashState = { view: (VIEWS as readonly string[]).includes(v ?? '') ? (v as View) : 'experiments' };
  for (const [key, name] of PARAMS) {
    const x = p.get(name);
    if (x) s[key] = x;
  }
  return s;
}

export function formatHash(s: HashState): string {
  const p = new URLSearchParams({ view: s.view });
  for (const [key, name] of PARAMS) {
    const x = s[key];
    if (x) p.set(name, x);
  }
  return `#${p.toString()}`;
}
