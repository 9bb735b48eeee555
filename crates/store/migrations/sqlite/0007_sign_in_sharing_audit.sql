-- What signing in and sharing need beyond migration 0005: failed sign-ins (the throttle, kept
-- here so it holds across processes), an athlete's invitations to a coach or clinician, and
-- the audit log. Times are epoch milliseconds.

-- One row per failed sign-in, under two keys: the account ('account:' and the lower-cased
-- email) and the address it came from ('address:' and the IP).
CREATE TABLE login_failures (
    key TEXT NOT NULL,
    at_ms INTEGER NOT NULL
);
CREATE INDEX login_failures_key ON login_failures (key, at_ms);

-- An athlete's offer to share their data: single use, expiring, bound to one email, and
-- stored as the SHA-256 of its token (the token itself is only in the link).
CREATE TABLE share_invitations (
    id INTEGER PRIMARY KEY,
    athlete_id INTEGER NOT NULL REFERENCES athletes (id),
    email TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('coach', 'clinician')),
    level TEXT NOT NULL CHECK (level IN ('view', 'comment', 'edit')),
    medical BOOLEAN NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_ms INTEGER NOT NULL,
    expires_ms INTEGER NOT NULL,
    -- Accepted (by used_by) or withdrawn by the athlete: either way it opens nothing again.
    used_ms INTEGER,
    used_by INTEGER REFERENCES users (id),
    withdrawn_ms INTEGER
);
CREATE INDEX share_invitations_athlete ON share_invitations (athlete_id, created_ms);

-- Who did what: sign-ins and their refusals, grants given and revoked, a clinician's view of
-- an athlete's medical data. Never a password or a token.
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at_ms INTEGER NOT NULL,
    user_id INTEGER REFERENCES users (id),
    athlete_id INTEGER REFERENCES athletes (id),
    action TEXT NOT NULL,
    detail TEXT NOT NULL,
    address TEXT
);
CREATE INDEX audit_log_athlete ON audit_log (athlete_id, at_ms);
CREATE INDEX audit_log_user ON audit_log (user_id, at_ms);
