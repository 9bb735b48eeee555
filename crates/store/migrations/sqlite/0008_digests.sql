-- The weekly digest: one row per recipient, digest kind and ISO week, so that sending is
-- idempotent across retries, crashes and several processes, and what each recipient chose to
-- receive. Times are epoch milliseconds.

-- A recipient is a user ('user:' and the id) or, on a database without accounts, the local
-- runner ('athlete:' and the id). The row is claimed before the mail is made (`claimed`,
-- with a lease), marked `sending` just before the SMTP transaction and `sent` after it. A
-- claim whose lease ran out is taken over; a row left `sending` is never sent again, since
-- the server may have taken the message (it is reported as `unknown`). `failed` rows are
-- retried from next_attempt_ms until attempts run out.
CREATE TABLE digests (
    id INTEGER PRIMARY KEY,
    recipient TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('athlete', 'roster')),
    week TEXT NOT NULL,
    email TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('claimed', 'sending', 'sent', 'failed', 'skipped')),
    claimed_by TEXT NOT NULL,
    lease_until_ms INTEGER NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_ms INTEGER,
    created_ms INTEGER NOT NULL,
    updated_ms INTEGER NOT NULL,
    message_id TEXT,
    error TEXT,
    UNIQUE (recipient, kind, week)
);
CREATE INDEX digests_week ON digests (week, state);

-- What a recipient chose; no row means the default (on).
CREATE TABLE mail_preferences (
    recipient TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('athlete', 'roster')),
    enabled BOOLEAN NOT NULL,
    updated_ms INTEGER NOT NULL,
    PRIMARY KEY (recipient, kind)
);
