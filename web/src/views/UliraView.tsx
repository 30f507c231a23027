// Per-example attack: a stored U-LiRA evaluation (Hayes et al. 2024, `lethe ulira`). Its balanced accuracy on the
// target examples (50% = ideal unlearning) with its two rates, the effect on retain examples before → after unlearning,
// the distribution of per-example accuracy for targets and retain examples, and the targets the attack gets right most
// often as images that open in the Instances view of a comparison that forgot them.
import { useMemo } from 'react';
import type { Comparison } from '../../../src/shared/contract.ts';
import type { ApiUliraRecord, ApiUliraSummary, ComparisonSummary } from '../../../src/shared/http.ts';
import { api, sampleUrl } from '../api.ts';
import { Legend } from '../charts/Axis.tsx';
import { UliraHistogram } from '../charts/UliraHistogram.tsx';
import { Card, Message } from '../components/ui.tsx';
import { useLoad, useWidth } from '../hooks.ts';
import { ULIRA_COLORS } from '../lib/colors.ts';
import { referenceOf } from '../lib/experiments.ts';
import { date, num, params as paramsText, pct, plural, truncate } from '../lib/format.ts';
import { formatHash } from '../lib/hash.ts';
import { binWidthFor, comparisonFor, fromIdeal, idsFile, mostExposed, uliraHistograms, uliraLabel, type Exposed } from '../lib/ulira.ts';

export const EXPOSED_SHOWN = 24;

const signed = (v: number, digits = 1) => (Number.isFinite(v) ? `${v > 0 ? '+' : v < 0 ? '−' : '±'}${Math.abs(v).toFixed(digits)}` : '—');

export function UliraView({ ulira, comparisons, onPick }: { ulira?: string; comparisons: ComparisonSummary[]; onPick: (id: string) => void }) {
  const list = useLoad<ApiUliraSummary[]>(() => api.ulira(), []);
  if (list.state === 'error') return <Message kind="error">Cannot load the stored U-LiRA evaluations: {list.error}</Message>;
  if (list.state === 'loading') return <Message kind="loading">Loading the stored U-LiRA evaluations…</Message>;
  if (!list.value.length) {
    return (
      <Message>
        <span data-testid="no-ulira">
          No U-LiRA evaluation is stored yet. Run one with <code>lethe ulira --original DIR --method M</code> (K = 16 shadow models by default; the more,
          the sharper the per-example numbers), or start a job of kind <code>ulira</code> (POST /api/jobs); it appears here when it finishes.
          Run it with <code>--method retrain</code> too: retraining is the control, which must come out near 50%.
        </span>
      </Message>
    );
  }
  const id = ulira && list.value.some((u) => u.id === ulira) ? ulira : list.value[0].id;
  return (
    <div className="stack" data-testid="ulira">
      <Card
        title="Per-example attack (U-LiRA)"
        subtitle={<>
          Hayes et al. (2024): K shadow models, each trained on a seeded random half of the training data; in each, the method unlearns the target examples that
          shadow held. Per target example and per shadow taken as the attacked model, the attacker fits Gaussians to the example&apos;s logit-scaled confidence on the
          other shadows, those that unlearned it and those that never held it, and guesses which kind the attacked model is. Accuracies are balanced (the mean
          of the true-positive and true-negative rates): <b>50% is ideal unlearning</b>, the attacker can do no better than a coin.
        </>}
        actions={
          <label className="inline-controls">
            Evaluation{' '}
            <select value={id} onChange={(e) => onPick(e.target.value)} aria-label="ulira">
              {list.value.map((u) => <option key={u.id} value={u.id}>{uliraLabel(u, date)}</option>)}
            </select>
          </label>
        }
      >
        <UliraRecordLoad key={id} id={id} comparisons={comparisons} />
      </Card>
    </div>
  );
}

function UliraRecordLoad({ id, comparisons }: { id: string; comparisons: ComparisonSummary[] }) {
  const loaded = useLoad(() => api.uliraRecord(id), [id]);
  if (loaded.state === 'error') return <Message kind="error">Cannot load U-LiRA evaluation {id}: {loaded.error}</Message>;
  if (loaded.state === 'loading') return <Message kind="loading">Loading the evaluation…</Message>;
  return <UliraBody u={loaded.value} comparisons={comparisons} />;
}

function UliraBody({ u, comparisons }: { u: ApiUliraRecord; comparisons: ComparisonSummary[] }) {
  const [ref, width] = useWidth<HTMLDivElement>(1000);
  const bin = binWidthFor(u.shadows);
  const h = useMemo(() => uliraHistograms(u, bin), [u, bin]);
  const ideal = fromIdeal(u.forget.accuracy);
  const half = Math.max(320, Math.floor((Math.min(width, 1200) - 24) / 2));
  const effect = u.retain.after - u.retain.before;
  return (
    <div data-testid="ulira-record" data-ulira={u.id}>
      <dl className="facts-grid" data-testid="ulira-facts">
        <div><dt>Method</dt><dd data-testid="ulira-method"><b>{u.method}</b>{Object.keys(u.params).length > 0 && <span className="muted"> {paramsText(u.params)}</span>}</dd></div>
        <div><dt>Setting</dt><dd>{u.dataset} <span className="muted" title={u.originalId}>· original {u.originalId.slice(0, 8)}</span></dd></div>
        <div><dt>Shadow models</dt><dd data-testid="ulira-k">K = {u.shadows}</dd></div>
        <div><dt>Examples</dt><dd data-testid="ulira-counts">{plural(u.targets, 'target')} · {plural(u.retainCount, 'retain example')}</dd></div>
        <div><dt>Computed</dt><dd>{date(u.created)} <span className="muted" title={u.id}>· {u.id.slice(0, 8)} · {u.computed} computed, {u.stored} from the store</span></dd></div>
      </dl>

      <div className="ulira-headline">
        <div className="ulira-score" data-testid="ulira-accuracy">
          <div className="score-label">Balanced accuracy on the targets</div>
          <div className="score-value">{pct(u.forget.accuracy, 1)}</div>
          <div className={`ulira-verdict verdict-${ideal.verdict.replace(' ', '-')}`} data-testid="ulira-verdict">
            {ideal.verdict === 'ideal' ? 'at 50%: ideal' : `${signed(ideal.points)} points from 50% (ideal)${ideal.verdict === 'leaks' ? ': better than a coin at telling unlearned from never seen' : ''}`}
          </div>
        </div>
        <dl className="metrics ulira-rates">
          <dt title="shadows that unlearned the example, called so">True-positive rate</dt><dd data-testid="ulira-tpr">{pct(u.forget.tpr, 1)}</dd>
          <dt title="shadows that never held the example, called so">True-negative rate</dt><dd data-testid="ulira-tnr">{pct(u.forget.tnr, 1)}</dd>
          <dt>Per-example median · p90</dt><dd data-testid="ulira-spread">{pct(u.forget.perExample.median, 1)} · {pct(u.forget.perExample.p90, 1)}</dd>
        </dl>
        <div className="ulira-effect" data-testid="ulira-retain">
          <div className="score-label">Retain examples: membership attack</div>
          <div className="ulira-effect-values">
            <span style={{ color: ULIRA_COLORS.before }}>{pct(u.retain.before, 1)}</span>
            <span className="arrow" aria-hidden>→</span>
            <span style={{ color: ULIRA_COLORS.after }}>{pct(u.retain.after, 1)}</span>
            <span className="muted"> ({signed(effect)} points)</span>
          </div>
          <div className="score-note">
            Before: against the shadow originals; after: against the unlearned shadows. A change means unlearning moved what the model does on the data it keeps.
          </div>
        </div>
      </div>

      <h3 className="section-title">Per-example accuracy</h3>
      <Legend
        testId="ulira-legend"
        items={[
          { label: `target examples, against the unlearned shadows (${u.targets})`, color: ULIRA_COLORS.forget },
          { label: `retain examples before unlearning (${u.retainExamples.ids.length})`, color: ULIRA_COLORS.before, opacity: 0.6 },
          { label: 'retain examples after unlearning', color: ULIRA_COLORS.after },
          { label: 'ideal: 50%', color: ULIRA_COLORS.ideal, shape: 'dash' },
        ]}
      />
      <div ref={ref} className="pair">
        <UliraHistogram
          testId="ulira-hist-forget"
          title="Target examples: unlearned or never seen?"
          yLabel="target examples"
          series={[{ key: 'forget', label: 'target examples', color: ULIRA_COLORS.forget, bins: h.forget }]}
          idealColor={ULIRA_COLORS.ideal}
          width={half}
        />
        <UliraHistogram
          testId="ulira-hist-retain"
          title="Retain examples: trained on or not, before and after"
          yLabel="retain examples"
          series={[
            { key: 'before', label: 'retain examples before unlearning', color: ULIRA_COLORS.before, bins: h.retainBefore, outline: true },
            { key: 'after', label: 'retain examples after unlearning', color: ULIRA_COLORS.after, bins: h.retainAfter },
          ]}
          idealColor={ULIRA_COLORS.ideal}
          width={half}
        />
      </div>
      <p className="tuning-text">
        Each example&apos;s accuracy is the share of the K = {u.shadows} shadows, each taken in turn as the attacked model, that the attack gets right, so it moves in steps of {num(100 / u.shadows, 1)} points;
        {bin === 100 / u.shadows ? ' one bar per step' : ` bars are ${bin} points wide`}, centred on its value. Ideal unlearning piles the targets around 50%; a pile at 100% is the examples the attacker always gets right: unlearning left a trace on them.
      </p>

      <Exposed u={u} comparisons={comparisons} />
    </div>
  );
}

function Exposed({ u, comparisons }: { u: ApiUliraRecord; comparisons: ComparisonSummary[] }) {
  const top = useMemo(() => mostExposed(u.examples, EXPOSED_SHOWN), [u]);
  const match = comparisonFor(u, comparisons);
  const cmp = useLoad<Comparison>(() => (match ? api.comparison(match.id) : undefined), [match?.id]);
  const c = cmp.state === 'ready' && cmp.value.id === match?.id ? cmp.value : undefined;
  // Model A: the evaluation's method in that comparison (its first seed), model B: its retrained reference.
  const a = c?.models.find((m) => m.role === 'method' && m.method === u.method) ?? c?.models.find((m) => m.role === 'method');
  const b = c && a ? referenceOf(c.models, a) : undefined;
  // The Instances view shows the comparison's stored forget samples (model A's details): only those can open there.
  const detail = useLoad(() => (c && a ? api.model(c.id, a.modelId) : undefined), [c?.id, a?.modelId]);
  const aDetails = detail.state === 'ready' && detail.value.modelId === a?.modelId ? detail.value.details : undefined;
  const held = useMemo(() => new Set(aDetails?.forgetSamples.ids ?? []), [aDetails]);
  const link = (e: Exposed) => (c && a && held.has(e.id) ? formatHash({ view: 'instances', comparison: c.id, a: a.modelId, b: b?.modelId, sample: String(e.id) }) : undefined);
  const linked = top.filter((e) => link(e)).length;
  const file = `data:text/plain;charset=utf-8,${encodeURIComponent(idsFile(u.examples.ids))}`;
  const models = useLoad(() => api.models(), []);
  const dir = (models.state === 'ready' && models.value.find((m) => m.id === u.originalId)?.path) || 'DIR';
  return (
    <>
      <h3 className="section-title">The targets the attack gets right most often</h3>
      <p className="tuning-text nowrap-code" data-testid="exposed-note">
        The {plural(top.length, 'target example')} with the highest per-example accuracy; among equal accuracy the smaller id first.{' '}
        {c && linked === top.length && <>Click one to open it in the Instances view of the comparison <code>{c.forgetText}</code> of this original ({date(c.created)}).</>}
        {c && linked > 0 && linked < top.length && <>The {linked} that the comparison <code>{c.forgetText}</code> of this original forgot ({date(c.created)}) open in its Instances view.</>}
        {!(c && linked > 0) && models.state !== 'loading' && (!match || (cmp.state !== 'loading' && (!c || !a || detail.state !== 'loading'))) && (
          <span data-testid="no-instances">
            To open them in the Instances view, compare on the targets themselves: save <a href={file} download={`ulira-${u.id.slice(0, 8)}-targets.txt`} data-testid="targets-file">the {u.targets} target ids</a> as{' '}
            <code>targets.txt</code>, then <code data-testid="compare-command">lethe compare --original {dir} --forget ids:targets.txt --methods {u.method === 'retrain' ? 'ft' : u.method}</code>.
          </span>
        )}
      </p>
      <div className="instances leaks" data-testid="exposed">
        {top.map((e) => {
          const href = link(e);
          const body = (
            <>
              {u.sampleImages && <img src={sampleUrl(u.dataset, e.id)} alt={`sample ${e.id}`} width={60} height={60} />}
              <div className="instance-body">
                <div className="instance-title" title={u.classNames[e.label]}>
                  <b>{truncate(u.classNames[e.label] ?? String(e.label), 14)}</b> <span className="muted">#{e.id}</span>
                </div>
                <div className="leak-eps">attack right <b>{pct(e.accuracy, 0)}</b></div>
                <div className="conf-bar" title={`per-example balanced accuracy over the ${u.shadows} shadows: ${pct(e.accuracy, 1)}`}>
                  <span style={{ width: `${Math.round(e.accuracy)}%`, background: ULIRA_COLORS.forget }} />
                </div>
              </div>
            </>
          );
          return href
            ? <a key={e.id} className="instance leak" href={href} data-mark="exposed" data-id={e.id} data-accuracy={e.accuracy} title={`open sample ${e.id} in the Instances view`}>{body}</a>
            : <div key={e.id} className="instance leak" data-mark="exposed" data-id={e.id} data-accuracy={e.accuracy}>{body}</div>;
        })}
      </div>
    </>
  );
}
