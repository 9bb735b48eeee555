-- What the account mails need: password resets by an emailed single-use link, and the outbox
-- the account mails (a reset link, an invitation to share) wait in until the sender loop
-- delivers them. Times are epoch milliseconds.

-- A reset link, stored as the SHA-256 of its token (the token itself is only in the mail):
-- bound to one user, expiring, and opening once.
CREATE TABLE password_resets (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id),
    token_hash TEXT NOT NULL UNIQUE,
    created_ms INTEGER NOT NULL,
    expires_ms INTEGER NOT NULL,
    used_ms INTEGER
);
CREATE INDEX password_resets_user ON password_resets (user_id, created_ms);

-- One account mail to send. A request only adds a row (`queued`); the sender claims it with
-- a lease (`claimed`), marks it `sending` just before the SMTP transaction and `sent` after
-- it, so it goes out at most once. `link` holds the secret the mail carries (a reset or an
-- invitation link) until the mail is sent or given up, then it is cleared.
CREATE TABLE mail_outbox (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('password_reset', 'invitation')),
    email TEXT NOT NULL,
    name TEXT,
    -- Who the mail is about, for the text (the inviting athlete's name).
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
CREATE INDEX mail_outbox_state ON mail_outbox (state, id);
