-- Soleus schema, SQLite. Times are integer milliseconds since the Unix epoch (UTC), the same
-- as in the PostgreSQL schema, so the overlap query is plain integer comparison on both.
-- Every table carries athlete_id (default 1, the single local runner) so that a shared
-- database can later be partitioned by athlete.

CREATE TABLE athletes (
    id INTEGER PRIMARY KEY,
    name TEXT,
    created_ms INTEGER NOT NULL
);
INSERT INTO athletes (id, name, created_ms) VALUES (1, NULL, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));

-- Original imported files, kept so a newer decoder can re-read them.
CREATE TABLE files (
    id INTEGER PRIMARY KEY,
    athlete_id INTEGER NOT NULL DEFAULT 1 REFERENCES athletes (id),
    name TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    format TEXT NOT NULL,
    -- Size of the original bytes.
    size INTEGER NOT NULL,
    -- How `bytes` relates to the original: 'gzip' = gzip of it, 'identity' = the original
    -- itself (it was gzip already, or gzip did not make it smaller).
    compression TEXT NOT NULL CHECK (compression IN ('gzip', 'identity')),
    bytes BLOB NOT NULL,
    imported_ms INTEGER NOT NULL,
    -- Set when the file holds no activity of its own: every one was a copy of this activity.
    duplicate_of INTEGER REFERENCES activities (id) ON DELETE SET NULL,
    UNIQUE (athlete_id, sha256)
);

CREATE TABLE shoes (
    id INTEGER PRIMARY KEY,
    athlete_id INTEGER NOT NULL DEFAULT 1 REFERENCES athletes (id),
    name TEXT NOT NULL,
    brand TEXT,
    model TEXT,
    drop_mm REAL,
    stack_mm REAL,
    started_on TEXT,
    retire_km REAL,
    retired BOOLEAN NOT NULL DEFAULT FALSE,
    is_default BOOLEAN NOT NULL DEFAULT FALSE,
    UNIQUE (athlete_id, name)
);

CREATE TABLE activities (
    id INTEGER PRIMARY KEY,
    athlete_id INTEGER NOT NULL DEFAULT 1 REFERENCES athletes (id),
    file_id INTEGER NOT NULL REFERENCES files (id),
    -- Position of the session within its file (0 for single-sport files).
    session INTEGER NOT NULL,
    name TEXT,
    sport TEXT NOT NULL,
    sport_detail TEXT,
    start_ms INTEGER NOT NULL,
    -- start_ms plus elapsed time (or the last sample): what the overlap query compares.
    end_ms INTEGER NOT NULL,
    utc_offset_s INTEGER,
    distance_m REAL,
    elapsed_s REAL,
    moving_s REAL,
    ascent_m REAL,
    descent_m REAL,
    avg_hr INTEGER,
    max_hr INTEGER,
    avg_cadence REAL,
    device TEXT,
    barometric BOOLEAN NOT NULL,
    totals_source TEXT NOT NULL,
    sample_count INTEGER NOT NULL,
    shoe_id INTEGER REFERENCES shoes (id) ON DELETE SET NULL,
    -- The samples, encoded by the store's codec (versioned, columnar, deflated).
    samples BLOB NOT NULL,
    UNIQUE (file_id, session)
);
CREATE INDEX activities_start ON activities (athlete_id, start_ms);

CREATE TABLE laps (
    activity_id INTEGER NOT NULL REFERENCES activities (id) ON DELETE CASCADE,
    athlete_id INTEGER NOT NULL DEFAULT 1 REFERENCES athletes (id),
    idx INTEGER NOT NULL,
    start_ms INTEGER,
    elapsed_s REAL,
    moving_s REAL,
    distance_m REAL,
    ascent_m REAL,
    descent_m REAL,
    avg_hr INTEGER,
    max_hr INTEGER,
    avg_cadence REAL,
    PRIMARY KEY (activity_id, idx)
);

CREATE TABLE settings (
    athlete_id INTEGER NOT NULL DEFAULT 1 REFERENCES athletes (id),
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (athlete_id, key)
);
