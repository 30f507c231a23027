// Numbered schema migrations. Append only: a released migration is never edited.
export const MIGRATIONS: string[] = [
  // 1: data sets, models (checkpoints with lineage and metrics), runs (every command that did work).
  `
  CREATE TABLE datasets (
    key         TEXT PRIMARY KEY,          -- JSON of the DataRef
    name        TEXT NOT NULL,
    num_classes INTEGER NOT NULL,
    train_count INTEGER NOT NULL,
    test_count  INTEGER NOT NULL,
    created     TEXT NOT NULL
  );
  CREATE TABLE models (
    id       TEXT PRIMARY KEY,             -- meta.json id
    path     TEXT NOT NULL,
    parent   TEXT,
    arch     TEXT NOT NULL,
    dataset  TEXT NOT NULL REFERENCES datasets(key),
    method   TEXT NOT NULL,
    params   TEXT NOT NULL,                -- JSON
    forget   TEXT,                         -- JSON ForgetSpec or NULL
    seed     INTEGER NOT NULL,
    metrics  TEXT NOT NULL DEFAULT '{}',   -- JSON map of name -> number
    created  TEXT NOT NULL
  );
  CREATE INDEX models_parent ON models(parent);
  CREATE TABLE runs (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    kind     TEXT NOT NULL,
    status   TEXT NOT NULL CHECK (status IN ('running', 'done', 'failed', 'cancelled', 'interrupted')),
    args     TEXT NOT NULL,                -- JSON
    result   TEXT,                         -- JSON
    error    TEXT,
    model_id TEXT,
    started  TEXT NOT NULL,
    finished TEXT
  );
  `,
  // 2: comparisons (one `lethe compare` run) and the evaluated models in them; the UI only reads these.
  `
  CREATE TABLE comparisons (
    id          TEXT PRIMARY KEY,
    original_id TEXT NOT NULL,
    dataset     TEXT NOT NULL,
    forget      TEXT NOT NULL,             -- human-readable spec
    summary     TEXT NOT NULL,             -- JSON Comparison without models
    created     TEXT NOT NULL
  );
  CREATE TABLE evaluations (
    comparison_id TEXT NOT NULL REFERENCES comparisons(id) ON DELETE CASCADE,
    model_id      TEXT NOT NULL,
    role          TEXT NOT NULL,
    method        TEXT NOT NULL,
    seed          INTEGER NOT NULL,
    metrics       TEXT NOT NULL,           -- JSON ModelMetrics
    details       TEXT NOT NULL,           -- JSON ModelDetails
    evaluated     TEXT NOT NULL,           -- JSON EvaluatedModel without metrics/details
    PRIMARY KEY (comparison_id, model_id)
  );
  `,
  // 3: jobs (work the server runs in worker threads); a job left running by a dead process becomes 'interrupted'.
  `
  CREATE TABLE jobs (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    kind     TEXT NOT NULL,
    args     TEXT NOT NULL,                -- JSON, the validated request
    status   TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed', 'cancelled', 'interrupted')),
    progress TEXT,                         -- JSON Progress, the latest
    result   TEXT,                         -- JSON
    error    TEXT,
    created  TEXT NOT NULL,
    started  TEXT,
    finished TEXT
  );
  CREATE INDEX jobs_status ON jobs(status);
  `,
  // 4: which process on which host is doing a run, so that a run whose process was killed reads 'interrupted'.
  `
  ALTER TABLE runs ADD COLUMN pid INTEGER;
  ALTER TABLE runs ADD COLUMN host TEXT;
  `,
  // 5: a model's kind (single, analytic, sharded), so the UI offers only the methods that can unlearn it.
  `
  ALTER TABLE models ADD COLUMN kind TEXT NOT NULL DEFAULT 'single';
  `,
  // 6: the deletion ledger (src/deletion/log.ts): append-only entries, and a signed tree head after every append.
  `
  CREATE TABLE ledger_entries (
    seq       INTEGER PRIMARY KEY,       -- 0, 1, 2 … : the entry's leaf index in the Merkle tree
    entry     TEXT NOT NULL,             -- canonical JSON, the bytes the leaf hash covers
    leaf_hash TEXT NOT NULL              -- hex SHA-256(0x00 || entry)
  );
  CREATE TABLE ledger_heads (
    size      INTEGER PRIMARY KEY,       -- entries covered
    root_hash TEXT NOT NULL,
    timestamp TEXT NOT NULL,
    key_id    TEXT NOT NULL,
    signature TEXT NOT NULL
  );
  `,
  // 7: the deletion service (src/deletion/): deployments, their versions, and deletion requests with their states.
  `
  CREATE TABLE deployments (
    name        TEXT PRIMARY KEY,
    policy      TEXT NOT NULL,             -- the policy as declared ("exact", "approximate:neggrad-plus,retrain-within=1h")
    kind        TEXT NOT NULL,             -- the deployed model's kind
    created     TEXT NOT NULL,
    holder      TEXT,                      -- the process applying its requests: "host pid token", or NULL
    holder_until TEXT                      -- that process's lease, renewed while it works
  );
  CREATE TABLE versions (
    deployment      TEXT NOT NULL REFERENCES deployments(name),
    number          INTEGER NOT NULL,      -- 0 is the model as deployed
    model_id        TEXT NOT NULL,         -- its meta.json id
    path            TEXT NOT NULL,         -- its checkpoint folder
    weights_sha256  TEXT NOT NULL,         -- of weights.bin
    manifest_count  INTEGER NOT NULL,
    manifest_sha256 TEXT NOT NULL,
    exactness       TEXT NOT NULL CHECK (exactness IN ('deployed', 'exact', 'approximate', 'retrain')),
    method          TEXT NOT NULL,
    created         TEXT NOT NULL,
    PRIMARY KEY (deployment, number)
  );
  CREATE TABLE deletion_requests (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    key            TEXT NOT NULL UNIQUE,   -- the idempotency key
    body_sha256    TEXT NOT NULL,          -- of the canonical request, to tell a repeat from a reuse
    deployment     TEXT NOT NULL REFERENCES deployments(name),
    subject        TEXT NOT NULL,          -- JSON forget spec, as given
    state          TEXT NOT NULL CHECK (state IN ('received', 'resolved', 'applying', 'done', 'failed')),
    ids            BLOB,                   -- resolved ids, 4-byte little-endian ascending (the manifest form)
    ids_count      INTEGER,
    ids_sha256     TEXT,
    held_count     INTEGER,                -- of those, how many the version it was applied to still held
    parent_version INTEGER,
    child_version  INTEGER,
    ledger_seq     INTEGER,                -- its ledger entry
    superseded_seq INTEGER,                -- an approximate deletion's superseding entry, once the exact retrain landed
    error          TEXT,
    received       TEXT NOT NULL,
    updated        TEXT NOT NULL
  );
  CREATE INDEX deletion_requests_open ON deletion_requests(deployment, state);
  `,
  // 8: a superseded version whose weights were pruned (lethe deployments --prune) keeps only meta.json and manifest.bin.
  `
  ALTER TABLE versions ADD COLUMN pruned TEXT;  -- when its weights were removed, or NULL
  `,
  // 9: lethe tune: every trial's measurements by content hash (a finished trial is never run again), and each tuning.
  `
  CREATE TABLE tuning_trials (
    key     TEXT PRIMARY KEY,  -- SHA-256 of the canonical (tuning original, data, validation, forget, method, params, seed)
    method  TEXT NOT NULL,
    result  TEXT NOT NULL,     -- JSON TrialValues
    created TEXT NOT NULL
  );
  CREATE TABLE tunings (
    id          TEXT PRIMARY KEY,
    original_id TEXT NOT NULL,
    forget      TEXT NOT NULL,   -- the forget spec's text: with the original, the setting a tuning is for
    result      TEXT NOT NULL,   -- JSON ApiTuning
    created     TEXT NOT NULL
  );
  CREATE INDEX tunings_setting ON tunings(original_id, forget, created);
  `,
  // 10: model banks (lethe bank): each member's outputs by content hash, never computed twice.
  `
  CREATE TABLE bank_members (
    key     TEXT PRIMARY KEY,  -- SHA-256 of the canonical (original, data, forget ids, samples, method, params, seed, backend)
    method  TEXT NOT NULL,
    seed    INTEGER NOT NULL,
    logits  BLOB NOT NULL,     -- float32 little-endian: forget, then the retain sample, then the test sample
    sizes   TEXT NOT NULL,     -- JSON [forget, retain, test] value counts
    accs    TEXT NOT NULL,     -- JSON { forgetAcc, retainAcc, testAcc, seconds }
    created TEXT NOT NULL
  );
  `,
  // 11: stored bank evaluations (lethe bank, compare --bank; the UI's Forgetting quality view): one row per setting,
  // a re-run of the same setting replaces its row.
  `
  CREATE TABLE banks (
    id          TEXT PRIMARY KEY,  -- 16 hex digits of SHA-256 of the canonical (original, data, forget ids, method, params, n)
    original_id TEXT NOT NULL,
    method      TEXT NOT NULL,
    n           INTEGER NOT NULL,
    summary     TEXT NOT NULL,     -- JSON: the bank's ApiBank and what the view draws, without the per-example arrays
    examples    TEXT NOT NULL,     -- JSON per forget example: ids, labels, ε, each side's median confidence, KLOM
    created     TEXT NOT NULL
  );
  CREATE INDEX banks_created ON banks(created);
  `,
  // 12: stored U-LiRA evaluations (lethe ulira; the shadows' outputs are bank_members rows): one row per setting,
  // a re-run of the same setting replaces its row.
  `
  CREATE TABLE ulira (
    id          TEXT PRIMARY KEY,  -- 16 hex digits of SHA-256 of the canonical (original, data, targets, retain sample, method, params, K)
    original_id TEXT NOT NULL,
    method      TEXT NOT NULL,
    shadows     INTEGER NOT NULL,
    summary     TEXT NOT NULL,     -- JSON: the ApiUlira and what the view draws, without the per-example arrays
    examples    TEXT NOT NULL,     -- JSON { examples, retainExamples }: per target and per retain example, ids, labels, accuracies
    created     TEXT NOT NULL
  );
  CREATE INDEX ulira_created ON ulira(created);
  `,
];
