-- One row that /healthz rewrites (at most every few seconds) to prove a write can be made:
-- a full disk or a read-only database shows as "degraded" instead of a healthy "ok".
CREATE TABLE health (
    id BIGINT PRIMARY KEY,
    checked_at BIGINT NOT NULL
);

-- One pending 申请入驻 per person, as a constraint: simultaneous submissions cannot both pass a
-- check-then-insert. Older duplicates that a race may have left are closed first.
UPDATE applications SET status = 'rejected', reason = '重复提交的申请（已合并到最新一份）'
WHERE status = 'pending'
  AND id NOT IN (SELECT MAX(id) FROM applications WHERE status = 'pending' GROUP BY user_id);
CREATE UNIQUE INDEX one_pending_application ON applications (user_id) WHERE status = 'pending';

-- Sessions in the order they were made (SQLite has its rowid), so the cap on sessions per
-- account ends the oldest even among those made within one second.
ALTER TABLE sessions ADD COLUMN seq BIGSERIAL;
