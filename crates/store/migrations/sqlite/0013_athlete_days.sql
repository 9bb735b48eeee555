-- What a coach's roster shows of each athlete, kept current when their data changes (an
-- import, a check-in, a plan's decision), so a roster of many athletes reads one row each
-- instead of every athlete's history.
--
-- athlete_days: one row per athlete and local day of the recent past: distance, runs, the
-- day's load (distance, km) and its rolling-average acute:chronic ratio, and the overload
-- warnings in force that day (kept from the day's last computation; NULL before it).
CREATE TABLE athlete_days (
    athlete_id INTEGER NOT NULL REFERENCES athletes (id) ON DELETE CASCADE,
    day TEXT NOT NULL,
    distance_m REAL NOT NULL,
    runs INTEGER NOT NULL,
    load REAL NOT NULL,
    acwr REAL,
    warnings TEXT,
    PRIMARY KEY (athlete_id, day)
);

-- athlete_facts: the roster's row of an athlete as computed at started_ms from their data at
-- load_revision and journal_revision (the athlete's, then), valid until the end of the
-- athlete's local day (valid_until_ms); facts is a JSON document. A row whose revisions or day
-- have passed is computed again when read.
CREATE TABLE athlete_facts (
    athlete_id INTEGER PRIMARY KEY REFERENCES athletes (id) ON DELETE CASCADE,
    load_revision INTEGER NOT NULL,
    journal_revision INTEGER NOT NULL,
    started_ms INTEGER NOT NULL,
    valid_until_ms INTEGER NOT NULL,
    facts TEXT NOT NULL
);

-- The units a person reads in, for people without an athlete profile of their own (a coach
-- reading a roster); NULL is kilometres.
ALTER TABLE users ADD COLUMN units TEXT CHECK (units IN ('km', 'miles'));

-- A number that changes whenever the athlete's journal does (check-ins, scores, assessments,
-- plans and their decisions), kept by triggers as load_revision is (migration 0011).
ALTER TABLE athletes ADD COLUMN journal_revision INTEGER NOT NULL DEFAULT 0;

CREATE TRIGGER journal_revision_insert AFTER INSERT ON journal BEGIN
    UPDATE athletes SET journal_revision = journal_revision + 1 WHERE id = NEW.athlete_id;
END;
CREATE TRIGGER journal_revision_update AFTER UPDATE ON journal BEGIN
    UPDATE athletes SET journal_revision = journal_revision + 1
    WHERE id IN (OLD.athlete_id, NEW.athlete_id);
END;
CREATE TRIGGER journal_revision_delete AFTER DELETE ON journal BEGIN
    UPDATE athletes SET journal_revision = journal_revision + 1 WHERE id = OLD.athlete_id;
END;
