// The UI's only door to Lethe: JSON over HTTP. A token, when the server needs one, comes once as ?token=
// in the URL, is kept in sessionStorage and sent as a Bearer header on requests that change state.
// Every body has the type src/shared/http.ts (or contract.ts) declares for it; nothing is retyped here.
import type { Comparison, EvaluatedModel } from '../../src/shared/contract.ts';
import type {
  ApiCertificates, ApiDeletionRequest, ApiDeployment, ApiLineage, ApiModel, ApiVerdict, ArchInfo, CancelResult, ComparisonSummary, DatasetInfo, ErrorBody, Health,
  JobView, LedgerEntry, MethodInfo, TaskInfo, ApiTuning, ApiTuningSummary, ApiBankRecord, ApiBankSummary, ApiUliraRecord, ApiUliraSummary,
} from '../../src/shared/http.ts';

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
  return (await send<T>(method, path, body)).data;
}

/** A request and its answer with the HTTP status (some answers mean different things by status: 202 new, 200 repeated). */
async function send<T>(method: string, path: string, body?: unknown): Promise<{ status: number; data: T }> {
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
    const e = (data as Partial<ErrorBody> | undefined)?.error;
    throw new ApiError(res.status, e?.code ?? 'http_error', e?.message ?? `${method} ${path}: HTTP ${res.status}`);
  }
  return { status: res.status, data: data as T };
}

const enc = encodeURIComponent;

export const api = {
  health: () => call<Health>('GET', '/api/health'),
  methods: () => call<MethodInfo[]>('GET', '/api/methods'),
  tasks: () => call<TaskInfo[]>('GET', '/api/tasks'),
  archs: () => call<ArchInfo[]>('GET', '/api/archs'),
  datasets: () => call<DatasetInfo[]>('GET', '/api/datasets'),
  models: () => call<ApiModel[]>('GET', '/api/models'),
  comparisons: () => call<ComparisonSummary[]>('GET', '/api/comparisons'),
  comparison: (id: string) => call<Comparison>('GET', `/api/comparisons/${enc(id)}`),
  tunings: () => call<ApiTuningSummary[]>('GET', '/api/tunings'),
  tuning: (id: string) => call<ApiTuning>('GET', `/api/tunings/${enc(id)}`),
  banks: () => call<ApiBankSummary[]>('GET', '/api/banks'),
  bank: (id: string) => call<ApiBankRecord>('GET', `/api/banks/${enc(id)}`),
  /** Stored U-LiRA evaluations (`lethe ulira`), newest first, and one with its per-example numbers. */
  ulira: () => call<ApiUliraSummary[]>('GET', '/api/ulira'),
  uliraRecord: (id: string) => call<ApiUliraRecord>('GET', `/api/ulira/${enc(id)}`),
  model: (comparison: string, model: string) => call<EvaluatedModel>('GET', `/api/comparisons/${enc(comparison)}/models/${enc(model)}`),
  jobs: () => call<JobView[]>('GET', '/api/jobs'),
  job: (id: number) => call<JobView>('GET', `/api/jobs/${String(id)}`),
  /** Answers 202 with the job as stored: its arguments validated, defaults filled in, forget specs structured. */
  startJob: (kind: string, args: Record<string, unknown>) => call<JobView>('POST', '/api/jobs', { kind, args }),
  cancelJob: (id: number) => call<CancelResult>('DELETE', `/api/jobs/${String(id)}`),
  // The deletion service.
  deployments: () => call<ApiDeployment[]>('GET', '/api/deployments'),
  /** One deployment with its requests, newest first. */
  deployment: (name: string) => call<ApiDeployment>('GET', `/api/deployments/${enc(name)}`),
  /** Files a request: `created` is false when the key was seen before with the same body (the first request is returned). */
  fileDeletion: async (body: { deployment: string; forget: unknown; key: string }) => {
    const { status, data } = await send<ApiDeletionRequest>('POST', '/api/deletions', body);
    return { request: data, created: status === 202 };
  },
  certificate: (request: number) => call<ApiCertificates>('GET', `/api/deletions/${String(request)}/certificate`),
  ledger: (deployment: string) => call<LedgerEntry[]>('GET', `/api/ledger?deployment=${enc(deployment)}`),
  verifyLedger: () => call<ApiVerdict>('GET', '/api/ledger/verify'),
  lineage: (q: { sample: number } | { group: string }, deployment: string) =>
    call<ApiLineage>('GET', `/api/lineage?${'sample' in q ? `sample=${String(q.sample)}` : `group=${enc(q.group)}`}&deployment=${enc(deployment)}`),
};

export const sampleUrl = (dataset: string, id: number) => `/api/samples/${enc(dataset)}/${id}.png`;
export const eventsUrl = (id: number) => `/api/jobs/${String(id)}/events`;
