-- Tags as rows (the articles.tags JSON stays the article's own copy): /tag/{name} pages read
-- a tag's articles through an index instead of scanning every article's JSON.
CREATE TABLE article_tags (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    tag TEXT NOT NULL,
    PRIMARY KEY (article_id, tag)
);
CREATE INDEX article_tags_by_tag ON article_tags (tag, article_id);
INSERT OR IGNORE INTO article_tags (article_id, tag)
    SELECT a.id, j.value FROM articles a, json_each(a.tags) j WHERE trim(j.value) <> '';
