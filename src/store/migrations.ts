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
  // 6: the deletion ledger (src/ledger/log.ts): append-only entries, and a signed tree head after every append.
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
];
