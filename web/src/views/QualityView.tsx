// Forgetting quality: a stored model bank (lethe bank, compare --bank) as the NeurIPS 2023 unlearning challenge scored
// it. Its N and scores, the distribution of per-example ε with the score's buckets and the cap, and the forget
// examples that leak most, as images that open in the Instances view of a comparison of the same setting.
import { useMemo, useState } from 'react';
import type { Comparison } from '../../../src/shared/contract.ts';
import type { ApiBankRecord, ApiBankSummary, ComparisonSummary } from '../../../src/shared/http.ts';
import { api, sampleUrl } from '../api.ts';
import { Legend } from '../charts/Axis.tsx';
import { EpsilonHistogram, QUALITY_COLORS } from '../charts/EpsilonHistogram.tsx';
import { Card, Message } from '../components/ui.tsx';
import { useLoad, useWidth } from '../hooks.ts';
import { COLORS } from '../lib/colors.ts';
import { referenceOf } from '../lib/experiments.ts';
import { date, num, params as paramsText, pct, plural, truncate } from '../lib/format.ts';
import { formatHash } from '../lib/hash.ts';
import { bankLabel, comparisonOf, epsilonHistogram, leakiest, pointsLabel, type Leak } from '../lib/quality.ts';

export const LEAKS_SHOWN = 24;

export function QualityView({ bank, comparisons, onPick }: { bank?: string; comparisons: ComparisonSummary[]; onPick: (id: string) => void }) {
  const list = useLoad<ApiBankSummary[]>(() => api.banks(), []);
  if (list.state === 'error') return <Message kind="error">Cannot load the stored banks: {list.error}</Message>;
  if (list.state === 'loading') return <Message kind="loading">Loading the stored banks…</Message>;
  if (!list.value.length) {
    return (
      <Message>
        <span data-testid="no-bank">
          No model bank is stored yet. Run one with <code>lethe bank --original DIR --forget SPEC --method NAME --n 32</code>, or{' '}
          <code>lethe compare … --bank 32</code> for every method, or start a job of kind <code>bank</code> (POST /api/jobs); it appears here when it finishes.
        </span>
      </Message>
    );
  }
  const id = bank && list.value.some((b) => b.id === bank) ? bank : list.value[0].id;
  return (
    <div className="stack" data-testid="quality">
      <Card
        title="Forgetting quality"
        subtitle={<>
          A bank of N runs of a method from the same original against N models retrained without the forget set. Per forget example, ε (δ = 1e-5) says how well
          the best threshold on the example&apos;s logit-scaled confidence tells the method&apos;s models from retrained ones: 0 is indistinguishable. Scored as the
          NeurIPS 2023 unlearning challenge did. N models per side can measure ε only up to about ln(N − 1), so the score counts nothing at or above the cap ⌈ln(N − 1)⌉, and every number here goes with its N.
        </>}
        actions={
          <label className="inline-controls">
            Bank{' '}
            <select value={id} onChange={(e) => onPick(e.target.value)} aria-label="bank">
              {list.value.map((b) => <option key={b.id} value={b.id}>{bankLabel(b, date)}</option>)}
            </select>
          </label>
        }
      >
        <BankRecord key={id} id={id} comparisons={comparisons} />
      </Card>
    </div>
  );
}

function BankRecord({ id, comparisons }: { id: string; comparisons: ComparisonSummary[] }) {
  const loaded = useLoad(() => api.bank(id), [id]);
  if (loaded.state === 'error') return <Message kind="error">Cannot load bank {id}: {loaded.error}</Message>;
  if (loaded.state === 'loading') return <Message kind="loading">Loading the bank…</Message>;
  return <BankBody b={loaded.value} comparisons={comparisons} />;
}

function BankBody({ b, comparisons }: { b: ApiBankRecord; comparisons: ComparisonSummary[] }) {
  const [ref, width] = useWidth<HTMLDivElement>(1000);
  const h = useMemo(() => epsilonHistogram(b.examples.epsilon, b.n), [b]);
  const e = b.epsilon;
  const u = b.unlearned;
  const r = b.retrained;
  return (
    <div data-testid="bank" data-bank={b.id}>
      <dl className="facts-grid" data-testid="bank-facts">
        <div><dt>Setting</dt><dd>{b.dataset} · forget <code>{b.forgetText}</code> · {plural(b.forgetCount, 'forget example')}</dd></div>
        <div><dt>Method</dt><dd data-testid="bank-method"><b>{b.method}</b>{Object.keys(b.params).length > 0 && <span className="muted"> {paramsText(b.params)}</span>}</dd></div>
        <div><dt>Models per side</dt><dd data-testid="bank-n">N = {b.n}</dd></div>
        <div><dt>Forget score F</dt><dd data-testid="forget-score"><b>{num(e.forgetScore, 4)}</b> <span className="muted">of 1</span></dd></div>
        <div><dt>Final score</dt><dd data-testid="final-score"><b>{num(e.score, 4)}</b></dd></div>
        <div><dt>Median <span className="no-caps">ε</span></dt><dd data-testid="median-epsilon">{e.median >= e.maxEpsilon ? `≥ ${e.maxEpsilon} (the cap)` : num(e.median, 2)} <span className="muted">· {e.capped} of {b.forgetCount} at the cap</span></dd></div>
        <div><dt>KLOM median</dt><dd data-testid="klom">forget {num(b.klom.forget.median, 3)} · retain {num(b.klom.retain.median, 3)} · test {num(b.klom.test.median, 3)}</dd></div>
        <div><dt>Computed</dt><dd>{date(b.created)} <span className="muted" title={b.id}>· {b.id.slice(0, 8)}</span></dd></div>
      </dl>
      <p className="tuning-text" data-testid="score-formula">
        <b>Final score</b> = F × (RA<sub>{b.method}</sub> / RA<sub>retrain</sub>) × (TA<sub>{b.method}</sub> / TA<sub>retrain</sub>) ={' '}
        {num(e.forgetScore, 4)} × ({pct(u.retainAcc, 2)} / {pct(r.retainAcc, 2)}) × ({pct(u.testAcc, 2)} / {pct(r.testAcc, 2)}), each accuracy the mean over its side&apos;s N models.
        {' '}<b>KLOM</b>: per example, the binned KL divergence between the two sides&apos; margin distributions (0 = distributed as retraining), on the forget set and on {b.samples} retain and {b.samples} test samples.
      </p>
      <div className="table-scroll">
        <table className="bank-sides" data-testid="bank-sides">
          <thead><tr><th>side (mean of N = {b.n})</th><th className="num">forget acc</th><th className="num">retain acc</th><th className="num">test acc</th><th className="num">seconds per run</th></tr></thead>
          <tbody>
            {[[b.method, u], ['retrain', r]].map(([name, s]) => {
              const v = s as typeof u;
              return <tr key={name as string}><td><b>{name as string}</b></td><td className="num">{pct(v.forgetAcc, 2)}</td><td className="num">{pct(v.retainAcc, 2)}</td><td className="num">{pct(v.testAcc, 2)}</td><td className="num">{num(v.seconds, 2)}</td></tr>;
            })}
          </tbody>
        </table>
      </div>

      <h3 className="section-title">Per-example ε</h3>
      <Legend
        testId="quality-legend"
        items={[
          { label: 'forget examples per ε bin', color: QUALITY_COLORS.bar },
          { label: `at or above the cap (worth 0): ${h.over} of ${h.total}`, color: QUALITY_COLORS.over },
          { label: 'score bucket (darker: worth more points)', color: QUALITY_COLORS.bucket, shape: 'square', opacity: 0.45 },
          { label: `cap ε = ⌈ln(N − 1)⌉ = ${h.cap}`, color: QUALITY_COLORS.cap, shape: 'dash' },
        ]}
      />
      <div ref={ref}>
        <EpsilonHistogram h={h} width={Math.min(width, 1100)} />
      </div>
      <div className="table-scroll">
        <table className="bucket-table" data-testid="bucket-table">
          <thead><tr><th>ε bucket</th>{h.buckets.map((k) => <th key={k.x0} className="num">[{k.x0}, {k.x1})</th>)}<th className="num">≥ {h.cap}</th><th className="num">F</th></tr></thead>
          <tbody>
            <tr><td>points</td>{h.buckets.map((k) => <td key={k.x0} className="num">{pointsLabel(k.points)}</td>)}<td className="num">0</td><td /></tr>
            <tr><td>examples</td>{h.buckets.map((k) => <td key={k.x0} className="num">{k.count}</td>)}<td className="num">{h.over}</td><td className="num">{h.total}</td></tr>
            <tr><td>share of F</td>{h.buckets.map((k) => <td key={k.x0} className="num">{num((k.points * k.count) / Math.max(1, h.total), 4)}</td>)}<td className="num">0</td><td className="num"><b>{num(e.forgetScore, 4)}</b></td></tr>
          </tbody>
        </table>
      </div>

      <Leaks b={b} comparisons={comparisons} />
    </div>
  );
}

function Leaks({ b, comparisons }: { b: ApiBankRecord; comparisons: ComparisonSummary[] }) {
  const leaks = useMemo(() => leakiest(b.examples, LEAKS_SHOWN), [b]);
  const match = comparisonOf(b, comparisons);
  const cmp = useLoad<Comparison>(() => (match ? api.comparison(match.id) : undefined), [match?.id]);
  const c = cmp.state === 'ready' && cmp.value.id === match?.id ? cmp.value : undefined;
  // Model A: the bank's method in that comparison (its first seed), model B: its retrained reference.
  const a = c?.models.find((m) => m.role === 'method' && m.method === b.method) ?? c?.models.find((m) => m.role === 'method');
  const ref = c && a ? referenceOf(c.models, a) : undefined;
  const cap = b.epsilon.maxEpsilon;
  const link = (l: Leak) => (c ? formatHash({ view: 'instances', comparison: c.id, a: a?.modelId, b: ref?.modelId, sample: String(l.id) }) : undefined);
  return (
    <>
      <h3 className="section-title">The examples that leak most</h3>
      <p className="tuning-text" data-testid="leaks-note">
        The {plural(leaks.length, 'forget example')} with the highest ε: the ones an attacker with N = {b.n} models per side tells apart best. Among equal ε the larger gap
        between the two sides&apos; median confidence comes first. Each shows the median over each side&apos;s models of its logit-scaled confidence in the true class.{' '}
        {match
          ? <>Click one to open it in the Instances view of the comparison of this setting ({date(match.created)}).</>
          : <span data-testid="no-comparison">To open them in the Instances view, compare on this setting: <code>lethe compare --original DIR --forget {b.forgetText} --methods {b.method}</code>.</span>}
      </p>
      <div className="instances leaks" data-testid="leaks">
        {leaks.map((l) => {
          const href = link(l);
          const body = (
            <>
              {b.sampleImages && <img src={sampleUrl(b.dataset, l.id)} alt={`sample ${l.id}`} width={60} height={60} />}
              <div className="instance-body">
                <div className="instance-title" title={b.classNames[l.label]}>
                  <b>{truncate(b.classNames[l.label] ?? String(l.label), 14)}</b> <span className="muted">#{l.id}</span>
                </div>
                <div className="leak-eps">
                  ε <b>{l.epsilon >= cap ? `≥ ${cap}` : num(l.epsilon, 2)}</b>
                  {l.epsilon >= cap && <span className="leak-zero" title={l.epsilon >= 50 ? 'ε at the scorer\'s limit of 50: the two sides are separated (or one side does not vary)' : undefined}> worth 0</span>}
                </div>
                <div className="leak-median" style={{ color: COLORS.A }} title={`median over the ${b.n} ${b.method} runs of log p(true) − log p(other)`}>{b.method} {num(l.unlearnedMedian, 2)}</div>
                <div className="leak-median" style={{ color: COLORS.retrain }} title={`median over the ${b.n} retrained models of log p(true) − log p(other)`}>retrain {num(l.retrainedMedian, 2)}</div>
              </div>
            </>
          );
          return href
            ? <a key={l.id} className="instance leak" href={href} data-mark="leak" data-id={l.id} data-epsilon={l.epsilon} title={`open sample ${l.id} in the Instances view`}>{body}</a>
            : <div key={l.id} className="instance leak" data-mark="leak" data-id={l.id} data-epsilon={l.epsilon}>{body}</div>;
        })}
      </div>
    </>
  );
}
