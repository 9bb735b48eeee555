-- Background jobs in the database, so any process can run them and any process can show
-- them: an upload's import (its bytes in job_files until it ends), a reparse, and room for
-- more kinds. The table of migration 0005 was never written to: it is replaced by one that
-- knows whose job it is, how far it got, and what it reported.
DROP TABLE jobs;
CREATE TABLE jobs (
    id INTEGER PRIMARY KEY,
    athlete_id INTEGER REFERENCES athletes (id),
    kind TEXT NOT NULL CHECK (kind IN ('import', 'reparse', 'aggregates')),
    -- A JSON document of the kind's own shape (an import: the names of the files uploaded).
    payload TEXT NOT NULL,
    -- 'receiving' while an upload's bytes arrive: no worker claims it yet.
    state TEXT NOT NULL
        CHECK (state IN ('receiving', 'queued', 'running', 'done', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    max_attempts INTEGER NOT NULL,
    run_after_ms INTEGER NOT NULL,
    lease_until_ms INTEGER,
    claimed_by TEXT,
    files_total INTEGER,
    files_done INTEGER NOT NULL DEFAULT 0,
    bytes_total INTEGER,
    bytes_done INTEGER NOT NULL DEFAULT 0,
    current_file TEXT,
    -- The outcome: a JSON report when done, a message when failed.
    report TEXT,
    error TEXT,
    created_ms INTEGER NOT NULL,
    started_ms INTEGER,
    updated_ms INTEGER NOT NULL,
    finished_ms INTEGER
);
CREATE INDEX jobs_ready ON jobs (state, run_after_ms);
CREATE INDEX jobs_athlete ON jobs (athlete_id, id);

-- An upload's files, in chunks of a few MiB (a whole upload may be larger than one value can
-- hold); removed when the job ends, since the import keeps every original in files.
CREATE TABLE job_files (
    job_id INTEGER NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    file_no INTEGER NOT NULL,
    chunk_no INTEGER NOT NULL,
    name TEXT NOT NULL,
    bytes BLOB NOT NULL,
    PRIMARY KEY (job_id, file_no, chunk_no)
);
