-- Import looks up every file's hash and every activity's time span; both must use an index,
-- or each lookup scans every row, making a large import quadratic. The overlap query ranges
-- over end_ms and filters on start_ms.
CREATE INDEX activities_end ON activities (athlete_id, end_ms);

-- The load summary and RPE live beside the activity, as in the SQLite schema (where columns
-- after the samples blob are costly to reach), so both backends run the same SQL.
CREATE TABLE activity_load (
    activity_id BIGINT PRIMARY KEY REFERENCES activities (id) ON DELETE CASCADE,
    athlete_id BIGINT NOT NULL DEFAULT 1 REFERENCES athletes (id),
    summary TEXT,
    rpe SMALLINT CHECK (rpe BETWEEN 0 AND 10)
);
INSERT INTO activity_load (activity_id, athlete_id, summary, rpe)
    SELECT id, athlete_id, summary, rpe FROM activities WHERE summary IS NOT NULL OR rpe IS NOT NULL;
ALTER TABLE activities DROP COLUMN summary;
ALTER TABLE activities DROP COLUMN rpe;
