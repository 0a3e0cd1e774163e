-- Counted reads, one row per (pseudonymous visitor, article, time): the co-reading signal of
-- 相关推荐 ("读过此文的人也在读"). The visitor is a 64-bit hash of the reader's cookie or
-- address and user agent, never the address itself; rows older than 30 days are pruned.
CREATE TABLE read_events (
    visitor BIGINT NOT NULL,
    article_id BIGINT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX read_events_by_article ON read_events (article_id, at);
CREATE INDEX read_events_by_visitor ON read_events (visitor, article_id);
CREATE INDEX read_events_by_time ON read_events (at);
