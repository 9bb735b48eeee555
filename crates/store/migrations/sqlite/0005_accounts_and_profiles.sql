-- A database that knows whose data it holds: organisations (a club, a clinic), the users who
-- sign in, athletes linked to both with their profile in typed columns, what each user may
-- see of an athlete (grants), sessions, invitations, threaded comments, notifications and
-- jobs. Times are integer epoch milliseconds, as everywhere else.
--
-- Every row an athlete owns carries athlete_id and its indexes lead with it, so a database
-- can later be distributed by athlete (and, through athletes.org_id, by organisation).
-- The athlete_id columns of the earlier tables keep their DEFAULT 1 here: dropping it means
-- rebuilding tables that hold every original file and sample blob. The store sets athlete_id
-- on every insert, and the PostgreSQL schema, which can drop a default cheaply, has none.

CREATE TABLE organisations (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    created_ms INTEGER NOT NULL
);

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    org_id INTEGER REFERENCES organisations (id),
    email TEXT NOT NULL,
    -- Argon2id in PHC string form.
    password_hash TEXT NOT NULL,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('athlete', 'coach', 'clinician', 'admin')),
    created_ms INTEGER NOT NULL,
    disabled BOOLEAN NOT NULL DEFAULT FALSE
);
-- One account per address, whatever its case.
CREATE UNIQUE INDEX users_email ON users (lower(email));
CREATE INDEX users_org ON users (org_id, id);

-- The athlete row every database has (id 1, the local runner) gains its links and profile.
-- Text columns hold the serde spellings of soleus_model's enums.
ALTER TABLE athletes ADD COLUMN org_id INTEGER REFERENCES organisations (id);
ALTER TABLE athletes ADD COLUMN user_id INTEGER REFERENCES users (id);
ALTER TABLE athletes ADD COLUMN sex TEXT CHECK (sex IN ('female', 'male'));
ALTER TABLE athletes ADD COLUMN birth_year INTEGER;
ALTER TABLE athletes ADD COLUMN weight_kg REAL;
ALTER TABLE athletes ADD COLUMN height_cm REAL;
ALTER TABLE athletes ADD COLUMN body_fat_pct REAL;
ALTER TABLE athletes ADD COLUMN activity_level TEXT;
ALTER TABLE athletes ADD COLUMN hr_rest INTEGER;
ALTER TABLE athletes ADD COLUMN hr_max INTEGER;
ALTER TABLE athletes ADD COLUMN hr_threshold INTEGER;
ALTER TABLE athletes ADD COLUMN time_zone TEXT;
ALTER TABLE athletes ADD COLUMN units TEXT NOT NULL DEFAULT 'km'
    CHECK (units IN ('km', 'miles'));
ALTER TABLE athletes ADD COLUMN weight_unit TEXT NOT NULL DEFAULT 'kg'
    CHECK (weight_unit IN ('kg', 'lb'));
ALTER TABLE athletes ADD COLUMN height_unit TEXT NOT NULL DEFAULT 'cm'
    CHECK (height_unit IN ('cm', 'ftin'));
ALTER TABLE athletes ADD COLUMN usual_shoe TEXT;
ALTER TABLE athletes ADD COLUMN bone_stress_injuries INTEGER NOT NULL DEFAULT 0
    CHECK (bone_stress_injuries >= 0);
ALTER TABLE athletes ADD COLUMN missed_periods_3_months BOOLEAN NOT NULL DEFAULT FALSE;
-- A user is at most one athlete (a coach may be none).
CREATE UNIQUE INDEX athletes_user ON athletes (user_id);
CREATE INDEX athletes_org ON athletes (org_id, id);

-- The profile the earlier releases kept as one JSON document in the setting "profile" moves
-- into those columns. A document that is not a JSON object, or has a value of the wrong type,
-- is left where it is (nothing a user saved is thrown away), and the profile starts empty.
CREATE TEMP TABLE profile_documents AS
SELECT athlete_id, value AS doc FROM settings
WHERE key = 'profile'
    AND CASE WHEN json_valid(value) THEN json_type(value) END = 'object'
    AND COALESCE(json_extract(value, '$.sex'), 'female') IN ('female', 'male')
    AND COALESCE(json_extract(value, '$.units'), 'km') IN ('km', 'miles')
    AND COALESCE(json_extract(value, '$.weight_unit'), 'kg') IN ('kg', 'lb')
    AND COALESCE(json_extract(value, '$.height_unit'), 'cm') IN ('cm', 'ftin')
    AND COALESCE(json_type(value, '$.birth_year'), 'null') IN ('integer', 'null')
    AND COALESCE(json_type(value, '$.weight_kg'), 'null') IN ('integer', 'real', 'null')
    AND COALESCE(json_type(value, '$.height_cm'), 'null') IN ('integer', 'real', 'null')
    AND COALESCE(json_type(value, '$.body_fat_pct'), 'null') IN ('integer', 'real', 'null')
    AND COALESCE(json_type(value, '$.activity_level'), 'null') IN ('text', 'null')
    AND COALESCE(json_type(value, '$.hr_rest'), 'null') IN ('integer', 'null')
    AND COALESCE(json_type(value, '$.hr_max'), 'null') IN ('integer', 'null')
    AND COALESCE(json_type(value, '$.hr_threshold'), 'null') IN ('integer', 'null')
    AND COALESCE(json_type(value, '$.time_zone'), 'null') IN ('text', 'null')
    AND COALESCE(json_type(value, '$.usual_shoe'), 'null') IN ('text', 'null')
    AND COALESCE(json_type(value, '$.bone_stress_injuries'), 'null') IN ('integer', 'null')
    AND COALESCE(json_extract(value, '$.bone_stress_injuries'), 0) >= 0
    AND COALESCE(json_type(value, '$.missed_periods_3_months'), 'null')
        IN ('true', 'false', 'null');
UPDATE athletes SET
    sex = json_extract(p.doc, '$.sex'),
    birth_year = json_extract(p.doc, '$.birth_year'),
    weight_kg = json_extract(p.doc, '$.weight_kg'),
    height_cm = json_extract(p.doc, '$.height_cm'),
    body_fat_pct = json_extract(p.doc, '$.body_fat_pct'),
    activity_level = json_extract(p.doc, '$.activity_level'),
    hr_rest = json_extract(p.doc, '$.hr_rest'),
    hr_max = json_extract(p.doc, '$.hr_max'),
    hr_threshold = json_extract(p.doc, '$.hr_threshold'),
    time_zone = json_extract(p.doc, '$.time_zone'),
    units = COALESCE(json_extract(p.doc, '$.units'), 'km'),
    weight_unit = COALESCE(json_extract(p.doc, '$.weight_unit'), 'kg'),
    height_unit = COALESCE(json_extract(p.doc, '$.height_unit'), 'cm'),
    usual_shoe = json_extract(p.doc, '$.usual_shoe'),
    bone_stress_injuries = COALESCE(json_extract(p.doc, '$.bone_stress_injuries'), 0),
    missed_periods_3_months = COALESCE(json_extract(p.doc, '$.missed_periods_3_months'), 0)
FROM profile_documents p
WHERE p.athlete_id = athletes.id;
DELETE FROM settings
WHERE key = 'profile' AND athlete_id IN (SELECT athlete_id FROM profile_documents);
DROP TABLE profile_documents;

-- Settings of the database rather than of an athlete: the mark `soleus demo` leaves.
CREATE TABLE database_settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
INSERT INTO database_settings (key, value)
    SELECT key, value FROM settings WHERE athlete_id = 1 AND key = 'demo_database';
DELETE FROM settings WHERE athlete_id = 1 AND key = 'demo_database';

-- What a user may see of an athlete's data. Started by the athlete (or an organisation's
-- admin), revocable; `medical` adds check-ins, assessments and clinician notes.
CREATE TABLE grants (
    id INTEGER PRIMARY KEY,
    athlete_id INTEGER NOT NULL REFERENCES athletes (id),
    user_id INTEGER NOT NULL REFERENCES users (id),
    level TEXT NOT NULL CHECK (level IN ('view', 'comment', 'edit')),
    medical BOOLEAN NOT NULL DEFAULT FALSE,
    created_ms INTEGER NOT NULL,
    revoked_ms INTEGER
);
-- At most one grant in force per athlete and user.
CREATE UNIQUE INDEX grants_live ON grants (athlete_id, user_id) WHERE revoked_ms IS NULL;
-- Whose data a user sees.
CREATE INDEX grants_user ON grants (user_id, athlete_id) WHERE revoked_ms IS NULL;

CREATE TABLE sessions (
    id INTEGER PRIMARY KEY,
    -- SHA-256 of the random token in the cookie, hex: the token itself is never stored.
    token_hash TEXT NOT NULL UNIQUE,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_ms INTEGER NOT NULL,
    last_seen_ms INTEGER NOT NULL,
    expires_ms INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires ON sessions (expires_ms);

CREATE TABLE invitations (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES organisations (id),
    email TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('athlete', 'coach', 'clinician', 'admin')),
    token_hash TEXT NOT NULL UNIQUE,
    created_ms INTEGER NOT NULL,
    expires_ms INTEGER NOT NULL,
    used_ms INTEGER
);
CREATE INDEX invitations_org ON invitations (org_id, lower(email));

-- Threaded comments on an athlete's activities, check-ins, assessments and plans. A reply's
-- parent is a comment on the same athlete's data (the composite key says so).
CREATE TABLE comments (
    id INTEGER PRIMARY KEY,
    athlete_id INTEGER NOT NULL REFERENCES athletes (id),
    -- NULL: the athlete on a database without accounts.
    author_id INTEGER REFERENCES users (id),
    target_kind TEXT NOT NULL CHECK (target_kind IN ('activity', 'checkin', 'assessment', 'plan')),
    -- An activity's id, or a journal entry's.
    target_id INTEGER NOT NULL,
    parent_id INTEGER,
    body TEXT NOT NULL,
    created_ms INTEGER NOT NULL,
    edited_ms INTEGER,
    -- Deleted comments keep their place in the thread, without their text.
    deleted_ms INTEGER,
    UNIQUE (athlete_id, id),
    FOREIGN KEY (athlete_id, parent_id) REFERENCES comments (athlete_id, id)
);
CREATE INDEX comments_target ON comments (athlete_id, target_kind, target_id, created_ms);
CREATE INDEX comments_parent ON comments (athlete_id, parent_id);

CREATE TABLE notifications (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- The athlete it is about, if any: revoking a grant withdraws these at once.
    athlete_id INTEGER REFERENCES athletes (id),
    kind TEXT NOT NULL,
    -- A JSON document of the kind's own shape.
    payload TEXT NOT NULL,
    created_ms INTEGER NOT NULL,
    read_ms INTEGER
);
CREATE INDEX notifications_user ON notifications (user_id, created_ms);
CREATE INDEX notifications_athlete ON notifications (athlete_id, user_id);

-- Work done outside a request (digests, big imports, mail). A worker claims a queued job by
-- setting claimed_by and a lease; a job whose lease ran out is queued again.
CREATE TABLE jobs (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'queued'
        CHECK (state IN ('queued', 'running', 'done', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    run_after_ms INTEGER NOT NULL,
    lease_until_ms INTEGER,
    claimed_by TEXT,
    created_ms INTEGER NOT NULL,
    finished_ms INTEGER,
    error TEXT
);
CREATE INDEX jobs_ready ON jobs (state, run_after_ms);

-- Replacing an activity repoints the files that duplicated it: an index, so that is not a
-- scan of every file row (and, in SQLite, of the blobs stored before the column).
CREATE INDEX files_duplicate_of ON files (athlete_id, duplicate_of);
