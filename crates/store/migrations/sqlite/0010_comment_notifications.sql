-- Notifications that bundle and can be switched off: several events of one kind about the
-- same thing within a few minutes are one row with a count (`bundle_key` says what they are
-- about, `updated_ms` when the last one came); `medical` marks a row that tells of the
-- medical scope (a comment on a check-in, a red flag), shown only while the recipient's
-- grant includes it. Each user chooses, per kind, in the app, by email too, or not at all.

ALTER TABLE notifications ADD COLUMN bundle_key TEXT NOT NULL DEFAULT '';
ALTER TABLE notifications ADD COLUMN count INTEGER NOT NULL DEFAULT 1 CHECK (count >= 1);
ALTER TABLE notifications ADD COLUMN updated_ms INTEGER NOT NULL DEFAULT 0;
ALTER TABLE notifications ADD COLUMN medical BOOLEAN NOT NULL DEFAULT FALSE;
UPDATE notifications SET updated_ms = created_ms;
-- The unread row an event of the same kind and subject joins.
CREATE INDEX notifications_bundle ON notifications (user_id, kind, bundle_key)
    WHERE read_ms IS NULL;

CREATE TABLE notification_settings (
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    delivery TEXT NOT NULL CHECK (delivery IN ('in_app', 'email', 'off')),
    PRIMARY KEY (user_id, kind)
);
