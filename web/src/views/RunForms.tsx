// The Run view's forms: training, unlearning (its parameter fields generated from the method's JSON schema)
// and comparison. Each validates what it can and hands plain job arguments to `onStart`.
import { useEffect, useMemo, useState } from 'react';
import type { ApiModel, ArchInfo, DatasetInfo, MethodInfo, TaskInfo } from '../../../src/shared/http.ts';
import { EMPTY_FORGET, forgetFields, forgetSpec, formKindsFor, forTask, type ForgetForm } from '../lib/forget.ts';
import type { TaskName } from '../../../src/data/tasks.ts';
import { storedModelLabel } from '../lib/jobs.ts';
import { fieldsOf, initialValues, parseValues, rangeText, recipeKinds, taskField, type Field } from '../lib/schema-form.ts';

type OnStart = (args: Record<string, unknown>) => Promise<void>;

/** What every form of the Run view gets: the server's catalogues, and where to send the job's arguments. */
export interface RunFormProps {
  /** The task kinds with their argument schemas: the forms' limits and defaults. */
  tasks: TaskInfo[];
  methods: MethodInfo[];
  archs: ArchInfo[];
  datasets: DatasetInfo[];
  models: ApiModel[];
  onStart: OnStart;
}

function useSubmit(onStart: OnStart) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const submit = async (args: Record<string, unknown> | string) => {
    if (typeof args === 'string') return setError(args);
    setBusy(true);
    setError(undefined);
    try {
      await onStart(args);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, submit };
}

function Row({ label, children, hint }: { label: string; children: React.ReactNode; hint?: string }) {
  return (
    <label className="form-row">
      <span className="form-label">{label}</span>
      <span className="form-input">{children}{hint && <span className="hint">{hint}</span>}</span>
    </label>
  );
}

function Submit({ busy, error, label }: { busy: boolean; error?: string; label: string }) {
  return (
    <div className="form-submit">
      <button type="submit" className="primary" disabled={busy}>{busy ? 'Starting…' : label}</button>
      {error && <span className="error-text" role="alert">{error}</span>}
    </div>
  );
}

export function TrainForm({ tasks, archs, datasets, onStart }: RunFormProps) {
  const epochsField = taskField(tasks, 'train', 'epochs');
  const [data, setData] = useState('');
  const [arch, setArch] = useState('');
  const [epochs, setEpochs] = useState('5');
  const [seed, setSeed] = useState('1');
  const [trainSize, setTrainSize] = useState('');
  // The model kind: plain gradient training, or a kind with a recipe (from the train task's schema).
  const kinds = useMemo(() => recipeKinds(tasks), [tasks]);
  const [kind, setKind] = useState('single');
  const d = data || datasets[0]?.name || '';
  const a = arch || archs[0]?.name || '';
  // A regressor is one network: the recipes (sharded, analytic) fit classifiers.
  const regression = datasets.find((x) => x.name === d)?.task === 'regression';
  const offered = regression ? [] : kinds;
  const recipe = offered.find((k) => k.kind === kind);
  const [recipeValues, setRecipeValues] = useState<Record<string, string>>({});
  useEffect(() => setRecipeValues(initialValues(recipe?.fields ?? [])), [recipe]);
  const { busy, error, submit } = useSubmit(onStart);
  return (
    <form className="form" onSubmit={(e) => {
      e.preventDefault();
      const args: Record<string, unknown> = { data: d, model: a, epochs: Number(epochs), seed: Number(seed) };
      if (trainSize.trim()) args.trainSize = Number(trainSize);
      if (recipe) {
        const parsed = parseValues(recipe.fields, recipeValues);
        if (!parsed.ok) return submit(Object.entries(parsed.errors).map(([k, v]) => `${k}: ${v}`).join('; '));
        args.recipe = { kind: recipe.kind, ...parsed.values };
      }
      // The server checks every limit (the same schema as the CLI) and says which argument is wrong.
      submit(args);
    }}>
      <Row label="Data set">
        <select name="data" value={d} onChange={(e) => setData(e.target.value)}>
          {datasets.map((x) => <option key={x.name} value={x.name} title={x.description}>{x.name}{x.task === 'regression' ? ' (regression)' : ''}</option>)}
        </select>
      </Row>
      <Row label="Architecture">
        <select name="arch" value={a} onChange={(e) => setArch(e.target.value)}>
          {archs.map((x) => <option key={x.name} value={x.name} title={x.description}>{x.name}</option>)}
        </select>
      </Row>
      <Row label="Model kind" hint={regression ? 'a regressor is a single network (the sharded and analytic recipes fit classifiers)' : 'single: one network; sharded (SISA/S3T) and analytic: exactly deletable'}>
        <select name="kind" value={recipe?.kind ?? 'single'} onChange={(e) => setKind(e.target.value)}>
          <option value="single">single</option>
          {offered.map((k) => <option key={k.kind} value={k.kind}>{k.kind}</option>)}
        </select>
      </Row>
      {recipe && <ParamFields fields={recipe.fields} values={recipeValues} onChange={setRecipeValues} legend={`${recipe.kind} recipe`} />}
      <Row label="Epochs" hint={rangeText(epochsField)}><input name="epochs" type="number" min={epochsField?.min} max={epochsField?.max} value={epochs} onChange={(e) => setEpochs(e.target.value)} /></Row>
      <Row label="Seed"><input name="seed" type="number" value={seed} onChange={(e) => setSeed(e.target.value)} /></Row>
      <Row label="Train size" hint="optional: train on the first N samples only (a set the model can memorise)">
        <input name="trainSize" type="number" min={1} value={trainSize} onChange={(e) => setTrainSize(e.target.value)} />
      </Row>
      <Submit busy={busy} error={error} label="Start training" />
    </form>
  );
}

/** The deletion request's fields, for a model of `task`: the kinds that serve it (`value` as `forTask` sends it). */
function ForgetFields({ value, onChange, task }: { value: ForgetForm; onChange: (f: ForgetForm) => void; task: TaskName }) {
  const r = forgetSpec(value);
  return (
    <>
      <Row label="Forget">
        <select name="forgetKind" value={value.kind} onChange={(e) => onChange({ ...value, kind: e.target.value })}>
          {formKindsFor(task).map((k) => <option key={k.name} value={k.name}>{k.form.label}</option>)}
        </select>
      </Row>
      {forgetFields(value.kind).map((f) => (
        <Row key={f.key} label={f.label} hint={f.hint}>
          <input name={f.name} type={f.type ?? 'text'} value={value.values[f.key] ?? ''} onChange={(e) => onChange({ ...value, values: { ...value.values, [f.key]: e.target.value } })} />
        </Row>
      ))}
      <p className="spec-preview">Request: <code>{'spec' in r ? r.spec : '—'}</code>{'error' in r && <span className="error-text"> {r.error}</span>}</p>
    </>
  );
}

function ModelSelect({ models, value, onChange, name }: { models: ApiModel[]; value: string; onChange: (v: string) => void; name: string }) {
  return (
    <select name={name} value={value} onChange={(e) => onChange(e.target.value)}>
      {!models.length && <option value="">no model yet: train one first</option>}
      {models.map((m) => <option key={m.id} value={m.id}>{storedModelLabel(m)}</option>)}
    </select>
  );
}

/** Trained originals first (the usual starting point), then everything else. */
const bases = (models: ApiModel[]) => [...models.filter((m) => m.method === 'train'), ...models.filter((m) => m.method !== 'train')];

/** What model `id` predicts (classes, unless the server says it is a regressor). */
const taskOfModel = (models: ApiModel[], id: string): TaskName => models.find((m) => m.id === id)?.task ?? 'classification';

/** The methods that can unlearn model `id`: its kind (single, analytic, sharded) and its task. */
const usableOn = (methods: MethodInfo[], models: ApiModel[], id: string) => {
  const kind = models.find((m) => m.id === id)?.kind ?? 'single';
  const task = taskOfModel(models, id);
  return methods.filter((m) => m.accepts.includes(kind) && m.tasks.includes(task));
};

export function UnlearnForm({ models, methods, onStart }: RunFormProps) {
  const ordered = useMemo(() => bases(models), [models]);
  const [modelId, setModelId] = useState('');
  const [method, setMethod] = useState('');
  const [typed, setForget] = useState<ForgetForm>(EMPTY_FORGET);
  const [values, setValues] = useState<Record<string, string>>({});
  const { busy, error, submit } = useSubmit(onStart);
  const mid = modelId || ordered[0]?.id || '';
  const task = taskOfModel(models, mid);
  const forget = forTask(typed, task);
  const usable = usableOn(methods, models, mid);
  const info = usable.find((m) => m.name === method) ?? usable.find((m) => m.name !== 'retrain') ?? usable[0];
  const fields = useMemo(() => fieldsOf(info?.params, info?.defaults), [info]);
  useEffect(() => setValues(initialValues(fields)), [fields]);
  return (
    <form className="form" onSubmit={(e) => {
      e.preventDefault();
      const spec = forgetSpec(forget);
      const parsed = parseValues(fields, values);
      if ('error' in spec) return submit(spec.error);
      if (!parsed.ok) return submit(Object.entries(parsed.errors).map(([k, v]) => `${k}: ${v}`).join('; '));
      submit({ model: mid, forget: spec.spec, method: info?.name, params: parsed.values });
    }}>
      <Row label="Model"><ModelSelect name="model" models={ordered} value={mid} onChange={setModelId} /></Row>
      <ForgetFields value={forget} onChange={setForget} task={task} />
      <Row label="Method">
        <select name="method" value={info?.name ?? ''} onChange={(e) => setMethod(e.target.value)}>
          {usable.map((m) => <option key={m.name} value={m.name}>{m.name} ({m.kind})</option>)}
        </select>
      </Row>
      {info && <p className="method-summary">{info.summary}. <span className="muted">{info.paper}</span></p>}
      <ParamFields fields={fields} values={values} onChange={setValues} />
      <Submit busy={busy} error={error} label="Start unlearning" />
    </form>
  );
}

function ParamFields({ fields, values, onChange, legend = 'Parameters' }: { fields: Field[]; values: Record<string, string>; onChange: (v: Record<string, string>) => void; legend?: string }) {
  if (!fields.length) return <p className="muted">This method has no parameters.</p>;
  const bound = (f: Field) => [f.min !== undefined ? `${f.minExclusive ? '>' : '≥'} ${f.min}` : '', f.max !== undefined ? `${f.maxExclusive ? '<' : '≤'} ${f.max}` : ''].filter(Boolean).join(', ');
  return (
    <fieldset className="params">
      <legend>{legend}</legend>
      {fields.map((f) => (
        <Row key={f.key} label={f.label} hint={[f.description, bound(f)].filter(Boolean).join(' · ') || undefined}>
          {f.kind === 'boolean' ? (
            <select name={`param-${f.key}`} value={values[f.key] ?? ''} onChange={(e) => onChange({ ...values, [f.key]: e.target.value })}>
              <option value="true">yes</option>
              <option value="false">no</option>
            </select>
          ) : f.kind === 'enum' ? (
            <select name={`param-${f.key}`} value={values[f.key] ?? ''} onChange={(e) => onChange({ ...values, [f.key]: e.target.value })}>
              {f.options!.map((o) => <option key={o} value={o}>{o}</option>)}
            </select>
          ) : (
            <input
              name={`param-${f.key}`}
              type={f.kind === 'number' || f.kind === 'integer' ? 'number' : 'text'}
              step={f.kind === 'integer' ? 1 : 'any'}
              value={values[f.key] ?? ''}
              onChange={(e) => onChange({ ...values, [f.key]: e.target.value })}
            />
          )}
        </Row>
      ))}
    </fieldset>
  );
}

interface CheckItem {
  key: string;
  name: string;
  label: React.ReactNode;
  title: string;
}

/** A set of checkboxes whose ticked keys are `chosen`. */
function Checks({ legend, items, chosen, onChange }: { legend: React.ReactNode; items: CheckItem[]; chosen: Set<string>; onChange: (s: Set<string>) => void }) {
  return (
    <fieldset className="methods">
      <legend>{legend}</legend>
      {items.map((it) => (
        <label key={it.key} className="check" title={it.title}>
          <input
            type="checkbox"
            name={it.name}
            checked={chosen.has(it.key)}
            onChange={(e) => {
              const s = new Set(chosen);
              if (e.target.checked) s.add(it.key);
              else s.delete(it.key);
              onChange(s);
            }}
          />
          {it.label}
        </label>
      ))}
    </fieldset>
  );
}

export function CompareForm({ tasks, models, methods, onStart }: RunFormProps) {
  const seedsField = taskField(tasks, 'compare', 'seeds');
  const ordered = useMemo(() => bases(models), [models]);
  const [originalId, setOriginalId] = useState('');
  const [typed, setForget] = useState<ForgetForm>(EMPTY_FORGET);
  const [picked, setPicked] = useState<Set<string> | null>(null);
  const [seeds, setSeeds] = useState('1');
  const [exact, setExact] = useState<Set<string>>(new Set());
  const { busy, error, submit } = useSubmit(onStart);
  const oid = originalId || ordered[0]?.id || '';
  const task = taskOfModel(models, oid);
  const forget = forTask(typed, task);
  const choices = usableOn(methods, models, oid).filter((m) => m.name !== 'retrain');
  const chosen = new Set([...(picked ?? choices.map((m) => m.name))].filter((n) => choices.some((m) => m.name === n)));
  const original = models.find((m) => m.id === oid);
  // Exactly deletable trained models of the same data: their exact method runs on the same request, beside the others.
  const exactChoices = models.filter((m) => m.id !== oid && m.method === 'train' && m.kind !== 'single' && m.dataset === original?.dataset && m.trainSize === original?.trainSize);
  return (
    <form className="form" onSubmit={(e) => {
      e.preventDefault();
      const spec = forgetSpec(forget);
      if ('error' in spec) return submit(spec.error);
      if (!chosen.size) return submit('choose at least one method');
      // Every box ticked is 'all': the server then runs every method that can unlearn the original's kind.
      const beside = [...exact].filter((id) => exactChoices.some((m) => m.id === id));
      submit({ original: oid, forget: spec.spec, methods: chosen.size === choices.length ? 'all' : [...chosen], seeds: Number(seeds), ...(beside.length ? { exact: beside } : {}) });
    }}>
      <Row label="Original"><ModelSelect name="original" models={ordered} value={oid} onChange={(id) => { setOriginalId(id); setPicked(null); }} /></Row>
      <ForgetFields value={forget} onChange={setForget} task={task} />
      <Checks
        legend={<>Methods <span className="muted">(retrain always runs as the reference)</span></>}
        items={choices.map((m) => ({ key: m.name, name: `method-${m.name}`, label: m.name, title: `${m.summary}. ${m.paper}` }))}
        chosen={chosen}
        onChange={setPicked}
      />
      {exactChoices.length > 0 && (
        <Checks
          legend={<>Exactly deletable models beside <span className="muted">(sharded or analytic, same data: served by their exact method on the same request)</span></>}
          items={exactChoices.map((m) => ({ key: m.id, name: `exact-${m.id}`, label: <>{m.arch} <span className="muted">{m.id.slice(0, 8)}</span></>, title: `${m.kind} · ${m.arch} · ${m.id}` }))}
          chosen={exact}
          onChange={setExact}
        />
      )}
      <Row label="Seeds" hint={['runs per method', rangeText(seedsField)].filter(Boolean).join(', ')}><input name="seeds" type="number" min={seedsField?.min} max={seedsField?.max} value={seeds} onChange={(e) => setSeeds(e.target.value)} /></Row>
      <Submit busy={busy} error={error} label="Start comparison" />
    </form>
  );
}
