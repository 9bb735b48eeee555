-- A coach's or clinician's professional profile: their credentials as an article shows its
-- author's ("Doctor of Physical Therapy, board-certified sports clinical specialist"), an
-- optional short bio, and whether their organisation's admin has confirmed them. Editing
-- the text clears the confirmation: what was verified is exactly what is shown.
CREATE TABLE user_profiles (
    user_id INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    credentials TEXT NOT NULL,
    bio TEXT,
    updated_ms INTEGER NOT NULL,
    verified_ms INTEGER,
    verified_by INTEGER REFERENCES users (id),
    CHECK ((verified_ms IS NULL) = (verified_by IS NULL))
);

-- An organisation's invitation to join it, and a notification its recipient chose to have by
-- mail too, are account mails: the outbox learns their kinds.
-- SQLite cannot change a CHECK in place, so the table is rebuilt (nothing refers to it).
CREATE TABLE mail_outbox_new (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('password_reset', 'invitation', 'notification', 'org_invitation')),
    email TEXT NOT NULL,
    name TEXT,
    -- Who the mail is about, for the text (the inviting athlete's or organisation's name).
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
INSERT INTO mail_outbox_new SELECT id, kind, email, name, about, link, state, claimed_by,
    lease_until_ms, attempts, created_ms, updated_ms, message_id, error FROM mail_outbox;
DROP TABLE mail_outbox;
ALTER TABLE mail_outbox_new RENAME TO mail_outbox;
CREATE INDEX mail_outbox_state ON mail_outbox (state, id);
