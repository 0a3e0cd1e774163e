-- A reader's likes by reader: the signed-in article page asks whether the reader has liked any
-- 跟贴 of the article (if not, it is served from the shared signed-in rendering).
CREATE INDEX comment_likes_by_user ON comment_likes (user_id, comment_id);
