-- Idempotency-Key on creating drafts and approving them: per officer, the
-- key, the hash of the request it was first used with, and the answer given,
-- so a retry gets the same answer and the same key with another request is
-- refused. A row without a status is a request still running. Keys live
-- 24 hours. See docs/EDGE.md.

CREATE TABLE idempotency_keys (
  officer_id     text        NOT NULL REFERENCES officers (id),
  key            text        NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
  request_sha256 text        NOT NULL CHECK (request_sha256 ~ '^[0-9a-f]{64}$'),
  created_at     timestamptz NOT NULL,
  expires_at     timestamptz NOT NULL,
  status         integer,
  content_type   text,
  body           text,
  PRIMARY KEY (officer_id, key)
);
CREATE INDEX idempotency_keys_expiry ON idempotency_keys (expires_at);
