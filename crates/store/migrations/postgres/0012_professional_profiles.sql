-- A coach's or clinician's professional profile: their credentials as an article shows its
-- author's ("Doctor of Physical Therapy, board-certified sports clinical specialist"), an
-- optional short bio, and whether their organisation's admin has confirmed them. Editing
-- the text clears the confirmation: what was verified is exactly what is shown.
CREATE TABLE user_profiles (
    user_id BIGINT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    credentials TEXT NOT NULL,
    bio TEXT,
    updated_ms BIGINT NOT NULL,
    verified_ms BIGINT,
    verified_by BIGINT REFERENCES users (id),
    CHECK ((verified_ms IS NULL) = (verified_by IS NULL))
);

-- An organisation's invitation to join it, and a notification its recipient chose to have by
-- mail too, are account mails: the outbox learns their kinds.
ALTER TABLE mail_outbox DROP CONSTRAINT mail_outbox_kind_check;
ALTER TABLE mail_outbox ADD CONSTRAINT mail_outbox_kind_check
    CHECK (kind IN ('password_reset', 'invitation', 'notification', 'org_invitation'));
