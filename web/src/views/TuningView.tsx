// Tuning: how `lethe tune` chose each method's parameters for this comparison's setting, on a validation split. The
// protocol, each method's score at the defaults and at the choice (on the validation split, and on the test set where
// `lethe compare --tuned` ran the choice), and per method one scatter per tuned parameter: every configuration tried,
// the choice, the defaults, the retrain noise floor, and a note where a choice sits at the edge of its range.
import { useMemo, useState } from 'react';
import type { Comparison } from '../../../src/shared/contract.ts';
import { tunedLabel } from '../../../src/shared/contract.ts';
import type { ApiTunedMethod, ApiTuning } from '../../../src/shared/http.ts';
import { tunedRanks } from '../../../src/eval/table.ts';
import { api } from '../api.ts';
import { Legend } from '../charts/Axis.tsx';
import { TUNING_COLORS, TuningScatter } from '../charts/TuningScatter.tsx';
import { Card, Message } from '../components/ui.tsx';
import { useLoad, useWidth } from '../hooks.ts';
import { date, num, plural } from '../lib/format.ts';
import { edgeText, paramValue, rangeText, rungsText, scatterPoints, scoreName, yDomain } from '../lib/tuning.ts';

export function TuningView({ comparison }: { comparison: Comparison }) {
  const t = comparison.tuning;
  if (!t) {
    return (
      <Message>
        <span className="no-tuning" data-testid="no-tuning">
          This comparison ran every method at its defaults, without a tuning. Tune them on a validation split with{' '}
          <code>lethe tune --original DIR --forget {comparison.forgetText}</code>, then run <code>lethe compare … --tuned</code>.
        </span>
      </Message>
    );
  }
  return <TuningRecord key={t.id} id={t.id} comparison={comparison} />;
}

function TuningRecord({ id, comparison }: { id: string; comparison: Comparison }) {
  const loaded = useLoad(() => api.tuning(id), [id]);
  if (loaded.state === 'error') return <Message kind="error">Cannot load tuning {id}: {loaded.error}</Message>;
  if (loaded.state === 'loading') return <Message kind="loading">Loading the tuning…</Message>;
  const t = loaded.value;
  return (
    <div className="stack" data-testid="tuning" data-tuning={t.id}>
      <Protocol t={t} comparison={comparison} />
      {t.methods.map((m) => <MethodSearch key={m.method} m={m} t={t} comparison={comparison} />)}
    </div>
  );
}

function Protocol({ t, comparison }: { t: ApiTuning; comparison: Comparison }) {
  const p = t.protocol;
  const ranks = tunedRanks(comparison);
  const score = scoreName(t);
  return (
    <Card
      title="Tuning on a validation split"
      subtitle={<>Each method&apos;s parameters were chosen by <code>lethe tune</code> for this setting, then <code>lethe compare --tuned</code> ran each method the tuning changed a second time with its choice, as the row <code>{tunedLabel('method')}</code>.</>}
    >
      <dl className="facts-grid" data-testid="tuning-protocol">
        <div><dt>Setting</dt><dd>{t.dataset} · forget <code>{t.forgetText}</code> · {plural(t.forgetCount, 'forget sample')} in the tuning pool</dd></div>
        <div><dt>Validation split</dt><dd data-testid="validation">{plural(p.validation.count, 'training sample')}, seed {p.validation.seed}</dd></div>
        <div><dt>Seeds</dt><dd data-testid="seeds">{p.seeds.join(', ')}</dd></div>
        <div><dt>Budget</dt><dd data-testid="budget">{plural(p.budget, 'configuration')} per method</dd></div>
        <div><dt>Halving rate <span className="no-caps">η</span></dt><dd data-testid="eta">{p.eta}</dd></div>
        <div><dt>Noise floor</dt><dd data-testid="floor">{t.floor == null ? <span className="muted">none (one seed)</span> : <>{num(t.floor, 2)} <span className="muted">retrain vs retrain</span></>}</dd></div>
        <div><dt>Tuned</dt><dd>{date(t.created)} <span className="muted" title={t.id}>· {t.id.slice(0, 8)}</span></dd></div>
      </dl>
      <p className="tuning-text" data-testid="score-definition"><b>Score:</b> {p.score}, in {score.units}; lower is better.</p>
      <p className="tuning-text" data-testid="no-test-set">
        <b>The test set played no part.</b> The search ran on a copy of the original ({t.originalId}) retrained without the validation split, and the
        validation split stood in for the test set; the test-set columns below come from this comparison, run afterwards.
      </p>
      <div className="table-scroll">
        <table className="tuning-summary" data-testid="tuning-summary">
          <thead>
            <tr>
              <th rowSpan={2}>Method</th>
              <th colSpan={2} className="group">Validation split (the search)</th>
              <th colSpan={3} className="group">Test set (this comparison)</th>
              <th rowSpan={2}>Chosen parameters</th>
            </tr>
            <tr>
              <th className="num">defaults</th><th className="num">tuned</th>
              <th className="num">defaults</th><th className="num">tuned</th><th className="num" title={`Rank by ${score.label} among the methods compared`}>rank</th>
            </tr>
          </thead>
          <tbody>
            {t.methods.map((m) => {
              const r = ranks.find((x) => x.method === m.method);
              const ran = !!comparison.tuning?.params[m.method];
              return (
                <tr key={m.method} data-method={m.method}>
                  <td><b>{m.method}</b></td>
                  <td className="num">{num(m.configs[0]?.mean, 2)}</td>
                  <td className="num"><b>{num(m.configs[m.chosen]?.mean, 2)}</b></td>
                  <td className="num">{r ? num(r.defaults, 2) : <span className="muted">not compared</span>}</td>
                  <td className="num">{!r ? '—' : ran ? <b>{num(r.tuned, 2)}</b> : <span className="muted">the defaults won</span>}</td>
                  <td className="num">{r ? `${r.rankDefaults} → ${r.rankTuned}` : '—'}</td>
                  <td className="params-cell">{m.chosen === 0 ? <span className="muted">the defaults</span> : <code>{changed(m).map((k) => `${k}=${paramValue(m.configs[m.chosen].params[k])}`).join(', ')}</code>}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </Card>
  );
}

/** The searched parameters whose chosen value differs from the default. */
const changed = (m: ApiTunedMethod) => Object.keys(m.space).filter((k) => m.configs[m.chosen]?.params[k] !== m.defaults[k]);

function MethodSearch({ m, t, comparison }: { m: ApiTunedMethod; t: ApiTuning; comparison: Comparison }) {
  const keys = Object.keys(m.space);
  const [hovered, setHovered] = useState<number | null>(null);
  const [ref, width] = useWidth<HTMLDivElement>(1100);
  const maxSeeds = t.protocol.seeds.length;
  const score = scoreName(t);
  const def = m.configs[0];
  const pick = m.configs[m.chosen];
  const points = useMemo(() => Object.fromEntries(keys.map((k) => [k, scatterPoints(m, k)])), [m]); // eslint-disable-line react-hooks/exhaustive-deps
  const domain = useMemo(() => yDomain([...m.configs.map((c) => c.mean), t.floor]), [m, t.floor]);
  const diverged = m.configs.filter((c) => !Number.isFinite(c.mean)).length;
  const gap = 20;
  const cols = Math.max(1, Math.min(keys.length, Math.floor((width + gap) / (300 + gap))));
  const chartWidth = Math.min(460, Math.floor((width - gap * (cols - 1)) / cols));
  const describe = (i: number) => {
    const c = m.configs[i];
    const role = i === 0 ? 'the defaults' : `configuration ${i}`;
    const chosen = i === m.chosen ? ', chosen' : '';
    return `${role}${chosen}: ${keys.map((k) => `${k}=${paramValue(c.params[k])}`).join(', ')}\nmean ${score.label} ${num(c.mean, 2)} over ${plural(c.scores.length, 'seed')} (${c.scores.map((s) => s.toFixed(2)).join(', ')})`;
  };
  const ran = comparison.tuning?.params[m.method];
  const verdict = m.chosen === 0
    ? 'the defaults won'
    : `${num(pick.mean, 2)} tuned against ${num(def.mean, 2)} at the defaults`;
  return (
    <section data-testid="tuning-method" data-method={m.method} data-chosen={m.chosen}>
      <Card
        title={<>{m.method} <span className={`tuning-verdict ${m.chosen === 0 ? 'kept' : 'better'}`}>{verdict}</span></>}
        subtitle={<>
          Successive halving: {rungsText(m)} (the defaults always reach every seed). Each point is one configuration, placed by the parameter&apos;s value and its mean {score.label}{' '}
          on the validation split; fainter, smaller points were dropped after fewer seeds. {ran ? <>This comparison&apos;s row <code>{tunedLabel(m.method)}</code> ran the choice.</> : m.chosen === 0 ? 'No tuned row: the choice is the defaults.' : 'This comparison did not run the choice.'}
        </>}
      >
        <div className="table-scroll">
          <table className="tuning-params" data-testid="tuning-params">
            <thead>
              <tr>
                <th />
                <th className="num" title={`Mean ${score.label} to the same seed's retrain on the validation split, in ${score.units} (lower is better)`}>mean {score.label}</th>
                <th className="num">seeds</th>
                {keys.map((k) => <th key={k} className="num">{k}</th>)}
              </tr>
            </thead>
            <tbody>
              <tr className="range-row">
                <td>searched</td>
                <td className="num muted">—</td>
                <td className="num muted">{maxSeeds}</td>
                {keys.map((k) => <td key={k} className="num muted">{rangeText(m.space[k])}</td>)}
              </tr>
              <tr data-row="defaults">
                <td><span className="row-mark mark-defaults" aria-hidden>◇</span> defaults</td>
                <td className="num" data-testid="default-score">{num(def.mean, 2)}</td>
                <td className="num">{def.scores.length}</td>
                {keys.map((k) => <td key={k} className="num">{paramValue(def.params[k])}</td>)}
              </tr>
              <tr data-row="chosen" className="chosen-row">
                <td><span className="row-mark mark-chosen" aria-hidden>◯</span> chosen{m.chosen === 0 ? ' (the defaults)' : ` (configuration ${m.chosen})`}</td>
                <td className="num" data-testid="tuned-score"><b>{num(pick.mean, 2)}</b></td>
                <td className="num">{pick.scores.length}</td>
                {keys.map((k) => (
                  <td key={k} className={`num ${m.edges[k] ? 'at-edge' : ''}`} title={m.edges[k] ? `at the ${m.edges[k]} edge of its range` : undefined}>
                    {paramValue(pick.params[k])}{m.edges[k] && <span className="edge-flag"> ⚠ {m.edges[k]} edge</span>}
                  </td>
                ))}
              </tr>
            </tbody>
          </table>
        </div>
        <Legend
          testId="tuning-legend"
          items={[
            { label: `a configuration (on all ${plural(maxSeeds, 'seed')})`, color: TUNING_COLORS.config, shape: 'dot' },
            ...(maxSeeds > 1 ? [{ label: 'dropped after fewer seeds', color: TUNING_COLORS.config, shape: 'dot' as const, opacity: 0.4 }] : []),
            { label: 'chosen', color: TUNING_COLORS.chosen, shape: 'ring' },
            { label: 'the defaults', color: TUNING_COLORS.defaults, shape: 'diamond' },
            { label: "the defaults' score (value at the right)", color: TUNING_COLORS.defaults, shape: 'line' },
            ...(t.floor != null ? [{ label: 'retrain noise floor', color: TUNING_COLORS.floor, shape: 'dash' as const }] : []),
            { label: 'searched range', color: '#dbe3ee', shape: 'square' },
          ]}
        />
        <div ref={ref} className="tuning-grid">
          {keys.map((k) => (
            <figure key={k} className="tuning-figure" style={{ width: chartWidth }}>
              <TuningScatter
                param={k}
                dim={m.space[k]}
                points={points[k]}
                chosen={m.chosen}
                defaultsScore={def.mean}
                floor={t.floor}
                maxSeeds={maxSeeds}
                edge={m.edges[k]}
                yDomain={domain}
                width={chartWidth}
                hovered={hovered}
                onHover={setHovered}
                scoreLabel={`mean ${score.label} (${score.units})`}
                describe={describe}
              />
              {m.edges[k] && (
                <p className="edge-note" data-testid="edge-note" data-param={k} data-edge={m.edges[k]} role="note">⚠ {edgeText(k, m.edges[k], m.space[k])}</p>
              )}
            </figure>
          ))}
        </div>
        {diverged > 0 && <p className="muted">{plural(diverged, 'configuration')} diverged (no finite score) and {diverged === 1 ? 'is' : 'are'} not drawn.</p>}
      </Card>
    </section>
  );
}
