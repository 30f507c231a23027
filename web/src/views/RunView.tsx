// Run: start training, unlearning or a comparison; the method list and parameter fields come from the
// server's method registry. Running jobs stream progress (server-sent events) and can be cancelled.
import { useCallback, useEffect, useRef, useState } from 'react';
import { api, eventsUrl, type MethodInfo, type NamedInfo, type StoredModel } from '../api.ts';
import { Card, Message, Toggle } from '../components/ui.tsx';
import { fraction, isFinal, jobSummary, progressText, readEvent, resultText, type JobView } from '../lib/jobs.ts';
import { CompareForm, TrainForm, UnlearnForm } from './RunForms.tsx';

type Kind = 'train' | 'unlearn' | 'compare';

export function RunView({ onJobDone, onOpenComparison }: { onJobDone: (job: JobView) => void; onOpenComparison: (id: string) => void }) {
  const [kind, setKind] = useState<Kind>('compare');
  const [methods, setMethods] = useState<MethodInfo[]>([]);
  const [archs, setArchs] = useState<NamedInfo[]>([]);
  const [datasets, setDatasets] = useState<NamedInfo[]>([]);
  const [models, setModels] = useState<StoredModel[]>([]);
  const [loadError, setLoadError] = useState<string>();
  const [jobs, setJobs] = useState<JobView[]>([]);
  const sources = useRef(new Map<string, EventSource>());
  const doneRef = useRef(onJobDone);
  doneRef.current = onJobDone;

  const refreshModels = useCallback(() => api.models().then(setModels).catch(() => {}), []);
  useEffect(() => {
    Promise.all([api.methods(), api.archs(), api.datasets(), api.models(), api.jobs()])
      .then(([m, a, d, ms, js]) => {
        setMethods(m);
        setArchs(a);
        setDatasets(d);
        setModels(ms);
        setJobs(js.map(normalise).sort((x, y) => Number(y.id) - Number(x.id)));
      })
      .catch((e: Error) => setLoadError(e.message));
    const s = sources.current;
    return () => s.forEach((es) => es.close());
  }, []);

  const update = useCallback((id: string, f: (j: JobView) => JobView) => setJobs((js) => js.map((j) => (j.id === id ? f(j) : j))), []);

  const follow = useCallback((id: string) => {
    if (sources.current.has(id)) return;
    const es = new EventSource(eventsUrl(id));
    sources.current.set(id, es);
    const handle = (type: string) => (ev: MessageEvent) => {
      const r = readEvent(type, ev.data);
      if (r.status || r.progress) {
        update(id, (j) => ({
          ...j,
          status: r.status ?? (j.status === 'queued' ? 'running' : j.status),
          progress: r.progress ? { ...j.progress, ...r.progress } : j.progress,
        }));
      }
      if (r.final) {
        es.close();
        sources.current.delete(id);
        update(id, (j) => ({ ...j, status: r.final!, error: r.error ?? j.error }));
        api.job(id).then((j) => {
          const n = normalise(j);
          update(id, (old) => ({ ...n, progress: old.progress }));
          doneRef.current(n);
          refreshModels();
        }).catch(() => {});
      }
    };
    es.onmessage = handle('message');
    for (const t of ['progress', 'state', 'done', 'failed', 'cancelled', 'interrupted']) es.addEventListener(t, handle(t) as EventListener);
    es.onerror = () => {
      // The server closes the stream after the final event; anything else: ask for the job's state.
      if (es.readyState === EventSource.CLOSED) {
        sources.current.delete(id);
        api.job(id).then((j) => update(id, (old) => ({ ...normalise(j), progress: old.progress }))).catch(() => {});
      }
    };
  }, [update, refreshModels]);

  useEffect(() => {
    jobs.filter((j) => !isFinal(j.status)).forEach((j) => follow(j.id));
  }, [jobs, follow]);

  const start = async (args: Record<string, unknown>) => {
    const r = await api.startJob(kind, args);
    const id = String(r.id);
    setJobs((js) => [{ id, kind, status: 'queued', args }, ...js.filter((j) => j.id !== id)]);
  };

  const cancel = async (id: string) => {
    try {
      await api.cancelJob(id);
    } catch (e) {
      update(id, (j) => ({ ...j, error: (e as Error).message }));
    }
  };

  if (loadError) return <Message kind="error">Cannot reach the server: {loadError}</Message>;
  return (
    <div className="run-layout">
      <Card
        title="Start a job"
        subtitle="Jobs run on the server in worker threads; this page only sends the request."
        actions={<Toggle label="job kind" value={kind} options={[{ value: 'train', label: 'Train' }, { value: 'unlearn', label: 'Unlearn' }, { value: 'compare', label: 'Compare' }]} onChange={setKind} />}
      >
        {kind === 'train' && <TrainForm archs={archs} datasets={datasets} onStart={start} />}
        {kind === 'unlearn' && <UnlearnForm models={models} methods={methods} onStart={start} />}
        {kind === 'compare' && <CompareForm models={models} methods={methods} onStart={start} />}
      </Card>
      <Card title="Jobs" subtitle={jobs.length ? 'Newest first. Progress streams live.' : 'No job yet.'}>
        <ul className="jobs">
          {jobs.map((j) => (
            <li key={j.id} className={`job job-${j.status}`} data-job={j.id} data-status={j.status}>
              <div className="job-head">
                <span className="job-kind">{j.kind}</span>
                <span className="job-summary">{jobSummary(j.kind, j.args)}</span>
                <span className={`job-status status-${j.status}`}>{j.status}</span>
                {!isFinal(j.status) && <button type="button" className="cancel" onClick={() => cancel(j.id)}>Cancel</button>}
              </div>
              <div className="progress" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(100 * fraction(j.status, j.progress))}>
                <span style={{ width: `${100 * fraction(j.status, j.progress)}%` }} />
              </div>
              <div className="job-detail">
                {j.error && j.status !== 'cancelled' ? <span className="error-text">{j.error}</span> : <span>{progressText(j.status, j.progress)}</span>}
                {j.status === 'done' && <span>{resultText(j.kind, j.result)}</span>}
                {j.status === 'done' && typeof (j.result as { comparisonId?: unknown } | undefined)?.comparisonId === 'string' && (
                  <button type="button" className="link" onClick={() => onOpenComparison((j.result as { comparisonId: string }).comparisonId)}>Open comparison →</button>
                )}
              </div>
            </li>
          ))}
        </ul>
      </Card>
    </div>
  );
}

function normalise(j: JobView): JobView {
  return { ...j, id: String(j.id), args: (j.args ?? {}) as Record<string, unknown> };
}
