-- Editors' picks: 头条 headlines ('headline') and 态度原创 columns ('original:教育' …). The home
-- page and the article page boxes show picks first, then the newest of the channel.
CREATE TABLE picks (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    slot TEXT NOT NULL,
    article_id BIGINT NOT NULL REFERENCES articles(id),
    editor_id BIGINT REFERENCES users(id),
    at BIGINT NOT NULL,
    UNIQUE (slot, article_id)
);
CREATE INDEX picks_by_slot ON picks (slot, id);
