-- Corrections a person makes to an activity, beside what the device recorded.
--
-- activities.deleted_ms: when the person deleted the activity (NULL while it counts). A
-- deleted activity leaves every list, the load and the dashboards, but its row, samples and
-- original file stay, so the deletion can be undone and a re-import of the same file is
-- recognised. activities.merged_into: set with deleted_ms when the activity was merged into
-- another recording of the same run (the one kept); undoing the merge clears both.
ALTER TABLE activities ADD COLUMN deleted_ms INTEGER;
ALTER TABLE activities ADD COLUMN merged_into INTEGER;

-- activity_edits: every edit, oldest first. The activities row holds the values in force (so
-- every reader sees the correction); each edit keeps the value before it (`before`) and what
-- the file said (`device`, for the name and the sport), and a reparse keeps edited fields.
CREATE TABLE activity_edits (
    id INTEGER PRIMARY KEY,
    athlete_id INTEGER NOT NULL DEFAULT 1 REFERENCES athletes (id),
    activity_id INTEGER NOT NULL REFERENCES activities (id) ON DELETE CASCADE,
    field TEXT NOT NULL CHECK (field IN ('name', 'sport', 'shoe')),
    device TEXT,
    before TEXT,
    after TEXT,
    edited_ms INTEGER NOT NULL
);
CREATE INDEX activity_edits_activity ON activity_edits (activity_id, id);

-- The load summaries leave deleted activities out: the covering index carries the column.
DROP INDEX activities_load;
CREATE INDEX activities_load ON activities (athlete_id, start_ms, id, sport, utc_offset_s,
    distance_m, moving_s, elapsed_s, ascent_m, descent_m, shoe_id, deleted_ms);
