-- 跟贴 comments with likes and 盖楼 quote chains, the sensitive-word list, 举报 reports,
-- takedown reasons and appeals, and the follows an article brought in (for the hot ranking).

CREATE TABLE comments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    article_id BIGINT NOT NULL REFERENCES articles(id),
    user_id BIGINT NOT NULL REFERENCES users(id),
    parent_id BIGINT REFERENCES comments(id),
    -- The quoted floors (盖楼), oldest first, comma-separated ids; at most the last 8.
    chain TEXT NOT NULL DEFAULT '',
    body TEXT NOT NULL,
    -- published | held (matched a sensitive word, waits for an editor) | removed (by an editor)
    -- | deleted (by its author)
    status TEXT NOT NULL,
    likes BIGINT NOT NULL DEFAULT 0,
    replies BIGINT NOT NULL DEFAULT 0,
    -- Set when the article's creator pins it (精选, at most 3 per article).
    pinned_at BIGINT,
    -- Why an editor removed or held it.
    reason TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL
);
CREATE INDEX comments_by_article ON comments (article_id, status, created_at);
CREATE INDEX comments_by_user ON comments (user_id, created_at);
CREATE INDEX comments_by_status ON comments (status, created_at);

CREATE TABLE comment_likes (
    comment_id BIGINT NOT NULL REFERENCES comments(id),
    user_id BIGINT NOT NULL REFERENCES users(id),
    created_at BIGINT NOT NULL,
    PRIMARY KEY (comment_id, user_id)
);

CREATE TABLE sensitive_words (
    word TEXT PRIMARY KEY,
    added_at BIGINT NOT NULL
);

CREATE TABLE reports (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    -- article | comment
    target_kind TEXT NOT NULL,
    target_id BIGINT NOT NULL,
    -- The article the target belongs to (itself for an article).
    article_id BIGINT NOT NULL REFERENCES articles(id),
    reporter_id BIGINT NOT NULL REFERENCES users(id),
    kind TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    -- open | closed
    status TEXT NOT NULL,
    -- What closed it: takedown | removed | dismissed
    outcome TEXT NOT NULL DEFAULT '',
    closed_by BIGINT REFERENCES users(id),
    created_at BIGINT NOT NULL,
    closed_at BIGINT
);
CREATE INDEX reports_by_target ON reports (target_kind, target_id, status);
CREATE INDEX reports_by_status ON reports (status, created_at);

ALTER TABLE articles ADD COLUMN takedown_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE articles ADD COLUMN taken_down_at BIGINT;
-- How many times it was taken down: each takedown allows one appeal.
ALTER TABLE articles ADD COLUMN takedowns BIGINT NOT NULL DEFAULT 0;
-- Follows made from this article's page: one of the hot ranking's signals.
ALTER TABLE articles ADD COLUMN follows_gained BIGINT NOT NULL DEFAULT 0;
ALTER TABLE follows ADD COLUMN article_id BIGINT;

-- One appeal per takedown.
CREATE TABLE appeals (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    article_id BIGINT NOT NULL REFERENCES articles(id),
    takedown_no BIGINT NOT NULL,
    user_id BIGINT NOT NULL REFERENCES users(id),
    text TEXT NOT NULL,
    -- pending | restored | rejected
    status TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    decided_by BIGINT REFERENCES users(id),
    created_at BIGINT NOT NULL,
    decided_at BIGINT,
    UNIQUE (article_id, takedown_no)
);
CREATE INDEX appeals_by_status ON appeals (status, created_at);
CREATE INDEX audit_by_action ON audit_log (action, at);
