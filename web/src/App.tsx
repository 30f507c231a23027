// The comparator's shell: header with the comparison picker, the model picker on the left, the views in tabs.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { comparisonTask, type Comparison, type EvaluatedModel } from '../../src/shared/contract.ts';
import type { ComparisonSummary, JobView } from '../../src/shared/http.ts';
import type { TaskName } from '../../src/data/tasks.ts';
import { formatValue } from '../../src/eval/metrics.ts';
import { api } from './api.ts';
import { ModelTable } from './components/ModelTable.tsx';
import { Message, Swatch } from './components/ui.tsx';
import { useLoad } from './hooks.ts';
import { COLORS, type Side } from './lib/colors.ts';
import { COLUMNS, defaultPair, forgottenClasses, modelLabel, newestFirst, referenceOf, tablesOf, type TaskTables } from './lib/experiments.ts';
import { date } from './lib/format.ts';
import { formatHash, needsOf, needsRefs, parseHash, TAB_LABELS, TAB_ROW, VIEW_LABELS, VIEWS, viewServes, viewTasks, type HashState, type PairView, type View } from './lib/hash.ts';
import { AttackView } from './views/AttackView.tsx';
import { ClasswiseView } from './views/ClasswiseView.tsx';
import { DeletionsView } from './views/DeletionsView.tsx';
import { EmbeddingView } from './views/EmbeddingView.tsx';
import { ExperimentsView } from './views/ExperimentsView.tsx';
import { InstancesView } from './views/InstancesView.tsx';
import { LayersView } from './views/LayersView.tsx';
import { MatrixView } from './views/MatrixView.tsx';
import { PredictionsView } from './views/PredictionsView.tsx';
import { QualityView } from './views/QualityView.tsx';
import { RelearnView } from './views/RelearnView.tsx';
import { RunView } from './views/RunView.tsx';
import { SweepView } from './views/SweepView.tsx';
import { TuningView } from './views/TuningView.tsx';
import { UliraView } from './views/UliraView.tsx';
import { WorstRandomView } from './views/WorstRandomView.tsx';

export function App() {
  const [hash, setHash] = useState<HashState>(() => parseHash(window.location.hash));
  const [list, setList] = useState<ComparisonSummary[] | null>(null);
  const [listError, setListError] = useState<string>();
  const cache = useRef(new Map<string, Promise<EvaluatedModel>>());

  const go = useCallback((p: Partial<HashState>) => setHash((h) => ({ ...h, ...p })), []);
  useEffect(() => {
    const want = formatHash(hash);
    if (window.location.hash !== want) window.history.replaceState(null, '', want);
  }, [hash]);
  useEffect(() => {
    const on = () => setHash(parseHash(window.location.hash));
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);

  const refreshList = useCallback(() => api.comparisons().then((cs) => setList(newestFirst(cs)), (e: Error) => setListError(e.message)), []);
  useEffect(() => {
    refreshList();
  }, [refreshList]);

  const cid = hash.comparison && list?.some((c) => c.id === hash.comparison) ? hash.comparison : list?.[0]?.id;
  const comp = useLoad<Comparison>(() => (cid ? api.comparison(cid) : undefined), [cid]);
  const c = comp.state === 'ready' && comp.value.id === cid ? comp.value : undefined;

  // The default pair: the best method and its retrain, unless the URL names models of this comparison.
  const pair = useMemo(() => {
    if (!c) return {};
    const has = (id?: string) => !!id && c.models.some((m) => m.modelId === id);
    const d = defaultPair(c);
    return { a: has(hash.a) ? hash.a : d.a, b: has(hash.b) ? hash.b : d.b };
  }, [c, hash.a, hash.b]);

  const load = useCallback((mid: string) => {
    const key = `${cid}/${mid}`;
    let p = cache.current.get(key);
    if (!p) {
      p = api.model(cid!, mid);
      p.catch(() => cache.current.delete(key));
      cache.current.set(key, p);
    }
    return p;
  }, [cid]);

  const mA = c?.models.find((m) => m.modelId === pair.a);
  const mB = c?.models.find((m) => m.modelId === pair.b);
  // A view that cannot draw this comparison's task (class accuracy of a regressor) loads nothing and says why.
  const task = c ? comparisonTask(c) : undefined;
  const serves = !task || viewServes(hash.view, task);
  const needs = needsOf(hash.view) === 'pair' && serves;
  const detA = useLoad(() => (c && pair.a && needs ? load(pair.a) : undefined), [c, pair.a, needs]);
  const detB = useLoad(() => (c && pair.b && needs ? load(pair.b) : undefined), [c, pair.b, needs]);
  const refIdA = c ? referenceOf(c.models, mA)?.modelId : undefined;
  const refIdB = c ? referenceOf(c.models, mB)?.modelId : undefined;
  const refs = needs && needsRefs(hash.view);
  const refA = useLoad(() => (c && refIdA && refs ? load(refIdA) : undefined), [c, refIdA, refs]);
  const refB = useLoad(() => (c && refIdB && refs ? load(refIdB) : undefined), [c, refIdB, refs]);

  const pick = useCallback((side: Side, id: string) => go(side === 'A' ? { a: id, b: pair.b } : { b: id, a: pair.a }), [go, pair.a, pair.b]);
  const onJobDone = useCallback((j: JobView) => {
    if (j.status === 'done' && j.kind === 'compare') refreshList();
  }, [refreshList]);
  const openComparison = useCallback((id: string) => {
    refreshList().then(() => go({ view: 'experiments', comparison: id, a: undefined, b: undefined }));
  }, [refreshList, go]);
  const pickDeployment = useCallback((deployment: string) => go({ deployment }), [go]);
  const pickBank = useCallback((bank: string) => go({ bank }), [go]);
  const pickUlira = useCallback((ulira: string) => go({ ulira }), [go]);
  const pickComparison = useCallback((id: string) => go({ comparison: id, a: undefined, b: undefined }), [go]);

  const view = hash.view;
  const ready = (x: typeof detA) => (x.state === 'ready' ? x.value : undefined);
  const A = ready(detA)?.modelId === pair.a ? ready(detA) : undefined;
  const B = ready(detB)?.modelId === pair.b ? ready(detB) : undefined;

  let body: React.ReactNode;
  if (view === 'run') body = <RunView onJobDone={onJobDone} onOpenComparison={openComparison} />;
  else if (view === 'deletions') body = <DeletionsView deployment={hash.deployment} onPick={pickDeployment} />;
  else if (view === 'quality') body = <QualityView bank={hash.bank} comparisons={list ?? []} onPick={pickBank} />;
  else if (view === 'ulira') body = <UliraView ulira={hash.ulira} comparisons={list ?? []} onPick={pickUlira} />;
  else if (listError) body = <Message kind="error">Cannot load comparisons: {listError}</Message>;
  else if (!list) body = <Message kind="loading">Loading…</Message>;
  else if (view === 'worst') body = <WorstRandomView comparisons={list} comparison={cid} onPick={pickComparison} />;
  else if (!list.length) body = <Message>No comparison yet. Start one in the <a href="#view=run" onClick={(e) => { e.preventDefault(); go({ view: 'run' }); }}>Run</a> tab (or with <code>lethe compare</code>).</Message>;
  else if (comp.state === 'error') body = <Message kind="error">{comp.error}</Message>;
  else if (!c) body = <Message kind="loading">Loading the comparison…</Message>;
  else if (!serves) body = <Message>{unservedText(view, task!)}</Message>;
  else if (view === 'experiments') body = <ExperimentsView comparison={c} a={pair.a} b={pair.b} onPick={pick} />;
  else if (view === 'tuning') body = <TuningView comparison={c} />;
  else if (view === 'relearn') body = <RelearnView comparison={c} />;
  else if (view === 'sweep') body = <SweepView comparison={c} comparisons={list} onPick={(id) => go({ comparison: id, a: undefined, b: undefined })} />;
  else if (detA.state === 'error' || detB.state === 'error') body = <Message kind="error">{detA.state === 'error' ? detA.error : (detB as { error: string }).error}</Message>;
  else if (!A || !B) body = <Message kind="loading">Loading model details…</Message>;
  else {
    const forgotten = forgottenClasses(c);
    // The data set whose sample images the server can draw, if any.
    const images = c.sampleImages === false ? undefined : c.dataset;
    body = {
      classwise: <ClasswiseView a={A} b={B} forgotten={forgotten} />,
      matrix: <MatrixView a={A} b={B} forgotten={forgotten} />,
      predictions: <PredictionsView a={A} b={B} refA={ready(refA)} refB={ready(refB)} target={c.target} />,
      layers: <LayersView a={A} b={B} />,
      embedding: <EmbeddingView a={A} b={B} dataset={images} />,
      attack: <AttackView a={A} b={B} refA={ready(refA)} refB={ready(refB)} />,
      instances: <InstancesView a={A} b={B} dataset={images} focus={hash.sample && /^\d+$/.test(hash.sample) ? Number(hash.sample) : undefined} />,
    }[view as PairView];
  }

  return (
    <div className="app">
      <header className="top">
        <div className="brand">
          <span className="logo" aria-hidden>◐</span>
          <div>
            <h1>Lethe</h1>
            <p>Machine-unlearning comparator</p>
          </div>
        </div>
        {list && list.length > 0 && (
          <label className="comparison-pick">
            <span>Comparison</span>
            <select value={cid} onChange={(e) => go({ comparison: e.target.value, a: undefined, b: undefined, sample: undefined })} aria-label="comparison">
              {list.map((x) => (
                <option key={x.id} value={x.id}>{`${x.dataset} · ${x.arch} · forget ${x.forgetText} · ${date(x.created)}`}</option>
              ))}
            </select>
          </label>
        )}
        {c && (
          <div className="facts">
            <span><b>{c.forgetCount}</b> forget samples</span>
            <span><b>{c.methods.filter((m) => m !== 'retrain').length}</b> method{c.methods.filter((m) => m !== 'retrain').length === 1 ? '' : 's'}</span>
            <span><b>{c.seeds.length}</b> seed{c.seeds.length === 1 ? '' : 's'}</span>
          </div>
        )}
      </header>
      <div className="main">
        {needsOf(view) === 'pair' && c && (
          <aside className="side">
            <PickCard side="A" m={mA} tables={tablesOf(c)} />
            <PickCard side="B" m={mB} tables={tablesOf(c)} />
            <div className="side-table">
              <h3>Models <span className="muted">({c.models.length})</span></h3>
              <ModelTable key={c.id} models={c.models} forgetText={c.forgetText} columns={tablesOf(c).side} sortBy={tablesOf(c).gap} a={pair.a} b={pair.b} onPick={pick} compact />
            </div>
          </aside>
        )}
        <main className="content">
          <nav className="tabs" role="tablist">
            {TAB_ROW.map((g) => (
              <div key={g.group} className={`tab-group tab-group-${g.group}`} role="group" aria-label={g.caption} data-group={g.group}>
                <span className="tab-group-caption" aria-hidden>{g.caption}</span>
                <div className="tab-group-tabs">
                  {g.views.map((v) => (
                    <button key={v} type="button" role="tab" aria-selected={v === view} className={v === view ? 'on' : ''} data-view={v}
                      disabled={!!task && !viewServes(v, task)} title={task && !viewServes(v, task) ? unservedText(v, task) : VIEW_LABELS[v]} onClick={() => go({ view: v, sample: undefined })}>
                      {TAB_LABELS[v]}
                    </button>
                  ))}
                </div>
              </div>
            ))}
          </nav>
          <div className="view" data-testid={`view-${view}`}>{body}</div>
        </main>
      </div>
    </div>
  );
}

/** Why a tab is off for this comparison, and which tabs draw it. */
function unservedText(v: View, task: TaskName): string {
  const drawn = VIEWS.filter((x) => needsOf(x) !== 'none' && viewServes(x, task)).map((x) => TAB_LABELS[x]);
  return `${VIEW_LABELS[v]} draws ${viewTasks(v).join(' and ')} comparisons; this one is of ${task === 'regression' ? 'a regressor' : 'a classifier'}. Its views: ${drawn.join(', ')}.`;
}

function PickCard({ side, m, tables }: { side: Side; m?: Comparison['models'][number]; tables: TaskTables }) {
  return (
    <div className={`pick-card pick-card-${side}`} style={{ borderColor: COLORS[side] }} data-testid={`pick-${side}`}>
      <div className="pick-card-head">
        <Swatch side={side} />
        <span className="pick-card-title">{m ? modelLabel(m) : 'pick a model below'}</span>
        {m && m.role !== 'method' && <span className={`role-tag role-${m.role}`}>{m.role === 'original' ? 'baseline' : 'reference'}</span>}
      </div>
      {m && (
        <div className="pick-card-metrics">
          {tables.key.map((k) => (
            <span key={k} title={COLUMNS[k].title}>{COLUMNS[k].label} <b>{formatValue(k, m.metrics[k])}</b></span>
          ))}
        </div>
      )}
    </div>
  );
}
