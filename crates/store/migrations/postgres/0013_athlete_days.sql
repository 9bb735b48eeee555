-- What a coach's roster shows of each athlete, kept current when their data changes (an
-- import, a check-in, a plan's decision), so a roster of many athletes reads one row each
-- instead of every athlete's history.
--
-- athlete_days: one row per athlete and local day of the recent past: distance, runs, the
-- day's load (distance, km) and its rolling-average acute:chronic ratio, and the overload
-- warnings in force that day (kept from the day's last computation; NULL before it).
CREATE TABLE athlete_days (
    athlete_id BIGINT NOT NULL REFERENCES athletes (id) ON DELETE CASCADE,
    day TEXT NOT NULL,
    distance_m DOUBLE PRECISION NOT NULL,
    runs BIGINT NOT NULL,
    load DOUBLE PRECISION NOT NULL,
    acwr DOUBLE PRECISION,
    warnings TEXT,
    PRIMARY KEY (athlete_id, day)
);

-- athlete_facts: the roster's row of an athlete as computed at started_ms from their data at
-- load_revision and journal_revision (the athlete's, then), valid until the end of the
-- athlete's local day (valid_until_ms); facts is a JSON document. A row whose revisions or day
-- have passed is computed again when read.
CREATE TABLE athlete_facts (
    athlete_id BIGINT PRIMARY KEY REFERENCES athletes (id) ON DELETE CASCADE,
    load_revision BIGINT NOT NULL,
    journal_revision BIGINT NOT NULL,
    started_ms BIGINT NOT NULL,
    valid_until_ms BIGINT NOT NULL,
    facts TEXT NOT NULL
);

-- The units a person reads in, for people without an athlete profile of their own (a coach
-- reading a roster); NULL is kilometres.
ALTER TABLE users ADD COLUMN units TEXT CHECK (units IN ('km', 'miles'));

-- A number that changes whenever the athlete's journal does (check-ins, scores, assessments,
-- plans and their decisions), kept by statement triggers as load_revision is (migration 0011).
ALTER TABLE athletes ADD COLUMN journal_revision BIGINT NOT NULL DEFAULT 0;

CREATE FUNCTION bump_journal_revision() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE athletes SET journal_revision = journal_revision + 1
    WHERE id IN (SELECT DISTINCT athlete_id FROM changed);
    RETURN NULL;
END;
$$;

CREATE TRIGGER journal_revision_insert AFTER INSERT ON journal
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION bump_journal_revision();
CREATE TRIGGER journal_revision_update AFTER UPDATE ON journal
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION bump_journal_revision();
CREATE TRIGGER journal_revision_delete AFTER DELETE ON journal
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION bump_journal_revision();
