// The UI's only door to Lethe: JSON over HTTP. A token, when the server needs one, comes once as ?token=
// in the URL, is kept in sessionStorage and sent as a Bearer header on requests that change state.
import type { Comparison, EvaluatedModel } from '../../src/shared/contract.ts';
import type { JsonSchema } from './lib/schema-form.ts';
import type { JobView } from './lib/jobs.ts';

const TOKEN_KEY = 'lethe.token';

export function adoptToken(): void {
  const url = new URL(window.location.href);
  const t = url.searchParams.get('token');
  if (t) {
    sessionStorage.setItem(TOKEN_KEY, t);
    url.searchParams.delete('token');
    window.history.replaceState(null, '', url.toString());
  }
}

const token = () => sessionStorage.getItem(TOKEN_KEY);

export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const t = token();
  if (t && method !== 'GET') headers.authorization = `Bearer ${t}`;
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  let data: unknown = undefined;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    /* not JSON: reported below */
  }
  if (!res.ok) {
    const e = (data as { error?: { code?: string; message?: string } } | undefined)?.error;
    throw new ApiError(res.status, e?.code ?? 'http_error', e?.message ?? `${method} ${path}: HTTP ${res.status}`);
  }
  return data as T;
}

export interface MethodInfo {
  name: string;
  kind: 'exact' | 'approximate';
  summary: string;
  paper: string;
  params: JsonSchema;
  defaults: Record<string, unknown>;
}

export interface NamedInfo {
  name: string;
  description?: string;
  summary?: string;
}

export interface StoredModel {
  id: string;
  parent: string | null;
  arch: string;
  dataset: string;
  /** Trained on the first N train samples only. */
  trainSize?: number | null;
  method: string;
  seed: number;
  created: string;
  metrics?: Record<string, number>;
}

export type ComparisonSummary = Omit<Comparison, 'models'>;

const enc = encodeURIComponent;

/** Lists come as arrays, or wrapped in an object under one key; both read the same. */
function list<T>(v: unknown, key: string): T[] {
  if (Array.isArray(v)) return v as T[];
  const inner = (v as Record<string, unknown> | undefined)?.[key];
  return Array.isArray(inner) ? (inner as T[]) : [];
}

/** Names lists may be strings or objects with a name. */
function named(v: unknown, key: string): NamedInfo[] {
  return list<unknown>(v, key).map((x) => (typeof x === 'string' ? { name: x } : (x as NamedInfo)));
}

export const api = {
  health: () => call<Record<string, unknown>>('GET', '/api/health'),
  methods: async () => list<MethodInfo>(await call('GET', '/api/methods'), 'methods'),
  archs: async () => named(await call('GET', '/api/archs'), 'archs'),
  datasets: async () => named(await call('GET', '/api/datasets'), 'datasets'),
  models: async () => list<StoredModel>(await call('GET', '/api/models'), 'models'),
  comparisons: async () => list<ComparisonSummary>(await call('GET', '/api/comparisons'), 'comparisons'),
  comparison: (id: string) => call<Comparison>('GET', `/api/comparisons/${enc(id)}`),
  model: (comparison: string, model: string) => call<EvaluatedModel>('GET', `/api/comparisons/${enc(comparison)}/models/${enc(model)}`),
  jobs: async () => list<JobView>(await call('GET', '/api/jobs'), 'jobs'),
  job: (id: string) => call<JobView>('GET', `/api/jobs/${enc(id)}`),
  startJob: (kind: string, args: Record<string, unknown>) => call<{ id: string | number }>('POST', '/api/jobs', { kind, args }),
  cancelJob: (id: string) => call<unknown>('DELETE', `/api/jobs/${enc(id)}`),
};

export const sampleUrl = (dataset: string, id: number) => `/api/samples/${enc(dataset)}/${id}.png`;
export const eventsUrl = (id: string) => `/api/jobs/${enc(id)}/events`;
