-- The 跟贴 anyone has liked, replied to or pinned, by article: an article's list is built from
-- these and the newest few others (comment_lists.rs), never from every comment it has.
CREATE INDEX comments_engaged ON comments (article_id, created_at)
    WHERE likes > 0 OR replies > 0 OR pinned_at IS NOT NULL;
