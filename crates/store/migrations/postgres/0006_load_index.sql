-- The index SQLite reads the load summaries from (the same statement runs on both backends):
-- with the activity columns the summaries need included, PostgreSQL can answer them by an
-- index-only scan instead of visiting every activity's row.
CREATE INDEX activities_load ON activities (athlete_id, start_ms, id)
    INCLUDE (sport, utc_offset_s, distance_m, moving_s, elapsed_s, ascent_m, descent_m, shoe_id);
