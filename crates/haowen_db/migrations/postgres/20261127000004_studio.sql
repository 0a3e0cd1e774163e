-- The creator studio: reprints carry their source link; edits after publishing keep the
-- previous version in article_revisions. Status gains 'deleted' (soft delete, audited).
ALTER TABLE articles ADD COLUMN declaration_link TEXT;

CREATE TABLE article_revisions (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    article_id BIGINT NOT NULL REFERENCES articles(id),
    title TEXT NOT NULL,
    body_md TEXT NOT NULL,
    editor_id BIGINT REFERENCES users(id),
    at BIGINT NOT NULL
);
CREATE INDEX revisions_by_article ON article_revisions (article_id, id);
-- Scheduled articles are published rows with a future time; this finds the ones falling due.
CREATE INDEX articles_by_publish_time ON articles (published_at);
