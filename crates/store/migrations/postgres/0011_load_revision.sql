-- A number that changes whenever anything an athlete's load summaries are read from changes:
-- their activities, the summaries and RPE beside them (activity_load), and their shoes (whose
-- drop the summaries carry). The store keeps the summaries it has read under this number, so
-- a dashboard reads one integer instead of the whole history while nothing changed, and
-- reads the history again after any change, whichever process or statement made it. Triggers,
-- not the store's code, keep it, so no write path can forget to. They run once per statement
-- over its changed rows (transition tables), so an import's batch of activities costs one
-- update of the athlete's row, not one per activity.
ALTER TABLE athletes ADD COLUMN load_revision BIGINT NOT NULL DEFAULT 0;

CREATE FUNCTION bump_load_revision() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE athletes SET load_revision = load_revision + 1
    WHERE id IN (SELECT DISTINCT athlete_id FROM changed);
    RETURN NULL;
END;
$$;

CREATE TRIGGER activities_revision_insert AFTER INSERT ON activities
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION bump_load_revision();
CREATE TRIGGER activities_revision_update AFTER UPDATE ON activities
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION bump_load_revision();
CREATE TRIGGER activities_revision_delete AFTER DELETE ON activities
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION bump_load_revision();

CREATE TRIGGER activity_load_revision_insert AFTER INSERT ON activity_load
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION bump_load_revision();
CREATE TRIGGER activity_load_revision_update AFTER UPDATE ON activity_load
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION bump_load_revision();
CREATE TRIGGER activity_load_revision_delete AFTER DELETE ON activity_load
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION bump_load_revision();

CREATE TRIGGER shoes_revision_insert AFTER INSERT ON shoes
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION bump_load_revision();
CREATE TRIGGER shoes_revision_update AFTER UPDATE ON shoes
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION bump_load_revision();
CREATE TRIGGER shoes_revision_delete AFTER DELETE ON shoes
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION bump_load_revision();

