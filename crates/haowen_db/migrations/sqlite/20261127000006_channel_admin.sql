-- Admins hide channels (off the navigation and the home page; their articles stay readable).
ALTER TABLE channels ADD COLUMN hidden BIGINT NOT NULL DEFAULT 0;
