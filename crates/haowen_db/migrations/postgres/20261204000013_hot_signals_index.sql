-- The hot ranking's scan (every visible article of the last 7 days with its counters, at start
-- and at each snapshot rebuild): a covering index, so it reads no table rows (see the SQLite
-- migration of the same name for the figures).
CREATE INDEX articles_hot ON articles (
    status, published_at, id, creator_id, channel_id, reads, comments, shares, follows_gained
);
