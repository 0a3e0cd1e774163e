-- The reader's platform: channels, creators, articles with their counters, site settings,
-- and the change feed (outbox) that keeps every node's caches in step with the database.
-- Times are unix seconds (UTC) in BIGINT: sqlx's Any driver carries no date types.
-- Flags and enums are TEXT or BIGINT, never BOOLEAN: SQLite BOOLEAN does not decode via Any.

CREATE TABLE channels (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL UNIQUE,
    position BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE creators (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL UNIQUE,
    avatar_url TEXT NOT NULL DEFAULT '',
    bio TEXT NOT NULL DEFAULT '',
    followers BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);

CREATE TABLE articles (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    -- The id in the source it was imported from: `haowen import` is idempotent by it.
    external_id TEXT UNIQUE,
    creator_id BIGINT NOT NULL REFERENCES creators(id),
    channel_id BIGINT NOT NULL REFERENCES channels(id),
    title TEXT NOT NULL,
    body_md TEXT NOT NULL,
    -- Rendered and sanitized once at write time, so the read path never runs Markdown.
    body_html TEXT NOT NULL,
    summary TEXT NOT NULL,
    declaration_kind TEXT NOT NULL,
    declaration_source TEXT,
    cover_url TEXT,
    tags TEXT NOT NULL DEFAULT '[]',
    status TEXT NOT NULL,
    published_at BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    reads BIGINT NOT NULL DEFAULT 0,
    comments BIGINT NOT NULL DEFAULT 0,
    shares BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX articles_by_channel ON articles (channel_id, status, published_at DESC);
CREATE INDEX articles_by_creator ON articles (creator_id, status, published_at DESC);
CREATE INDEX articles_by_time ON articles (status, published_at DESC);

CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);

-- Outbox: every content write adds a row in the same transaction; nodes poll max(id) to
-- invalidate caches and (later) to update the search index.
CREATE TABLE changes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    entity TEXT NOT NULL,
    entity_id BIGINT NOT NULL,
    at BIGINT NOT NULL
);
