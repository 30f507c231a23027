// What `lethe tune` minimises, per task: one entry per task of src/data/tasks.ts. A trial measures the entry's
// metrics on the validation split (standing in for the test set), and is scored against the same seed's retrain by
// the task's gap: avgGap of UA, RA, TA and MIA for a classifier, the L1 gap of the forget, retain and test L1 errors
// for a regressor (the metric map's `l1Gap`).
import { TASKS, type TaskName } from '../data/tasks.ts';
import { avgGap } from '../eval/gap.ts';
import { computeMetrics, type Evidence, type MetricKey } from '../eval/metrics.ts';
import type { TrialValues } from '../shared/http.ts';

export interface Objective {
  /** The metric map's gap this objective is: the task's (src/data/tasks.ts), by which the tables rank methods too. */
  metric: 'avgGap' | 'l1Gap';
  /** The protocol's one-line definition of the score. */
  text: string;
  /** The trial's values from its evidence. */
  values(x: Evidence, seed: number): Record<string, number>;
  /** A trial's score against its seed's retrain: lower is closer. */
  score(v: TrialValues, ref: TrialValues): number;
}

const measured = (x: Evidence, seed: number, keys: readonly MetricKey[]) => computeMetrics({ x, seed, seconds: 0, relearnAcc: NaN }, keys);

const L1_KEYS = ['forgetL1', 'retainL1', 'testL1'] as const;

export const OBJECTIVES = {
  classification: {
    metric: TASKS.classification.gap,
    text: "avgGap of UA, RA, TA and MIA to the same seed's retrain, the validation set in the test set's place",
    values(x, seed) {
      const v = measured(x, seed, ['forgetAcc', 'retainAcc', 'testAcc', 'UA', 'RA', 'TA', 'mia']);
      return { UA: v.UA!, RA: v.RA!, TA: v.TA!, MIA: v.mia! };
    },
    score: (v, ref) => avgGap({ UA: v.UA, RA: v.RA, TA: v.TA, MIA: v.MIA }, { UA: ref.UA, RA: ref.RA, TA: ref.TA, MIA: ref.MIA }),
  },
  regression: {
    metric: TASKS.regression.gap,
    text: "L1 gap, the mean |L1 − L1_ref| of the forget, retain and test L1 errors to the same seed's retrain (in the target's units), the validation set in the test set's place",
    values(x, seed) {
      const v = measured(x, seed, L1_KEYS);
      return Object.fromEntries(L1_KEYS.map((k) => [k, v[k]!]));
    },
    score: (v, ref) => L1_KEYS.reduce((a, k) => a + Math.abs(v[k] - ref[k]), 0) / L1_KEYS.length,
  },
} as const satisfies Record<TaskName, Objective>;

export const objectiveOf = (task: TaskName): Objective => OBJECTIVES[task];
