-- Accounts: users with roles, server-side sessions, follows, 申请入驻 applications and the
-- audit log. Flags are BIGINT 0/1 (sqlx Any cannot decode SQLite BOOLEAN); times unix seconds.

CREATE TABLE users (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- Login name, lower case.
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    -- Argon2id PHC string.
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL DEFAULT 'reader',
    disabled BIGINT NOT NULL DEFAULT 0,
    -- The creator profile an approved application created.
    creator_id BIGINT UNIQUE REFERENCES creators(id),
    created_at BIGINT NOT NULL
);

-- Only the SHA-256 of a session token is stored: a copy of the database opens no session.
CREATE TABLE sessions (
    token_digest TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    csrf TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_by_user ON sessions (user_id);

CREATE TABLE follows (
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    creator_id BIGINT NOT NULL REFERENCES creators(id),
    created_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, creator_id)
);
CREATE INDEX follows_by_creator ON follows (creator_id);

CREATE TABLE applications (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id),
    display_name TEXT NOT NULL,
    bio TEXT NOT NULL,
    avatar_url TEXT NOT NULL DEFAULT '',
    channel_id BIGINT NOT NULL REFERENCES channels(id),
    sample TEXT NOT NULL,
    contact TEXT NOT NULL,
    -- pending | approved | rejected
    status TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    reviewer_id BIGINT REFERENCES users(id),
    created_at BIGINT NOT NULL,
    decided_at BIGINT
);
CREATE INDEX applications_by_status ON applications (status, created_at);
CREATE INDEX applications_by_user ON applications (user_id, created_at);

-- Every moderation and administration act: who, what, on what, why.
CREATE TABLE audit_log (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    actor_id BIGINT REFERENCES users(id),
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT '',
    at BIGINT NOT NULL
);
CREATE INDEX audit_by_time ON audit_log (at);
