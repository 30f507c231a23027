// Run: start training, unlearning or a comparison; the method list and parameter fields come from the
// server's method registry. Running jobs stream progress (server-sent events) and can be cancelled.
import { useCallback, useEffect, useRef, useState } from 'react';
import { END_STATUSES, isFinal, type ApiModel, type ArchInfo, type DatasetInfo, type JobEventName, type JobView, type MethodInfo, type TaskInfo } from '../../../src/shared/http.ts';
import { api, eventsUrl } from '../api.ts';
import { Card, Message, Toggle } from '../components/ui.tsx';
import { comparisonOf, fraction, jobSummary, progressText, readEvent, resultText } from '../lib/jobs.ts';
import { CompareForm, TrainForm, UnlearnForm, type RunFormProps } from './RunForms.tsx';

/** The job kinds this page starts, in button order: adding one to the UI is one entry (and its form). */
const FORMS = {
  train: { label: 'Train', Form: TrainForm },
  unlearn: { label: 'Unlearn', Form: UnlearnForm },
  compare: { label: 'Compare', Form: CompareForm },
} satisfies Record<string, { label: string; Form: (p: RunFormProps) => React.ReactNode }>;

type Kind = keyof typeof FORMS;
const KIND_OPTIONS = (Object.keys(FORMS) as Kind[]).map((value) => ({ value, label: FORMS[value].label }));
const EVENTS: JobEventName[] = ['state', 'progress', ...END_STATUSES];

export function RunView({ onJobDone, onOpenComparison }: { onJobDone: (job: JobView) => void; onOpenComparison: (id: string) => void }) {
  const [kind, setKind] = useState<Kind>('compare');
  const [methods, setMethods] = useState<MethodInfo[]>([]);
  const [archs, setArchs] = useState<ArchInfo[]>([]);
  const [datasets, setDatasets] = useState<DatasetInfo[]>([]);
  const [tasks, setTasks] = useState<TaskInfo[]>([]);
  const [models, setModels] = useState<ApiModel[]>([]);
  const [loadError, setLoadError] = useState<string>();
  const [jobs, setJobs] = useState<JobView[]>([]);
  const sources = useRef(new Map<number, EventSource>());
  const doneRef = useRef(onJobDone);
  doneRef.current = onJobDone;

  const refreshModels = useCallback(() => api.models().then(setModels).catch(() => {}), []);
  useEffect(() => {
    Promise.all([api.methods(), api.archs(), api.datasets(), api.models(), api.jobs(), api.tasks()])
      .then(([m, a, d, ms, js, ts]) => {
        setTasks(ts);
        setMethods(m);
        setArchs(a);
        setDatasets(d);
        setModels(ms);
        setJobs([...js].sort((x, y) => y.id - x.id));
      })
      .catch((e: Error) => setLoadError(e.message));
    const s = sources.current;
    return () => s.forEach((es) => es.close());
  }, []);

  const update = useCallback((id: number, f: (j: JobView) => JobView) => setJobs((js) => js.map((j) => (j.id === id ? f(j) : j))), []);
  /** Takes the server's view of a job, keeping the last progress seen when it carries none. */
  const replace = useCallback((job: JobView) => update(job.id, (old) => ({ ...job, progress: job.progress ?? old.progress })), [update]);

  const follow = useCallback((id: number) => {
    if (sources.current.has(id)) return;
    const es = new EventSource(eventsUrl(id));
    sources.current.set(id, es);
    const finished = (job: JobView) => {
      replace(job);
      doneRef.current(job);
      refreshModels();
    };
    const handle = (name: JobEventName) => (ev: MessageEvent) => {
      const e = readEvent(name, ev.data);
      if (!e) return;
      if (e.type === 'progress') update(id, (j) => ({ ...j, status: j.status === 'queued' ? 'running' : j.status, progress: e.progress }));
      else if (e.type === 'state') replace(e.job);
      else {
        es.close();
        sources.current.delete(id);
        if (e.job) finished(e.job);
        else {
          update(id, (j) => ({ ...j, status: e.status }));
          api.job(id).then(finished).catch(() => {});
        }
      }
    };
    for (const name of EVENTS) es.addEventListener(name, handle(name) as EventListener);
    es.onerror = () => {
      // The server closes the stream after the final event; anything else: ask for the job's state.
      if (es.readyState === EventSource.CLOSED) {
        sources.current.delete(id);
        api.job(id).then(replace).catch(() => {});
      }
    };
  }, [update, replace, refreshModels]);

  useEffect(() => {
    jobs.filter((j) => !isFinal(j.status)).forEach((j) => follow(j.id));
  }, [jobs, follow]);

  const start = async (args: Record<string, unknown>) => {
    const job = await api.startJob(kind, args);
    setJobs((js) => [job, ...js.filter((j) => j.id !== job.id)]);
  };

  const cancel = async (id: number) => {
    try {
      await api.cancelJob(id);
    } catch (e) {
      update(id, (j) => ({ ...j, error: (e as Error).message }));
    }
  };

  const { Form } = FORMS[kind];
  if (loadError) return <Message kind="error">Cannot reach the server: {loadError}</Message>;
  return (
    <div className="run-layout">
      <Card
        title="Start a job"
        subtitle="Jobs run on the server in worker threads; this page only sends the request."
        actions={<Toggle label="job kind" value={kind} options={KIND_OPTIONS} onChange={setKind} />}
      >
        <Form tasks={tasks} methods={methods} archs={archs} datasets={datasets} models={models} onStart={start} />
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
                {comparisonOf(j) && <button type="button" className="link" onClick={() => onOpenComparison(comparisonOf(j)!)}>Open comparison →</button>}
              </div>
            </li>
          ))}
        </ul>
      </Card>
    </div>
  );
}
