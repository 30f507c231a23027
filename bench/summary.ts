// The class-forgetting bar of the methods issue at a glance: forget-test < 10%, retain-test within 3 points of the original.
const f = (v: number) => v.toFixed(1);
/** "+1.2", "-0.7", "0.0" (never "-0.0"). */
const signed = (v: number) => {
  const s = f(v);
  return /^-?0\.0$/.test(s) ? '0.0' : v > 0 ? `+${s}` : s;
};

interface Row {
  forget: string;
  method: string;
  forgetTestAcc?: number;
  retainTestAcc?: number;
  original: { retainTestAcc?: number };
}

/** A Markdown table, a row per method and a column per class request; undefined when there is no class request. */
export function classSummary(results: Record<string, unknown>[], methods: string[], forgets: string[]): string | undefined {
  const specs = forgets.filter((s) => s.startsWith('class:'));
  if (!specs.length) return undefined;
  const lines = [
    '#### Class forgetting at a glance: forget-test accuracy % (retain-test change against the original, points)',
    '',
    `| method | ${specs.join(' | ')} | worst forget-test | worst retain-test change |`,
    `|---|${specs.map(() => '---').join('|')}|---|---|`,
  ];
  for (const name of methods) {
    const rows = specs.map((spec) => (results as unknown as Row[]).find((r) => r.forget === spec && r.method === name)!);
    const forgetTest = rows.map((r) => r.forgetTestAcc!);
    const change = rows.map((r) => r.retainTestAcc! - r.original.retainTestAcc!);
    const cells = rows.map((_, i) => `${f(forgetTest[i])} (${signed(change[i])})`);
    lines.push(`| ${name} | ${cells.join(' | ')} | ${f(Math.max(...forgetTest))} | ${signed(Math.min(...change))} |`);
  }
  return lines.join('\n');
}
