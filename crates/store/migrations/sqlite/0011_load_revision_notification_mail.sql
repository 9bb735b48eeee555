-- Two changes: the load revision (below), and a third kind of account mail (at the end).
--
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

-- Notifications by mail: the outbox takes a third kind of account mail. SQLite cannot change
-- a CHECK, so the table is made again with the rows it holds.
CREATE TABLE mail_outbox_next (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('password_reset', 'invitation', 'notification')),
    email TEXT NOT NULL,
    name TEXT,
    -- Who or what the mail is about: the inviting athlete's name, a notification's words.
    about TEXT,
    link TEXT,
    state TEXT NOT NULL CHECK (state IN ('queued', 'claimed', 'sending', 'sent', 'failed')),
    claimed_by TEXT,
    lease_until_ms INTEGER NOT NULL DEFAULT 0,
    attempts INTEGER NOT NULL DEFAULT 0,
    created_ms INTEGER NOT NULL,
    updated_ms INTEGER NOT NULL,
    message_id TEXT,
    error TEXT
);
INSERT INTO mail_outbox_next (id, kind, email, name, about, link, state, claimed_by,
    lease_until_ms, attempts, created_ms, updated_ms, message_id, error)
    SELECT id, kind, email, name, about, link, state, claimed_by, lease_until_ms, attempts,
        created_ms, updated_ms, message_id, error FROM mail_outbox;
DROP TABLE mail_outbox;
ALTER TABLE mail_outbox_next RENAME TO mail_outbox;
CREATE INDEX mail_outbox_state ON mail_outbox (state, id);
