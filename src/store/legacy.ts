// Comparisons stored before the metric map (schema of Lethe ≤ 0.1 stops 1–7) read as today's shape:
// table rows had their metrics as flat fields (with `MIA` for `mia`), and the forget spec was its text.
import { parseForgetSpec, type ForgetSpec } from '../data/forget/index.ts';
import type { Comparison, TableRow } from '../shared/contract.ts';

type Summary = Omit<Comparison, 'models'>;

function spec(text: string): ForgetSpec {
  try {
    return parseForgetSpec(text);
  } catch {
    // "ids:186" names only how many ids there were.
    return { kind: 'ids', ids: [] } as unknown as ForgetSpec;
  }
}

export function upgradeSummary(raw: Record<string, unknown>): Summary {
  const s = { ...raw } as Record<string, unknown>;
  if (typeof s.forget === 'string') {
    s.forgetText = s.forget;
    s.forget = spec(s.forget);
    delete s.forgetKind;
  }
  s.table = (s.table as Record<string, unknown>[]).map((r): TableRow => {
    if (r.stats) return r as unknown as TableRow;
    const { label, method, role, n, MIA, ...flat } = r;
    return { label, method, role, n, stats: { ...flat, ...(MIA ? { mia: MIA } : {}) } } as TableRow;
  });
  return s as unknown as Summary;
}
