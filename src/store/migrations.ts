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
];
