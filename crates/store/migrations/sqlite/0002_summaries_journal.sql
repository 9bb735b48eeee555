-- Load summaries computed at import (so recomputing load never re-reads samples), session RPE,
-- and the journal: check-ins, questionnaire scores, assessments, plans and energy logs, each a
-- JSON document of its kind's own shape, dated by the day it is about.

ALTER TABLE activities ADD COLUMN summary TEXT;
ALTER TABLE activities ADD COLUMN rpe INTEGER CHECK (rpe BETWEEN 0 AND 10);

CREATE TABLE journal (
    id INTEGER PRIMARY KEY,
    athlete_id INTEGER NOT NULL DEFAULT 1 REFERENCES athletes (id),
    kind TEXT NOT NULL,
    -- ISO date (YYYY-MM-DD) the entry is about.
    day TEXT NOT NULL,
    created_ms INTEGER NOT NULL,
    body TEXT NOT NULL
);
CREATE INDEX journal_kind_day ON journal (athlete_id, kind, day);
