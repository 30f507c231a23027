// Deletions: the deletion service per deployment. Its policy and versions, the request queue (polled, every second
// while a request is open), the version history as a graph, a lineage search that marks the versions trained on a sample
// or an owner's samples, the signed ledger with each entry's certificate, and a form that files a request.
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { ApiCertificates, ApiDeletionRequest, ApiDeployment, ApiLineage, ApiVerdict, LedgerEntry } from '../../../src/shared/http.ts';
import { api } from '../api.ts';
import { VersionGraph, VersionLegend } from '../charts/VersionGraph.tsx';
import { Card, Message } from '../components/ui.tsx';
import {
  anyOpen, entryText, evidenceLines, heldText, isOpen, lineageQuery, randomKey, SUBJECT_FORMS, subjectBody, verdictText, versionEdge,
  type LineageKind, type SubjectKind,
} from '../lib/deletions.ts';
import { dateTime, plural, relative, truncate } from '../lib/format.ts';

const POLL_MS = 1000;
const IDLE_POLL_MS = 5000;

export function DeletionsView({ deployment, onPick }: { deployment?: string; onPick: (name: string) => void }) {
  const [list, setList] = useState<ApiDeployment[] | null>(null);
  const [listError, setListError] = useState<string>();
  useEffect(() => {
    api.deployments().then(setList, (e: Error) => setListError(e.message));
  }, []);
  const name = deployment && list?.some((d) => d.name === deployment) ? deployment : list?.[0]?.name;

  if (listError) return <Message kind="error">Cannot load deployments: {listError}</Message>;
  if (!list) return <Message kind="loading">Loading deployments…</Message>;
  if (!list.length || !name) {
    return <Message>No deployment yet. Put a checkpoint under the deletion service with <code>lethe deploy --name NAME --model DIR --policy exact</code>.</Message>;
  }
  return <Deployment key={name} name={name} list={list} onPick={onPick} />;
}

function Deployment({ name, list, onPick }: { name: string; list: ApiDeployment[]; onPick: (name: string) => void }) {
  const [detail, setDetail] = useState<ApiDeployment>();
  const [error, setError] = useState<string>();
  const refresh = useCallback(() => api.deployment(name).then((d) => {
    setDetail(d);
    setError(undefined);
  }, (e: Error) => setError(e.message)), [name]);
  useEffect(() => {
    refresh();
  }, [refresh]);

  // Poll every second while a request is open, so the queue shows each state as the worker reaches it; otherwise
  // every few seconds, so requests filed elsewhere (the CLI, another browser) and retrains appear by themselves.
  const requests = useMemo(() => detail?.requests ?? [], [detail]);
  const open = anyOpen(requests);
  useEffect(() => {
    const t = setInterval(refresh, open ? POLL_MS : IDLE_POLL_MS);
    return () => clearInterval(t);
  }, [open, refresh]);

  const filed = useCallback((r: ApiDeletionRequest) => {
    setDetail((d) => (d ? { ...d, requests: [r, ...(d.requests ?? []).filter((x) => x.id !== r.id)] } : d));
    refresh();
  }, [refresh]);

  const [lineage, setLineage] = useState<ApiLineage>();
  const highlight = useMemo(() => new Set((lineage?.rows ?? []).filter((r) => r.deployment === name && r.version != null).map((r) => r.version!)), [lineage, name]);

  if (error && !detail) return <Message kind="error">Cannot load deployment {name}: {error}</Message>;
  if (!detail) return <Message kind="loading">Loading deployment {name}…</Message>;
  // The ledger changes when a request ends or a version lands: reload it then.
  const ledgerKey = `${detail.versions.length}|${detail.done}|${detail.failed}|${requests.filter((r) => r.supersededSeq != null).length}`;

  return (
    <div className="deletions-layout" data-testid="deletions" data-deployment={name}>
      <DeploymentCard detail={detail} list={list} onPick={onPick} error={error} />
      <Card title="Version history" subtitle="Each version is a checkpoint; each edge is the request (or batch) that made the next one." className="span-main">
        <VersionLegend searching={!!lineage} />
        <div className="chart graph-scroll">
          <VersionGraph versions={detail.versions} requests={requests} current={detail.current} highlight={highlight} title={`version history of ${name}`} />
        </div>
        <LineageSearch deployment={name} result={lineage} onResult={setLineage} />
      </Card>
      <Card title="File a deletion request" subtitle="The idempotency key makes a retry safe: the same key and body return the first request." className="span-side">
        <RequestForm deployment={name} onFiled={filed} />
      </Card>
      <Card title="Request queue" subtitle={open ? 'Newest first; refreshing every second while a request is open.' : 'Newest first.'} className="span-all">
        <Queue requests={requests} />
      </Card>
      <Card title="Ledger" subtitle="Every completed request is a signed entry of an append-only Merkle log, newest first. Expand an entry for its certificate." className="span-all">
        <VerifyLedger />
        <Ledger deployment={name} refreshKey={ledgerKey} />
      </Card>
    </div>
  );
}

function DeploymentCard({ detail, list, onPick, error }: { detail: ApiDeployment; list: ApiDeployment[]; onPick: (name: string) => void; error?: string }) {
  const cur = detail.versions.find((v) => v.number === detail.current);
  const now = useNow(detail.retrainDue ? 1000 : 0);
  return (
    <Card
      title={<>Deployment <span className="deployment-name">{detail.name}</span></>}
      className="span-all"
      actions={(
        <label className="inline-pick">
          <span>Deployment</span>
          <select name="deployment" value={detail.name} onChange={(e) => onPick(e.target.value)}>
            {list.map((d) => <option key={d.name} value={d.name}>{d.name}</option>)}
          </select>
        </label>
      )}
    >
      <dl className="facts-grid" data-testid="deployment-facts">
        <div><dt>Policy</dt><dd data-testid="policy"><code>{detail.policy}</code></dd></div>
        <div><dt>Kind</dt><dd data-testid="kind">{detail.kind}</dd></div>
        <div>
          <dt>Current version</dt>
          <dd data-testid="current-version"><b>v{detail.current}</b>{cur && <span className="muted"> · {cur.exactness} · {cur.method} · {plural(cur.manifestCount, 'sample')}</span>}</dd>
        </div>
        <div>
          <dt>Exact retrain due</dt>
          <dd data-testid="retrain-due">
            {detail.retrainDue ? <><time dateTime={detail.retrainDue} title={detail.retrainDue}>{dateTime(detail.retrainDue)}</time> <span className="muted">({relative(detail.retrainDue, now)})</span></> : <span className="muted">none pending</span>}
          </dd>
        </div>
        <div><dt>Requests</dt><dd data-testid="counts">{detail.open} open · {detail.done} done · {detail.failed} failed</dd></div>
        <div><dt>Deployed</dt><dd>{dateTime(detail.created)}</dd></div>
      </dl>
      {cur && <p className="model-path muted" title={detail.currentPath}>model {cur.modelId} · weights sha256 {cur.weightsSha256.slice(0, 16)}…</p>}
      {error && <p className="error-text" role="alert">Refresh failed: {error}</p>}
    </Card>
  );
}

/** The time now, updated every `ms` (not at all for 0). */
function useNow(ms: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!ms) return;
    const t = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(t);
  }, [ms]);
  return now;
}

// ——— the request form ———

function RequestForm({ deployment, onFiled }: { deployment: string; onFiled: (r: ApiDeletionRequest) => void }) {
  const [kind, setKind] = useState<SubjectKind>('group');
  const [text, setText] = useState('');
  const [key, setKey] = useState(randomKey);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [result, setResult] = useState<{ request: ApiDeletionRequest; created: boolean }>();
  // How many submissions have been answered (a test waits for the next).
  const [answered, setAnswered] = useState(0);
  const form = SUBJECT_FORMS.find((f) => f.kind === kind)!;
  const body = subjectBody(kind, text);
  return (
    <form className="form" data-testid="request-form" data-answered={answered} onSubmit={async (e) => {
      e.preventDefault();
      if ('error' in body) return setError(body.error);
      if (!key.trim()) return setError('an idempotency key is needed');
      setBusy(true);
      setError(undefined);
      try {
        const r = await api.fileDeletion({ deployment, forget: body.forget, key: key.trim() });
        setResult(r);
        onFiled(r.request);
        setKey(randomKey());
      } catch (err) {
        setResult(undefined);
        setError((err as Error).message);
      } finally {
        setBusy(false);
        setAnswered((n) => n + 1);
      }
    }}>
      <label className="form-row">
        <span className="form-label">Subject</span>
        <span className="form-input">
          <select name="subjectKind" value={kind} onChange={(e) => setKind(e.target.value as SubjectKind)}>
            {SUBJECT_FORMS.map((f) => <option key={f.kind} value={f.kind}>{f.label}</option>)}
          </select>
        </span>
      </label>
      <label className="form-row">
        <span className="form-label">{kind === 'group' ? 'Groups' : kind === 'class' ? 'Classes' : 'Sample ids'}</span>
        <span className="form-input">
          <input name="subject" value={text} placeholder={form.placeholder} onChange={(e) => setText(e.target.value)} autoComplete="off" />
          <span className="hint">{form.hint}</span>
        </span>
      </label>
      <label className="form-row">
        <span className="form-label">Idempotency key</span>
        <span className="form-input">
          <span className="key-input">
            <input name="key" value={key} onChange={(e) => setKey(e.target.value)} autoComplete="off" spellCheck={false} />
            <button type="button" className="cancel" onClick={() => setKey(randomKey())} title="a fresh random key">New key</button>
          </span>
          <span className="hint">keep it to retry this request; a new request needs a new key</span>
        </span>
      </label>
      <p className="spec-preview">Request: <code>{'spec' in body ? body.spec : '—'}</code>{text.trim() && 'error' in body && <span className="error-text"> {body.error}</span>}</p>
      <div className="form-submit">
        <button type="submit" className="primary" disabled={busy} data-testid="file-request">{busy ? 'Filing…' : 'File request'}</button>
        {error && <span className="error-text" role="alert">{error}</span>}
      </div>
      {result && (
        <p className="filed" data-testid="filed" data-request={result.request.id} data-created={result.created}>
          {result.created ? `Filed as request #${result.request.id}.` : `Key seen before: request #${result.request.id} is returned as it was (${result.request.state}).`}
        </p>
      )}
    </form>
  );
}

// ——— the queue ———

const STATE_CLASS: Record<ApiDeletionRequest['state'], string> = { received: 'status-queued', resolved: 'status-queued', applying: 'status-running', done: 'status-done', failed: 'status-failed' };

function Queue({ requests }: { requests: ApiDeletionRequest[] }) {
  if (!requests.length) return <p className="empty" data-testid="queue-empty">No request yet.</p>;
  return (
    <div className="table-scroll">
      <table className="queue" data-testid="queue">
        <thead>
          <tr>
            <th>Request</th><th>Key</th><th>Subject</th><th>State</th><th className="num">Held</th><th>Versions</th><th>Received</th><th>Updated</th><th>Error</th>
          </tr>
        </thead>
        <tbody>
          {requests.map((r) => (
            <tr key={r.id} data-request={r.id} data-state={r.state} className={isOpen(r.state) ? 'is-open' : ''}>
              <td><b>#{r.id}</b></td>
              <td className="key-cell" title={r.key}><code>{truncate(r.key, 40)}</code></td>
              <td><code>{r.subject}</code></td>
              <td><span className={`job-status ${STATE_CLASS[r.state]}`} data-testid="state">{r.state}</span>{r.supersededSeq != null && <span className="muted" title={`superseded by ledger entry ${r.supersededSeq}`}> · retrained</span>}</td>
              <td className="num" title={r.ids?.sha256 ? `ids sha256 ${r.ids.sha256}` : undefined}>{heldText(r)}</td>
              <td>{versionEdge(r)}</td>
              <td>{dateTime(r.received)}</td>
              <td>{dateTime(r.updated)}</td>
              <td className="error-cell">{r.error ? <span className="error-text" title={r.error}>{r.error}</span> : <span className="muted">—</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

// ——— lineage ———

function LineageSearch({ deployment, result, onResult }: { deployment: string; result?: ApiLineage; onResult: (r: ApiLineage | undefined) => void }) {
  const [text, setText] = useState('');
  const [kind, setKind] = useState<LineageKind>('auto');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const rows = (result?.rows ?? []).filter((r) => r.deployment === deployment);
  return (
    <div className="lineage" data-testid="lineage">
      <form className="lineage-form" onSubmit={async (e) => {
        e.preventDefault();
        const q = lineageQuery(text, kind);
        if ('error' in q) return setError(q.error);
        setBusy(true);
        setError(undefined);
        try {
          onResult(await api.lineage(q, deployment));
        } catch (err) {
          setError((err as Error).message);
          onResult(undefined);
        } finally {
          setBusy(false);
        }
      }}>
        <span className="form-label">Lineage</span>
        <input name="lineage" type="search" value={text} placeholder="sample id (e.g. 41) or group (e.g. u17)" onChange={(e) => setText(e.target.value)} aria-label="sample or group id" />
        <select name="lineageKind" value={kind} onChange={(e) => setKind(e.target.value as LineageKind)} aria-label="what the id is">
          <option value="auto">auto</option>
          <option value="sample">sample id</option>
          <option value="group">group id</option>
        </select>
        <button type="submit" className="primary" disabled={busy} data-testid="lineage-search">{busy ? 'Searching…' : 'Find versions'}</button>
        {result && <button type="button" className="cancel" onClick={() => { onResult(undefined); setText(''); }}>Clear</button>}
      </form>
      {error && <p className="error-text" role="alert">{error}</p>}
      {result && (
        <div className="lineage-result" data-testid="lineage-result" data-query={result.query}>
          <p>
            <b>{result.query}</b>: {plural(result.ids, 'train sample')}.{' '}
            {rows.length ? `${plural(rows.length, 'version')} of ${deployment} ${rows.length === 1 ? 'was' : 'were'} trained on ${result.ids === 1 ? 'it' : 'them'}:` : `No version of ${deployment} holds ${result.ids === 1 ? 'it' : 'them'}.`}
            {result.unknown.length > 0 && <span className="muted"> ({plural(result.unknown.length, 'checkpoint')} could not be read)</span>}
          </p>
          {rows.length > 0 && (
            <ul className="lineage-rows" data-testid="lineage-rows">
              {rows.map((r) => (
                <li key={`${r.version}-${r.modelId}`} data-version={r.version ?? ''} data-status={r.status}>
                  <b>v{r.version}</b> <span className={`lineage-status lineage-${r.status.replace(/ /g, '-')}`}>{r.status}</span>
                  <span className="muted"> · {r.exactness} · holds {r.contains} of {result.ids}</span>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}

// ——— the ledger ———

/** Verifies the whole ledger (every deployment's entries, versions and requests) and says what it found. */
function VerifyLedger() {
  const [busy, setBusy] = useState(false);
  const [verdict, setVerdict] = useState<ApiVerdict>();
  const [error, setError] = useState<string>();
  return (
    <div className="verify">
      <button type="button" className="primary" disabled={busy} data-testid="verify-ledger" title="Checks the whole log (every deployment): signatures, Merkle tree, versions, requests and exactness" onClick={async () => {
        setBusy(true);
        setError(undefined);
        try {
          setVerdict(await api.verifyLedger());
        } catch (e) {
          setError((e as Error).message);
        } finally {
          setBusy(false);
        }
      }}>{busy ? 'Verifying…' : 'Verify ledger'}</button>
      {verdict && (
        <span className={`verdict ${verdict.ok ? 'verdict-ok' : 'verdict-bad'}`} data-testid="verdict" data-ok={verdict.ok} role="status">
          {verdict.ok ? '✓ ' : '✗ '}{verdictText(verdict)}
        </span>
      )}
      {error && <span className="error-text" role="alert">{error}</span>}
    </div>
  );
}

function Ledger({ deployment, refreshKey }: { deployment: string; refreshKey: string }) {
  const [entries, setEntries] = useState<LedgerEntry[]>();
  const [error, setError] = useState<string>();
  const [openSeq, setOpenSeq] = useState<Set<number>>(new Set());
  useEffect(() => {
    let live = true;
    api.ledger(deployment).then((es) => live && setEntries(es), (e: Error) => live && setError(e.message));
    return () => {
      live = false;
    };
  }, [deployment, refreshKey]);
  if (error) return <Message kind="error">Cannot load the ledger: {error}</Message>;
  if (!entries) return <p className="empty">Loading the ledger…</p>;
  if (!entries.length) return <p className="empty">No entry yet: the first completed request writes one.</p>;
  const toggle = (seq: number) => setOpenSeq((s) => {
    const n = new Set(s);
    if (n.has(seq)) n.delete(seq);
    else n.add(seq);
    return n;
  });
  return (
    <ul className="ledger" data-testid="ledger">
      {entries.map((e) => {
        const t = entryText(e);
        const expanded = openSeq.has(e.seq);
        return (
          <li key={e.seq} className={`ledger-entry ${expanded ? 'open' : ''}`} data-seq={e.seq} data-request={e.request} data-type={e.type}>
            <button type="button" className="ledger-head" aria-expanded={expanded} onClick={() => toggle(e.seq)} data-testid="ledger-toggle">
              <span className="caret" aria-hidden>{expanded ? '▾' : '▸'}</span>
              <span className="ledger-seq">entry {e.seq}</span>
              <span className={`ledger-type type-${e.type}`}>{e.type}</span>
              <span>request <b>#{e.request}</b></span>
              <code>{t.subject}</code>
              <span>{t.edge}</span>
              <span className="ledger-what">{t.what}</span>
              <span className="ledger-time">{dateTime(e.time)}</span>
            </button>
            {expanded && <Certificate entry={e} size={entries.length} />}
          </li>
        );
      })}
    </ul>
  );
}

/** An entry's certificate against the latest signed head: fetched again when the ledger grows (a new head, a longer proof). */
function Certificate({ entry, size }: { entry: LedgerEntry; size: number }) {
  const [cert, setCert] = useState<ApiCertificates>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    let live = true;
    api.certificate(entry.request).then((c) => live && setCert(c), (e: Error) => live && setError(e.message));
    return () => {
      live = false;
    };
  }, [entry.request, size]);
  if (error) return <div className="certificate"><p className="error-text" role="alert">{error}</p></div>;
  if (!cert) return <div className="certificate"><p className="empty">Loading the certificate…</p></div>;
  const c = cert.certificates.find((x) => x.entry.seq === entry.seq) ?? cert.certificates[0];
  const evidence = evidenceLines(c.entry.evidence);
  return (
    <div className="certificate" data-testid="certificate" data-seq={c.entry.seq}>
      <div className="cert-grid">
        <section>
          <h4>Signed tree head</h4>
          <dl className="cert-dl" data-testid="tree-head">
            <dt>size</dt><dd>{c.head.size} {c.head.size === 1 ? 'entry' : 'entries'}</dd>
            <dt>root hash</dt><dd><code className="hash">{c.head.rootHash}</code></dd>
            <dt>timestamp</dt><dd>{dateTime(c.head.timestamp)}</dd>
            <dt>key id</dt><dd><code className="hash">{c.head.keyId}</code></dd>
            <dt>signature</dt><dd><code className="hash">{c.head.signature}</code></dd>
          </dl>
          <h4>Inclusion proof <span className="muted">({c.proof.length} {c.proof.length === 1 ? 'hash' : 'hashes'})</span></h4>
          {c.proof.length ? (
            <ol className="proof" data-testid="proof">
              {c.proof.map((h, i) => <li key={i}><code className="hash">{h}</code></li>)}
            </ol>
          ) : <p className="muted" data-testid="proof">No sibling hashes: the entry is the tree's only leaf, its hash is the root.</p>}
          <h4>Evidence</h4>
          {evidence.length ? (
            <dl className="cert-dl" data-testid="evidence">
              {evidence.map((x) => (
                <div key={x.key} className="cert-pair">
                  <dt>{x.key}</dt>
                  <dd>{Array.isArray(x.value) ? <ul>{x.value.map((v, i) => <li key={i}>{v}</li>)}</ul> : x.value}</dd>
                </div>
              ))}
            </dl>
          ) : <p className="muted">none recorded</p>}
          {cert.certificates.length > 1 && <p className="muted">Request #{cert.request} has {cert.certificates.length} certificates: its deletion, and the exact retrain that superseded it.</p>}
        </section>
        <section>
          <h4>Entry <span className="muted">(what the leaf hash covers)</span></h4>
          <pre className="entry-json" data-testid="entry-json">{JSON.stringify(c.entry, null, 2)}</pre>
          <details>
            <summary>Ledger public key</summary>
            <pre className="entry-json">{cert.publicKey}</pre>
          </details>
        </section>
      </div>
    </div>
  );
}
