-- A number that changes whenever anything an athlete's load summaries are read from changes:
-- their activities, the summaries and RPE beside them (activity_load), and their shoes (whose
-- drop the summaries carry). The store keeps the summaries it has read under this number, so
-- a dashboard reads one integer instead of the whole history while nothing changed, and
-- reads the history again after any change, whichever process or statement made it. Triggers,
-- not the store's code, keep it, so no write path can forget to.
ALTER TABLE athletes ADD COLUMN load_revision INTEGER NOT NULL DEFAULT 0;

CREATE TRIGGER activities_revision_insert AFTER INSERT ON activities BEGIN
    UPDATE athletes SET load_revision = load_revision + 1 WHERE id = NEW.athlete_id;
END;
CREATE TRIGGER activities_revision_update AFTER UPDATE ON activities BEGIN
    UPDATE athletes SET load_revision = load_revision + 1
    WHERE id IN (OLD.athlete_id, NEW.athlete_id);
END;
CREATE TRIGGER activities_revision_delete AFTER DELETE ON activities BEGIN
    UPDATE athletes SET load_revision = load_revision + 1 WHERE id = OLD.athlete_id;
END;

CREATE TRIGGER activity_load_revision_insert AFTER INSERT ON activity_load BEGIN
    UPDATE athletes SET load_revision = load_revision + 1 WHERE id = NEW.athlete_id;
END;
CREATE TRIGGER activity_load_revision_update AFTER UPDATE ON activity_load BEGIN
    UPDATE athletes SET load_revision = load_revision + 1
    WHERE id IN (OLD.athlete_id, NEW.athlete_id);
END;
CREATE TRIGGER activity_load_revision_delete AFTER DELETE ON activity_load BEGIN
    UPDATE athletes SET load_revision = load_revision + 1 WHERE id = OLD.athlete_id;
END;

CREATE TRIGGER shoes_revision_insert AFTER INSERT ON shoes BEGIN
    UPDATE athletes SET load_revision = load_revision + 1 WHERE id = NEW.athlete_id;
END;
CREATE TRIGGER shoes_revision_update AFTER UPDATE ON shoes BEGIN
    UPDATE athletes SET load_revision = load_revision + 1
    WHERE id IN (OLD.athlete_id, NEW.athlete_id);
END;
CREATE TRIGGER shoes_revision_delete AFTER DELETE ON shoes BEGIN
    UPDATE athletes SET load_revision = load_revision + 1 WHERE id = OLD.athlete_id;
END;

